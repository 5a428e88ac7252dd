"""Every request leaves one structured log line on stdout; errors keep their traceback."""

import importlib
import json
import logging

import pytest
from django.test import Client

from ops.logging import JsonFormatter


def _request_lines(caplog):
    return [r for r in caplog.records if r.name == "ops.request"]


def test_each_request_is_logged_with_method_path_status_duration_and_user(demo_accounts, client, caplog):
    user = demo_accounts["lanhdao"]
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="ops.request"):
        client.get("/?date=2022-08-19")
    (line,) = _request_lines(caplog)
    assert (line.method, line.path, line.status, line.user_id) == ("GET", "/", 200, user.pk)
    assert line.duration_ms >= 0


def test_anonymous_and_probe_requests_are_logged_without_a_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="ops.request"):
        client.get("/healthz")
    (line,) = _request_lines(caplog)
    assert (line.path, line.status, line.user_id) == ("/healthz", 200, None)


def test_client_errors_are_logged_as_warnings(db, client, caplog):
    client.force_login(_staff())
    with caplog.at_level(logging.INFO, logger="ops.request"):
        client.get("/no-such-page/")
    (line,) = _request_lines(caplog)
    assert (line.status, line.levelname) == (404, "WARNING")


def _staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("staff", is_staff=True)


def test_json_formatter_writes_one_parseable_line_with_extras_and_traceback():
    try:
        raise ValueError("hỏng")
    except ValueError:
        record = logging.getLogger("ops.request").makeRecord(
            "ops.request", logging.ERROR, __file__, 1, "GET %s %s", ("/", 500), __import__("sys").exc_info(),
            extra={"status": 500, "user_id": 7},
        )  # fmt: skip
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET / 500"
    assert (entry["level"], entry["status"], entry["user_id"]) == ("ERROR", 500, 7)
    assert "ValueError: hỏng" in entry["exception"]


@pytest.mark.django_db
def test_unhandled_errors_are_logged_with_their_traceback(monkeypatch, caplog):
    views = importlib.import_module("reports.views.overview")  # the module, not the view function

    monkeypatch.setattr(views, "summarise_dates", lambda *a, **k: 1 / 0)
    client = Client(raise_request_exception=False)
    client.force_login(_staff_with_unit())
    with caplog.at_level(logging.INFO):
        response = client.get("/")
    assert response.status_code == 500
    assert "Đã xảy ra lỗi hệ thống" in response.content.decode()
    errors = [r for r in caplog.records if r.name == "django.request"]
    assert errors and "ZeroDivisionError" in JsonFormatter().format(errors[0])
    assert [r.status for r in _request_lines(caplog)] == [500]


def _staff_with_unit():
    from accounts.services import account_create
    from tests.factories import DistrictFactory

    return account_create(username="bcd_test", password="x", role="district_staff", unit=DistrictFactory())
