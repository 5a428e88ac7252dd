"""Giữ vững chuẩn and the plan items due before the next meeting, on the leaders' pages."""

from datetime import date

import pytest

from criteria.models import Indicator
from records.services import record_save
from steering.models import PlanItem

LATER = date(2022, 9, 30)
ADVANCED = "xa-ntm-nang-cao-2021-2025"


@pytest.fixture
def tan_lap_slips(demo_accounts):
    """Tân Lập, recognised advanced NTM, records indicator 17.3 as not met on 30/09/2022."""
    indicator = Indicator.objects.get(criterion__criteria_set__code=ADVANCED, code="17.3")
    record_save(unit=demo_accounts["xa_tanlap"].profile.unit, indicator=indicator, as_of=LATER, value_bool=False)
    return demo_accounts


def test_overview_flags_a_recognised_commune_that_no_longer_meets_a_criterion(tan_lap_slips, client):
    client.force_login(tan_lap_slips["lanhdao"])
    before = client.get("/?date=2022-08-19").content.decode()
    after = client.get(f"/?date={LATER}").content.decode()
    assert 'data-testid="at-risk"' not in before
    assert 'data-testid="at-risk"' in after
    flagged = after.split('data-testid="at-risk"')[1].split("</section>")[0]
    assert "Xã Tân Lập" in flagged and "17" in flagged


def test_commune_page_and_brief_flag_it_too(tan_lap_slips, client):
    client.force_login(tan_lap_slips["lanhdao"])
    unit_page = client.get(f"/don-vi/xa-tan-lap/?date={LATER}").content.decode()
    brief = client.get(f"/bao-cao-nhanh/?date={LATER}").content.decode()
    assert "Giữ vững chuẩn" in unit_page and 'data-testid="at-risk"' in unit_page
    assert 'data-testid="at-risk"' in brief


def test_the_flag_disappears_when_the_criterion_is_met_again(tan_lap_slips, client):
    indicator = Indicator.objects.get(criterion__criteria_set__code=ADVANCED, code="17.3")
    record_save(
        unit=tan_lap_slips["xa_tanlap"].profile.unit, indicator=indicator, as_of=date(2022, 10, 31), value_bool=True
    )
    client.force_login(tan_lap_slips["lanhdao"])
    assert 'data-testid="at-risk"' not in client.get("/?date=2022-10-31").content.decode()


def test_brief_lists_the_plan_items_due_before_the_next_meeting(demo_accounts, client):
    quang_tan = demo_accounts["xa_quangtan"].profile.unit
    indicator = Indicator.objects.get(criterion__criteria_set__code="xa-ntm-kieu-mau-2021-2025", code="4.1")
    criteria_set = indicator.criterion.criteria_set
    PlanItem.objects.create(
        unit=quang_tan,
        criteria_set=criteria_set,
        indicator=indicator,
        action="Xây dựng mô hình",
        deadline=date(2022, 9, 10),
    )
    PlanItem.objects.create(
        unit=quang_tan,
        criteria_set=criteria_set,
        indicator=Indicator.objects.get(criterion__criteria_set=criteria_set, code="4.2"),
        action="Việc để sau",
        deadline=date(2022, 12, 1),
    )
    client.force_login(demo_accounts["lanhdao"])

    due = (
        client.get("/bao-cao-nhanh/?date=2022-08-19")
        .content.decode()
        .split('data-testid="due-items"')[1]
        .split("</section>")[0]
    )

    assert "18/09/2022" in due  # 30 days after the report date, unless ?due= says otherwise
    assert "Quảng Tân: 4.1 (Đạt kiểu mẫu trong lĩnh vực nổi trội) (10/09/2022)" in due
    assert "4.2" not in due
    later = client.get("/bao-cao-nhanh/?date=2022-08-19&due=2022-12-31").content.decode()
    assert (
        "Quảng Tân: 4.2 (Đạt kiểu mẫu trong lĩnh vực nổi trội) (01/12/2022)"
        in later.split('data-testid="due-items"')[1]
    )
