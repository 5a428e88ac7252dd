"""The bulk enrolment page: preview, then confirm; only steering staff may use it."""

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
