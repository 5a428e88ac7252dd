"""Every workflow page runs a fixed number of queries, whether the district has 10 communes or 200."""

from datetime import date

import pytest

from accounts.models import Role
from accounts.services import account_create
from criteria.models import Indicator
from records.models import AchievementRecord, RecordStatus
from tests.factories import (
    CommuneFactory,
    DistrictFactory,
    EnrolmentFactory,
    NumericIndicatorFactory,
    RoundFactory,
    ThresholdFactory,
    build_set,
)

DAY = date(2022, 8, 19)


@pytest.fixture
def district_of(db):
    def build(communes):
        district = DistrictFactory()
        criteria_set = build_set([3, 2])
        numeric = NumericIndicatorFactory(criterion=criteria_set.criteria.get(number=1), code="1.9", order=9)
        ThresholdFactory(indicator=numeric, value=50)
        reporting_round = RoundFactory(unit=district, as_of=DAY)
        indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set))
        records = []
        for _ in range(communes):
            commune = CommuneFactory(parent=district)
            EnrolmentFactory(unit=commune, criteria_set=criteria_set)
            for indicator in indicators[:-1]:  # one indicator left unreported everywhere
                numeric_value = indicator.kind == "numeric"
                records.append(
                    AchievementRecord(
                        unit=commune,
                        indicator=indicator,
                        as_of=DAY,
                        reporting_round=reporting_round,
                        status=RecordStatus.SUBMITTED,
                        value_bool=None if numeric_value else True,
                        value_number=60 if numeric_value else None,
                        is_met=True,
                    )
                )
        AchievementRecord.objects.bulk_create(records)
        staff = account_create(username=f"bcd{communes}", password="x", role=Role.DISTRICT_STAFF, unit=district)
        officer = account_create(username=f"xa{communes}", password="x", role=Role.COMMUNE_OFFICER, unit=commune)
        return district, criteria_set, reporting_round, commune, staff, officer

    return build


@pytest.mark.parametrize("communes", [10, 200])
def test_verification_queue_query_count(district_of, client, django_assert_num_queries, communes):
    district, criteria_set, reporting_round, commune, staff, officer = district_of(communes)
    client.force_login(staff)
    # session, user, profile, profile's unit (scope), submitted records with units, indicators,
    # sets, rounds, senders and previous values, their evidence (+1, issue 15), the menu's queue
    # count (+1, issue 15: every page with the menu counts the user's waiting work)
    with django_assert_num_queries(7):
        response = client.get("/duyet/")
    assert response.content.decode().count('name="record"') == communes * 5


@pytest.mark.parametrize("communes", [10, 200])
def test_completeness_query_count(district_of, client, django_assert_num_queries, communes):
    district, criteria_set, reporting_round, commune, staff, officer = district_of(communes)
    client.force_login(staff)
    # session, user, profile, profile's unit, round (scope), enrolments, indicators, reported pairs,
    # the menu's queue count (+1, issue 15)
    with django_assert_num_queries(9):
        response = client.get(f"/dot-bao-cao/{reporting_round.pk}/tien-do/")
    assert response.content.decode().count(">5/6<") == communes


@pytest.mark.parametrize("communes", [10, 200])
def test_entry_form_query_count(district_of, client, django_assert_num_queries, communes):
    district, criteria_set, reporting_round, commune, staff, officer = district_of(communes)
    client.force_login(officer)
    url = f"/nhap-lieu/{commune.code}/{criteria_set.code}/1/?round={reporting_round.pk}"
    # session, user, profile, profile's unit, unit by code (scope), criterion, round, indicators,
    # their thresholds, records of the date, their evidence, may the user edit (scope), the engine's
    # latest records for the marks (+1, issue 15), the menu's returned records (+1, issue 15)
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("Gửi huyện duyệt") == 1


@pytest.mark.parametrize("communes", [10, 200])
def test_rounds_and_entry_list_query_count(district_of, client, django_assert_num_queries, communes):
    district, criteria_set, reporting_round, commune, staff, officer = district_of(communes)
    client.force_login(staff)
    # session, user, profile, home unit, rounds, may the user manage rounds (unit check), the menu's
    # queue count (+1, issue 15)
    with django_assert_num_queries(7):
        assert client.get("/dot-bao-cao/").status_code == 200
    # session, user, profile, profile's unit, enrolments with units and sets, the menu's queue count
    # (+1, issue 15)
    with django_assert_num_queries(6):
        response = client.get("/nhap-lieu/")
    assert response.content.decode().count("/nhap-lieu/unit-") == communes


@pytest.mark.parametrize("communes", [10, 200])
def test_unit_page_query_count(district_of, client, django_assert_num_queries, communes):
    district, criteria_set, reporting_round, commune, staff, officer = district_of(communes)
    client.force_login(staff)
    # session, user, profile, profile's unit, unit by code (scope), sets, their criteria, round,
    # the unit's figures (four: enrolments, criteria, counted records, recognitions), may edit,
    # records in review for the marks (+1, issue 15), the menu's queue count (+1, issue 15)
    with django_assert_num_queries(15):
        response = client.get(f"/nhap-lieu/{commune.code}/?include_submitted=1")
    assert "đạt 1/2 tiêu chí; 5/6 chỉ tiêu." in response.content.decode()
