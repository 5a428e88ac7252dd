"""The menu's Tài khoản: steering staff (BCĐ tỉnh, BCĐ huyện) and administrators reach the
officer and steering accounts of their area from every page; nobody else sees it (issue 14)."""

import re

import pytest
from django.contrib.auth import get_user_model

from accounts.services import account_create
from devdata.quang_ninh_2026 import load_quang_ninh_2026, load_quang_ninh_2026_accounts
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

MENU_LINK = re.compile(r'<nav class="main-nav".*?</nav>', re.S)


def _menu(client):
    return MENU_LINK.search(client.get("/").content.decode()).group(0)


@pytest.mark.parametrize(
    ("username", "sees"),
    [("bcd", True), ("lanhdao", False), ("xa_quangtan", False), ("xa_tanlap", False)],
)
def test_the_accounts_menu_entry_appears_only_for_those_who_may_manage_accounts(demo_accounts, client, username, sees):
    client.force_login(demo_accounts[username])
    assert ('href="/nguoi-dung/can-bo-xa/"' in _menu(client)) is sees
    assert (">Tài khoản</a>" in _menu(client)) is sees
    expected = 200 if sees else 403
    assert client.get("/nguoi-dung/can-bo-xa/").status_code == expected
    assert client.get("/nguoi-dung/ban-chi-dao/").status_code == expected


def test_province_staff_reach_both_account_pages_from_the_menu(client):
    load_quang_ninh_2026()
    users = {u.username: u for u in load_quang_ninh_2026_accounts()}
    client.force_login(users["bcd_tinh"])
    assert ">Tài khoản</a>" in _menu(client)
    officers = client.get("/nguoi-dung/can-bo-xa/").content.decode()
    assert 'href="/nguoi-dung/ban-chi-dao/"' in officers
    steering = client.get("/nguoi-dung/ban-chi-dao/").content.decode()
    assert 'href="/nguoi-dung/can-bo-xa/"' in steering
    # The province has no district since 1/7/2025: only BCĐ tỉnh accounts are offered, for it.
    assert "Tạo tài khoản Ban chỉ đạo (BCĐ tỉnh)" in steering
    assert "Tỉnh Quảng Ninh</option>" in steering and "Huyện Đầm Hà</option>" not in steering
    assert "Vai trò (BCĐ tỉnh, Cán bộ xã)" in steering
    assert "BCĐ huyện" not in steering.split('id="steering-staff"')[0] + steering.split("</table>")[1]


def test_a_district_that_still_exists_is_offered_its_district_committee(client):
    district = DistrictFactory(name="Thử")
    staff = account_create(username="bcd.thu", password="BCD-thu-2026-doi-ngay", role="district_staff", unit=district)
    client.force_login(staff)
    steering = client.get("/nguoi-dung/ban-chi-dao/").content.decode()
    assert "Tạo tài khoản Ban chỉ đạo (BCĐ huyện)" in steering
    assert "Huyện Thử</option>" in steering
    assert "Vai trò (BCĐ huyện, Cán bộ xã)" in steering


def test_a_district_abolished_on_1_7_2025_gets_no_new_steering_account(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])  # Huyện Đầm Hà, valid until 1/7/2025
    steering = client.get("/nguoi-dung/ban-chi-dao/")
    assert steering.status_code == 200
    assert 'id="no-steering-units"' in steering.content.decode()
    assert 'id="id_unit"' not in steering.content.decode()


def test_an_administrator_of_an_empty_database_opens_the_accounts_pages(client):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.vn", "Quan-tri-2026-doi-ngay")
    client.force_login(admin)
    assert ">Tài khoản</a>" in _menu(client)
    officers = client.get("/nguoi-dung/can-bo-xa/")
    assert officers.status_code == 200
    assert "Chưa có xã nào trong phạm vi quản lý của bạn" in officers.content.decode()
    assert client.get("/nguoi-dung/ban-chi-dao/").status_code == 200
