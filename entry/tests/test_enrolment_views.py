"""The bulk enrolment page: preview, then confirm; only steering staff may use it."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import account_create
from criteria.models import Enrolment, SetLevel
from tests.factories import CommuneFactory, CriteriaSetFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def test_province_staff_enrol_every_commune_from_one_page(client):
    province = ProvinceFactory(code="tinh-thu")
    CommuneFactory(code="xa-1", parent=province)
    CommuneFactory(code="xa-2", parent=province)
    CriteriaSetFactory(code="xa-2026", level=SetLevel.COMMUNE)
    client.force_login(account_create(username="bcd", password="x", role=Role.DISTRICT_STAFF, unit=province))
    assert client.get(reverse("io:enrolments")).status_code == 200
    form = {"parent": "tinh-thu", "set": "xa-2026", "target_year": "2028"}
    preview = client.post(reverse("io:enrolments"), form)
    assert preview.status_code == 200 and not Enrolment.objects.exists()
    done = client.post(reverse("io:enrolments"), {**form, "confirm": "1"})
    assert done.status_code == 200
    assert sorted(Enrolment.objects.values_list("unit__code", "target_year")) == [("xa-1", 2028), ("xa-2", 2028)]


def test_a_commune_officer_may_not_open_the_enrolment_page(client):
    commune = CommuneFactory(code="xa-1")
    client.force_login(account_create(username="xa", password="x", role=Role.COMMUNE_OFFICER, unit=commune))
    assert client.get(reverse("io:enrolments")).status_code == 403


def test_a_file_gives_each_commune_its_group_and_the_page_says_whose_records_are_judged_again(client):
    import io
    from decimal import Decimal

    from criteria.enrolments import ENROLMENT_COLUMNS
    from records.services import record_save
    from shared.spreadsheets import write_xlsx
    from tests.factories import CriterionFactory, EnrolmentFactory, NumericIndicatorFactory, ThresholdFactory

    province = ProvinceFactory(code="tinh-thu")
    commune = CommuneFactory(code="xa-1", parent=province)
    indicator = NumericIndicatorFactory(criterion=CriterionFactory(criteria_set__code="xa-2026"))
    ThresholdFactory(indicator=indicator, commune_group=1, value=80)  # made-up targets
    ThresholdFactory(indicator=indicator, commune_group=2, value=70)
    EnrolmentFactory(unit=commune, criteria_set=indicator.criterion.criteria_set, commune_group=2)
    record = record_save(unit=commune, indicator=indicator, as_of=date(2026, 6, 30), value_number=Decimal(75))
    assert record.is_met
    client.force_login(account_create(username="bcd", password="x", role=Role.DISTRICT_STAFF, unit=province))
    upload = io.BytesIO(
        write_xlsx([("Đăng ký thực hiện", list(ENROLMENT_COLUMNS.values()), [["xa-1", "xa-2026", 2030, 1]])])
    )
    upload.name = "dang-ky.xlsx"
    preview = client.post(reverse("io:enrolments_upload"), {"file": upload})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "1 xã đổi nhóm" in page and 'name="token"' in page
    token = preview.context["token"]
    done = client.post(reverse("io:enrolments_confirm"), {"token": token})
    assert done.status_code == 200 and done.context["result"].saved
    record.refresh_from_db()
    assert Enrolment.objects.get(unit=commune).commune_group == 1 and record.is_met is False
