"""District staff create commune-officer accounts, for their own communes only."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Role
from tests.factories import CommuneFactory

URL = "/nguoi-dung/can-bo-xa/"
STRONG = "Ngay-mua-thu-2022"


def _create(client, **overrides):
    data = {"username": "xa_quangan", "full_name": "Cán bộ xã Quảng An", "password": STRONG, **overrides}
    return client.post(URL, data)


def test_district_staff_create_an_officer_for_their_commune_who_can_then_log_in(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    quang_an = demo_accounts["bcd"].profile.unit.children.get(code="xa-quang-an")
    response = _create(client, unit=quang_an.pk)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="xa_quangan")
    assert (user.profile.role, user.profile.unit) == (Role.COMMUNE_OFFICER, quang_an)
    assert "xa_quangan" in client.get(URL).content.decode()
    # The creation is in the audit trail, with who did it.
    assert {h.history_user for h in user.history.all()} == {demo_accounts["bcd"]}
    assert user.history.earliest("history_date").history_type == "+"
    client.logout()
    assert client.post("/accounts/login/", {"username": "xa_quangan", "password": STRONG}).status_code == 302


def test_a_commune_of_another_district_is_not_a_choice(demo_accounts, client):
    elsewhere = CommuneFactory()
    client.force_login(demo_accounts["bcd"])
    response = _create(client, unit=elsewhere.pk)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not get_user_model().objects.filter(username="xa_quangan").exists()


def test_weak_passwords_and_taken_usernames_are_refused_in_vietnamese(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    unit = demo_accounts["xa_quangtan"].profile.unit
    page = _create(client, unit=unit.pk, password="12345678").content.decode()
    assert "errorlist" in page
    page = _create(client, unit=unit.pk, username="xa_tanlap").content.decode()
    assert "Tên đăng nhập “xa_tanlap” đã có người dùng." in page
    assert get_user_model().objects.get(username="xa_tanlap").profile.unit.code == "xa-tan-lap"  # untouched
    assert get_user_model().objects.count() == 4


@pytest.mark.parametrize("username", ["xa_quangtan", "lanhdao"])
def test_officers_and_leaders_cannot_create_accounts(demo_accounts, client, username):
    client.force_login(demo_accounts[username])
    assert client.get(URL).status_code == 403
    assert _create(client, unit=demo_accounts["xa_quangtan"].profile.unit.pk).status_code == 403
    assert get_user_model().objects.count() == 4
