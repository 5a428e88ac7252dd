"""Faults: a lost database gives a clean 503 and the site recovers; a failed save leaves nothing."""

import importlib
import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import IntegrityError, InterfaceError, OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from communes.models import AdministrativeUnit
from criteria.models import Enrolment, Indicator
from records.models import AchievementRecord


@pytest.fixture
def leader_client(demo_accounts):
    """A logged-in leader whose client returns error pages instead of raising, as a browser sees."""
    client = Client(raise_request_exception=False)
    client.force_login(demo_accounts["lanhdao"])
    return client


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_going_away_gives_a_vietnamese_503_and_the_site_recovers(leader_client, monkeypatch, error):
    with monkeypatch.context() as outage:
        outage.setattr(BaseDatabaseWrapper, "cursor", _raise(error("server closed the connection unexpectedly")))
        response = leader_client.get("/?date=2022-08-19")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page
    assert "server closed the connection" not in page  # no internals shown to the user

    response = leader_client.get("/?date=2022-08-19")
    assert response.status_code == 200
    assert "17,87/19" in response.content.decode()


def test_database_failing_in_the_middle_of_a_page_gives_503(leader_client, monkeypatch):
    views = importlib.import_module("reports.views.overview")  # the module, not the view function

    def trend_then_lose_database(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(views, "summarise_dates", trend_then_lose_database)
    response = leader_client.get("/?date=2022-08-19")
    assert response.status_code == 503
    assert "Hệ thống tạm thời gián đoạn" in response.content.decode()


def test_other_errors_stay_a_500(leader_client, monkeypatch):
    views = importlib.import_module("reports.views.overview")  # the module, not the view function

    monkeypatch.setattr(views, "summarise_dates", _raise(IntegrityError("duplicate key")))
    response = leader_client.get("/?date=2022-08-19")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.skipif(connection.vendor != "postgresql", reason="kills a PostgreSQL backend connection")
@pytest.mark.django_db(transaction=True)
def test_the_app_reconnects_by_itself_after_postgres_drops_its_connection():
    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    # Through the real WSGI handler, as gunicorn calls it: request_started runs the health check.
    status, body = _wsgi_get("/readyz")
    assert status.startswith("200"), body
    assert connection.connection.get_backend_pid() != pid


def test_a_multi_row_write_failing_midway_leaves_nothing(db, monkeypatch):
    from devdata import demo

    def fail(*args, **kwargs):
        raise IntegrityError("simulated failure after units and enrolments were written")

    monkeypatch.setattr(AchievementRecord.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        demo.load_demo()
    assert AdministrativeUnit.objects.count() == 0
    assert Enrolment.objects.count() == 0
    assert Indicator.objects.count() == 0
    assert AchievementRecord.objects.count() == 0


def test_a_record_save_failing_after_its_write_is_rolled_back(demo, monkeypatch):
    from records import services

    indicator = Indicator.objects.get(criterion__criteria_set__code="xa-ntm-2021-2025", code="17.3")
    unit = demo["xa-quang-tan"]
    before = AchievementRecord.objects.count()
    original = AchievementRecord.save

    def write_then_fail(self, *args, **kwargs):
        original(self, *args, **kwargs)  # the row and its history row are written...
        raise OperationalError("connection lost before commit")  # ...then the connection drops

    monkeypatch.setattr(AchievementRecord, "save", write_then_fail)
    with pytest.raises(OperationalError):
        services.record_save(unit=unit, indicator=indicator, as_of=demo_date(), value_bool=False)
    assert AchievementRecord.objects.count() == before
    assert not AchievementRecord.objects.filter(unit=unit, indicator=indicator, as_of=demo_date()).exists()


def demo_date():
    from datetime import date

    return date(2023, 3, 1)


def _raise(exc):
    def raiser(*args, **kwargs):
        raise exc

    return raiser


def _wsgi_get(path):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = status

    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()
    return captured["status"], body.decode()
