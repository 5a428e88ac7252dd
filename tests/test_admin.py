"""The admin is where district staff maintain units, sets and records until the own screens exist."""

from datetime import date

import pytest
from django.urls import reverse

from criteria.models import Indicator
from records.models import AchievementRecord

MODELS = [
    "communes/administrativeunit",
    "criteria/enrolment",
    "criteria/recognition",
    "records/achievementrecord",
]
# National reference data: district staff read it, national administrators change it.
REFERENCE_MODELS = ["criteria/criteriaset", "criteria/criterion", "criteria/indicator"]


@pytest.mark.parametrize("model", MODELS)
def test_district_staff_can_open_every_list_and_add_form(demo_accounts, client, model):
    client.force_login(demo_accounts["bcd"])
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 200


@pytest.mark.parametrize("model", REFERENCE_MODELS)
def test_district_staff_read_the_national_sets_but_add_nothing_to_them(demo_accounts, client, model):
    client.force_login(demo_accounts["bcd"])
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 403


def test_admin_is_in_vietnamese(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    page = client.get("/admin/").content.decode()
    assert "Theo dõi xây dựng nông thôn mới" in page
    assert "Bộ tiêu chí" in page


def test_leader_is_kept_out_of_the_admin_and_changes_no_record(demo_accounts, client):
    # Leaders read records on the site's pages; the admin is for staff.
    client.force_login(demo_accounts["lanhdao"])
    record = AchievementRecord.objects.first()
    assert client.get("/admin/records/achievementrecord/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/records/achievementrecord/add/")["Location"].startswith("/admin/login/")
    response = client.post(
        reverse("admin:records_achievementrecord_change", args=[record.pk]),
        {"unit": record.unit_id, "indicator": record.indicator_id, "as_of": "2022-08-19", "value_bool": "false"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert AchievementRecord.objects.get(pk=record.pk).value_bool == record.value_bool


def test_admin_record_form_refuses_a_number_for_a_yes_no_indicator(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    indicator = Indicator.objects.get(criterion__criteria_set__code="xa-ntm-2021-2025", code="17.3")
    unit = demo_accounts["xa_quangtan"].profile.unit
    before = AchievementRecord.objects.count()
    response = client.post(
        "/admin/records/achievementrecord/add/",
        {
            "unit": unit.pk,
            "indicator": indicator.pk,
            "as_of": "2023-01-01",
            "value_bool": "unknown",
            "value_number": "5",
        },
    )
    assert response.status_code == 200
    assert "chỉ nhận giá trị Đạt / Không đạt" in response.content.decode()
    assert AchievementRecord.objects.count() == before


def test_admin_record_form_decides_met_from_the_value(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    indicator = Indicator.objects.get(criterion__criteria_set__code="xa-ntm-2021-2025", code="17.3")
    unit = demo_accounts["xa_quangtan"].profile.unit
    response = client.post(
        "/admin/records/achievementrecord/add/",
        {"unit": unit.pk, "indicator": indicator.pk, "as_of": "2023-01-01", "value_bool": "false", "note": "rà soát"},
    )
    assert response.status_code == 302
    record = AchievementRecord.objects.get(unit=unit, indicator=indicator, as_of=date(2023, 1, 1))
    assert record.is_met is False
    assert record.recorded_by == demo_accounts["bcd"]


@pytest.mark.parametrize("communes", [10, 200])
def test_record_list_query_count_is_constant(db, admin_client, django_assert_num_queries, communes):
    from tests.factories import CommuneFactory, DistrictFactory, IndicatorFactory, RecordFactory

    district = DistrictFactory()
    indicator = IndicatorFactory()
    for _ in range(communes):
        RecordFactory(unit=CommuneFactory(parent=district), indicator=indicator)
    # session, user (a superuser: no profile needed for the scope), sets for the set filter, units
    # for the unit filter, count, full count, the page of records with units, indicators and
    # users, the date hierarchy's first and last date, and its days: the same nine at 10 and 200
    with django_assert_num_queries(9):
        assert admin_client.get("/admin/records/achievementrecord/").status_code == 200
