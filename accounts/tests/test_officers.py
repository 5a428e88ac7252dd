"""District staff create commune-officer accounts, for their own communes only."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Role
from tests.factories import CommuneFactory

URL = "/nguoi-dung/can-bo-xa/"
PASSWORD_URL = "/nguoi-dung/can-bo-xa/mat-khau/"
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


def test_there_is_no_public_password_reset_and_no_reset_mail_goes_out(demo_accounts, client, mailoutbox):
    demo_accounts["bcd"].email = "bcd@example.vn"
    demo_accounts["bcd"].save()
    for _ in range(20):
        assert client.post("/accounts/password_reset/", {"email": "bcd@example.vn"}).status_code == 404
    assert client.get("/accounts/reset/MQ/set-password/").status_code == 404
    assert mailoutbox == []
    assert "nhờ cán bộ Ban chỉ đạo (hoặc quản trị hệ thống)" in client.get("/accounts/login/").content.decode()


def test_district_staff_set_a_new_password_for_their_officer_who_can_then_log_in(demo_accounts, client):
    officer = demo_accounts["xa_quangtan"]
    client.force_login(demo_accounts["bcd"])
    response = client.post(PASSWORD_URL, {"officer": officer.pk, "new_password": STRONG})
    assert response.status_code == 302
    client.logout()
    assert client.post("/accounts/login/", {"username": "xa_quangtan", "password": STRONG}).status_code == 302
    assert demo_accounts["bcd"] in {h.history_user for h in officer.history.all()}  # in the audit trail


def test_a_weak_new_password_is_refused_and_the_old_one_still_works(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = client.post(PASSWORD_URL, {"officer": demo_accounts["xa_quangtan"].pk, "new_password": "12345678"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    client.logout()
    assert client.post("/accounts/login/", {"username": "xa_quangtan", "password": "demo"}).status_code == 302


def test_a_refused_new_password_leaves_the_account_creation_form_untouched(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = client.post(PASSWORD_URL, {"officer": demo_accounts["xa_quangtan"].pk, "new_password": "ab1"})
    page = response.content.decode()
    assert "Mật khẩu quá ngắn" in page  # the error of the form that was sent
    assert "Trường này là bắt buộc." not in page  # none on the creation form, which was not


@pytest.mark.parametrize("target", ["lanhdao", "bcd"])
def test_district_staff_cannot_reset_a_password_that_is_not_their_officers(demo_accounts, client, target):
    client.force_login(demo_accounts["bcd"])
    response = client.post(PASSWORD_URL, {"officer": demo_accounts[target].pk, "new_password": STRONG})
    assert response.status_code == 200  # not a choice
    client.logout()
    assert client.post("/accounts/login/", {"username": target, "password": "demo"}).status_code == 302


def test_officers_and_leaders_cannot_reset_passwords(demo_accounts, client):
    for username in ["xa_quangtan", "lanhdao"]:
        client.force_login(demo_accounts[username])
        response = client.post(PASSWORD_URL, {"officer": demo_accounts["xa_tanlap"].pk, "new_password": STRONG})
        assert response.status_code == 403
