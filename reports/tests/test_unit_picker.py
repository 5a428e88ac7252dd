"""The report pages' unit picker offers the units that exist on the report date: on a 2026 date
no district abolished on 1/7/2025, on a 2022 date the old district again (issue 14)."""

import re

import pytest

from accounts.services import account_create
from communes.models import Kind
from devdata.quang_ninh_2026 import load_quang_ninh_2026, load_quang_ninh_2026_accounts
from tests.factories import DistrictFactory, ProvinceFactory, UnitFactory

pytestmark = pytest.mark.django_db

PICKER = re.compile(r'<select name="unit">(.*?)</select>', re.S)


@pytest.fixture
def province_staff(client):
    load_quang_ninh_2026()
    users = {u.username: u for u in load_quang_ninh_2026_accounts()}
    client.force_login(users["bcd_tinh"])
    return users["bcd_tinh"]


def _offered(client, url, day):
    response = client.get(url, {"unit": "quang-ninh", "date": day})
    assert response.status_code == 200
    picker = PICKER.search(response.content.decode())
    return re.findall(r'<option value="([^"]+)"', picker.group(1)) if picker else []


@pytest.mark.parametrize("url", ["/", "/bao-cao-nhanh/"])
def test_a_2026_picker_has_no_district_abolished_in_2025_and_a_2022_one_has_it(client, province_staff, url):
    DistrictFactory(code="huyen-moi", parent=province_staff.profile.unit, valid_from="2026-01-01")
    assert _offered(client, url, "30/11/2026") == ["huyen-moi", "quang-ninh"]
    assert _offered(client, url, "19/08/2022") == ["dam-ha", "quang-ninh"]  # not the 2026 district


def test_a_unit_shown_that_has_ended_stays_first_in_the_picker(client, province_staff):
    response = client.get("/", {"unit": "dam-ha", "date": "30/11/2026"})
    assert response.status_code == 200
    options = re.findall(r'<option value="([^"]+)"', PICKER.search(response.content.decode()).group(1))
    assert options == ["dam-ha", "quang-ninh"]


def test_a_national_picker_offers_the_provinces_and_the_shown_provinces_districts_only(client):
    """A national administrator on a district's page: the nation, every province, the districts
    of the district's own province; no district of another province (nationally there are 700)."""
    nation = UnitFactory(code="viet-nam", name="Việt Nam", kind=Kind.COUNTRY)
    provinces = [ProvinceFactory(code=f"tinh-{p}", parent=nation) for p in "ab"]
    for province in provinces:
        for d in range(3):
            DistrictFactory(code=f"{province.code}-huyen-{d}", parent=province)
    client.force_login(account_create(username="tw", password="x", role="leader", unit=nation))
    response = client.get("/", {"unit": "tinh-a-huyen-1", "date": "19/08/2022"})
    offered = re.findall(r'<option value="([^"]+)"', PICKER.search(response.content.decode()).group(1))
    assert offered == ["tinh-a", "tinh-a-huyen-0", "tinh-a-huyen-1", "tinh-a-huyen-2", "tinh-b", "viet-nam"]
