"""The login lockout counts the real client behind the documented nginx, and only nginx may say
who that is: a forged X-Forwarded-For changes nothing."""

from django.test import Client

LOGIN = "/accounts/login/"
NGINX = "127.0.0.1"


def _attempt(client, password, remote, forwarded=None, username="bcd"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_six_wrong_passwords_from_one_client_behind_nginx_do_not_lock_out_another(demo_accounts):
    for _ in range(6):
        response = _attempt(Client(), "sai", NGINX, forwarded="203.0.113.5")
    assert response.status_code == 429
    assert _attempt(Client(), "demo", NGINX, forwarded="203.0.113.5").status_code == 429
    # Another office behind the same nginx still logs in to the same account.
    assert _attempt(Client(), "demo", NGINX, forwarded="198.51.100.7").status_code == 302


def test_a_client_behind_nginx_cannot_escape_the_lockout_by_forging_the_header(demo_accounts):
    # nginx appends the address it saw to whatever the client sent: only that last one counts.
    for n in range(6):
        response = _attempt(Client(), "sai", NGINX, forwarded=f"10.9.9.{n}, bogus, 203.0.113.5")
    assert response.status_code == 429


def test_a_forged_header_from_an_address_that_is_not_the_proxy_is_ignored(demo_accounts):
    for n in range(6):
        response = _attempt(Client(), "sai", "198.51.100.9", forwarded=f"1.1.1.{n}")
    assert response.status_code == 429
    # ... and forging the locked address from elsewhere locks nobody else out.
    assert _attempt(Client(), "demo", "198.51.100.10", forwarded="198.51.100.9").status_code == 302
