"""Account security: login lockout per username and IP, password rules, CSRF, session expiry."""

from django.conf import settings
from django.test import Client

LOGIN = "/accounts/login/"


def _attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_sixth_wrong_password_locks_the_account_for_that_ip(demo_accounts, client):
    for _ in range(5):
        response = _attempt(client, "bcd", "sai")
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()

    sixth = _attempt(client, "bcd", "sai")

    assert sixth.status_code == 429
    assert "tạm thời bị khoá" in sixth.content.decode()
    # Even the right password is refused from that IP now ...
    assert _attempt(client, "bcd", "demo").status_code == 429
    # ... while the same account from another IP, and another account from this IP, still log in.
    assert _attempt(Client(), "bcd", "demo", ip="10.0.0.2").status_code == 302
    assert _attempt(Client(), "lanhdao", "demo").status_code == 302


def test_five_wrong_passwords_then_the_right_one_logs_in_and_resets_the_count(demo_accounts, client):
    for _ in range(5):
        _attempt(client, "xa_quangtan", "sai")
    assert _attempt(client, "xa_quangtan", "demo").status_code == 302
    client.logout()
    for _ in range(5):
        assert _attempt(client, "xa_quangtan", "sai").status_code == 200


def test_admin_login_is_locked_out_too(demo_accounts, client):
    for _ in range(6):
        response = client.post("/admin/login/", {"username": "bcd", "password": "sai"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


def test_forms_refuse_a_post_without_the_csrf_token(demo_accounts):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_accounts["bcd"])
    response = client.post("/dot-bao-cao/", {"name": "x", "as_of": "2023-01-01", "deadline": "2023-01-02"})
    assert response.status_code == 403


def test_sessions_expire_and_passwords_are_validated():
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 60 * 60
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= names


def test_an_officer_changes_their_own_password_on_the_sites_page_not_the_admins(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    menu = client.get("/").content.decode()
    assert 'href="/accounts/password_change/"' in menu
    page = client.get("/accounts/password_change/").content.decode()
    assert 'id="password-change"' in page and "/admin/" not in page
    done = client.post(
        "/accounts/password_change/",
        {"old_password": "demo", "new_password1": "Mat-khau-rieng-2026", "new_password2": "Mat-khau-rieng-2026"},
        follow=True,
    )
    assert "Đã đổi mật khẩu" in done.content.decode() and "/admin/" not in done.content.decode()
    demo_accounts["xa_quangtan"].refresh_from_db()
    assert demo_accounts["xa_quangtan"].check_password("Mat-khau-rieng-2026")
