"""The steering list pages cost the same number of queries for 10 communes as for 200."""

from datetime import date

import pytest

from accounts.services import account_create
from communes.models import AdministrativeUnit, Kind
from criteria.models import Enrolment, Indicator, Recognition
from records.models import AchievementRecord
from steering.models import Dossier, Office, OfficeKind, PlanItem, Work
from tests.factories import DistrictFactory, RecordFactory, build_set

DAY = date(2022, 8, 19)


def build_district(size):
    """A district of `size` communes pursuing one set, each with records (one unmet), a plan item,
    a work, a dossier; every tenth commune recognised, so the at-risk list is not empty."""
    district = DistrictFactory(code="huyen")
    criteria_set = build_set([2, 2])
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("code"))
    communes = AdministrativeUnit.objects.bulk_create(
        AdministrativeUnit(code=f"xa-{n}", name=f"Xã {n}", kind=Kind.COMMUNE, parent=district) for n in range(size)
    )
    office = Office.objects.create(unit=district, name="Phòng Kinh tế và Hạ tầng", kind=OfficeKind.DISTRICT_OFFICE)
    Enrolment.objects.bulk_create(Enrolment(unit=c, criteria_set=criteria_set) for c in communes)
    # Built by the factory so the records count as the engine counts them (verified, where the
    # record workflow applies).
    AchievementRecord.objects.bulk_create(
        RecordFactory.build(unit=c, indicator=i, as_of=DAY, met=i.code != "2.2") for c in communes for i in indicators
    )
    Recognition.objects.bulk_create(
        Recognition(unit=c, criteria_set=criteria_set, decision_date=DAY, issuer="UBND tỉnh") for c in communes[::10]
    )
    PlanItem.objects.bulk_create(
        PlanItem(unit=c, criteria_set=criteria_set, indicator=indicators[-1], office=office, deadline=DAY)
        for c in communes
    )
    PlanItem.objects.bulk_create(
        PlanItem(unit=c, criteria_set=criteria_set, indicator=indicators[0], deadline=DAY) for c in communes
    )
    works = Work.objects.bulk_create(
        Work(
            name=f"Công trình {c.code}",
            unit=c,
            approved_capital=100,
            disbursed=40,
            physical_progress=30,
            start_date=date(2022, 1, 1),
            due_date=date(2022, 12, 31),
            office=office,
        )
        for c in communes
    )
    criterion = criteria_set.criteria.first()
    Work.criteria.through.objects.bulk_create(Work.criteria.through(work=w, criterion=criterion) for w in works)
    Dossier.objects.bulk_create(Dossier(unit=c, criteria_set=criteria_set) for c in communes)
    return account_create(username="bcd", password="x", role="district_staff", unit=district)


# session, user, profile, the profile's unit (the page's unit), the menu's count of the district
# staff's verification queue (+1, issue 15: every page with the menu shows the waiting work),
# whether the subtree is large enough for rows per child (`per_child`)
PREAMBLE = 6


@pytest.fixture(autouse=True)
def per_unit_rows(settings):
    """A row per commune at both sizes here: the per-child pages are tested in test_per_child.py."""
    settings.NTM_PER_UNIT_MAX_UNITS = 1_000


@pytest.mark.parametrize("size", [10, 200])
def test_plan_list_queries_do_not_grow_with_communes(db, client, django_assert_num_queries, size):
    client.force_login(build_district(size))
    # + plan items with unit, set, indicator, criterion, office; met pairs; summary (4) for at-risk;
    # items due before the next meeting
    with django_assert_num_queries(PREAMBLE + 2 + 4 + 1):
        response = client.get(f"/chi-dao/?date={DAY}&group=office")
    assert response.content.decode().count('data-testid="plan-item"') == 2 * size


@pytest.mark.parametrize("size", [10, 200])
def test_dossier_list_queries_do_not_grow_with_communes(db, client, django_assert_num_queries, size):
    client.force_login(build_district(size))
    # + summary (4, reused for at-risk); dossiers
    with django_assert_num_queries(PREAMBLE + 4 + 1):
        response = client.get(f"/chi-dao/ho-so/?date={DAY}")
    page = response.content.decode()
    assert page.count('data-testid="dossier-row"') == size
    assert 'data-testid="at-risk"' in page  # recognised communes with criterion 2 unmet


@pytest.mark.parametrize("size", [10, 200])
def test_work_list_queries_do_not_grow_with_communes(db, client, django_assert_num_queries, size):
    client.force_login(build_district(size))
    # + works with unit and office; their criteria; may the user manage here; summary (4) for at-risk
    with django_assert_num_queries(PREAMBLE + 3 + 4):
        response = client.get(f"/chi-dao/cong-trinh/?date={DAY}")
    assert response.content.decode().count('data-testid="work"') == size
