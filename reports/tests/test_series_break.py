"""The 2025 break: the old units' 2021-2025 figures stay reportable up to 30/6/2025, the new units
start their own series on 1/7/2025, no percentage mixes both sides, and pages say where the series
breaks (reports.engine.series)."""

from datetime import date

import pytest

from accounts.models import Role
from accounts.services import account_create
from communes.models import Kind, Share, UnitSuccession
from criteria.models import SetLevel
from reports.engine import series_breaks, summarise, summarise_dates
from tests.factories import CommuneFactory, DistrictFactory, EnrolmentFactory, ProvinceFactory, RecordFactory, build_set

pytestmark = pytest.mark.django_db

REFORM = date(2025, 7, 1)
BEFORE, LATER = date(2025, 6, 30), date(2025, 9, 30)


@pytest.fixture
def province():
    """A province whose district and its three old communes end on 1/7/2025 and whose two new
    communes start then (made-up units and records): old communes met 2 of 2 indicators, the new
    ones none, so any mix would show between 0% and 100%."""
    province = ProvinceFactory(code="tinh", name="Thử")
    district = DistrictFactory(code="huyen", name="Cũ", parent=province, valid_to=REFORM)
    old = [CommuneFactory(code=f"xa-cu-{k}", name=f"Cũ {k}", parent=district, valid_to=REFORM) for k in (1, 2, 3)]
    new = [
        CommuneFactory(code=f"xa-moi-{k}", name=f"Mới {k}", parent=province, kind=Kind.COMMUNE, valid_from=REFORM)
        for k in (1, 2)
    ]
    old_set = build_set([2], code="xa-2021", level=SetLevel.COMMUNE)
    new_set = build_set([2], code="xa-2026", level=SetLevel.COMMUNE)
    indicators = {s.code: [i for c in s.criteria.all() for i in c.indicators.all()] for s in (old_set, new_set)}
    for unit in old:
        EnrolmentFactory(unit=unit, criteria_set=old_set)
        for indicator in indicators["xa-2021"]:
            RecordFactory(unit=unit, indicator=indicator, as_of=date(2025, 6, 1), met=True)
    for unit in new:
        # The new units pursue both sets, so a mix would show in either.
        for criteria_set in (old_set, new_set):
            EnrolmentFactory(unit=unit, criteria_set=criteria_set)
            for indicator in indicators[criteria_set.code]:
                RecordFactory(unit=unit, indicator=indicator, as_of=date(2025, 8, 1), met=False)
    for unit, successor, share in [
        (old[0], new[0], Share.WHOLE),
        (old[1], new[0], Share.PART),
        (old[1], new[1], Share.PART),
        (old[2], new[1], Share.WHOLE),
    ]:
        UnitSuccession.objects.create(
            predecessor=unit, successor=successor, share=share, effective_on=REFORM, source="thử"
        )
    return province


def counted(summary):
    return {s.criteria_set.code: sorted(u.unit.code for u in s.units) for s in summary.sets}


def test_no_figure_at_one_date_mixes_old_and_new_units(province):
    before = summarise(province, BEFORE)
    assert counted(before) == {"xa-2021": ["xa-cu-1", "xa-cu-2", "xa-cu-3"]}
    assert before.sets[0].percent_criteria == 100
    on_the_day = summarise(province, REFORM)
    assert counted(on_the_day) == {"xa-2021": ["xa-moi-1", "xa-moi-2"], "xa-2026": ["xa-moi-1", "xa-moi-2"]}
    later = summarise(province, LATER)
    assert counted(later) == counted(on_the_day)
    assert {s.percent_criteria for s in later.sets} == {0}
    # The trend over the three dates counts the same units at each date as summarise does.
    trend = summarise_dates(province, [BEFORE, REFORM, LATER])
    assert [counted(t) for t in trend] == [counted(before), counted(on_the_day), counted(later)]


def test_the_summary_api_counts_one_side_of_the_break_at_each_date(province, client):
    client.force_login(account_create(username="bcd-tinh", password="x", role=Role.DISTRICT_STAFF, unit=province))
    for day, units in [(BEFORE, 3), (REFORM, 2), (LATER, 2)]:
        response = client.get(f"/api/v1/units/tinh/summary/?date={day.isoformat()}")
        assert response.status_code == 200, response.content
        body = response.json()
        assert {s["unit_count"] for s in body["sets"]} == {units}, body


def test_the_break_is_found_between_the_dates_shown_only(province):
    (found,) = series_breaks(province, [BEFORE, REFORM, LATER])
    assert found.on == REFORM
    assert found.old_names == "xã Cũ 1, xã Cũ 2 (một phần), xã Cũ 3"
    assert found.new_names == "xã Mới 1, xã Mới 2"
    assert series_breaks(province, [REFORM, LATER]) == []
    assert series_breaks(province, [date(2024, 1, 1), BEFORE]) == []
    assert series_breaks(province, [LATER]) == []


def test_no_query_when_no_counted_unit_begins_or_ends_between_the_dates(province, django_assert_num_queries):
    steady = [u for u in province.children.all() if u.valid_to is None and u.valid_from is None]
    with django_assert_num_queries(0):
        assert series_breaks(province, [BEFORE, LATER], counted_units=steady) == []


def test_the_overview_and_the_unit_page_say_where_the_series_breaks(province, client):
    client.force_login(account_create(username="bcd-tinh", password="x", role=Role.DISTRICT_STAFF, unit=province))
    page = client.get("/?unit=tinh").content.decode()
    assert (
        "Chuỗi số liệu ngắt ngày 01/07/2025: trước ngày này tính trên các đơn vị cũ (xã Cũ 1, xã Cũ 2 (một phần), xã Cũ 3), từ ngày này trên các đơn vị mới (xã Mới 1, xã Mới 2)."
        in page
    )
    unit_page = client.get("/don-vi/xa-moi-1/").content.decode()
    assert "trên các đơn vị cũ (xã Cũ 1, xã Cũ 2 (một phần)), từ ngày này trên các đơn vị mới (xã Mới 1)" in unit_page


def test_the_demo_shows_no_break(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    assert 'data-testid="series-break"' not in client.get("/?unit=dam-ha").content.decode()
    # Quảng Lợi went into Quảng Tân on 1/1/2020, before every report date of the demo.
    assert 'data-testid="series-break"' not in client.get("/don-vi/xa-quang-tan/").content.decode()
