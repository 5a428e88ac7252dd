"""/healthz and /readyz: what a load balancer and systemd ask before sending users to a server."""

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


def test_healthz_answers_without_login_database_or_session(client):
    # No `db` fixture: any database access here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies  # no session, no CSRF cookie


def test_readyz_says_ready_when_database_answers_and_migrations_are_applied(db, client, django_assert_num_queries):
    # the applied-migrations table: does it exist, what is in it
    with django_assert_num_queries(2, exact=False):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "migrations": "applied"}
    assert not response.cookies


def test_readyz_is_unavailable_while_a_migration_is_pending(db, client):
    latest = max(name for app, name in MigrationLoader(connection).graph.leaf_nodes() if app == "criteria")
    MigrationRecorder(connection).record_unapplied("criteria", latest)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    assert f"criteria.{latest}" in response.json()["pending"]


def test_readyz_is_unavailable_when_the_database_is_unreachable(db, client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", refuse)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_healthz_stays_up_while_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", lambda self: (_ for _ in ()).throw(OperationalError("down")))
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_refuse_writes(db, client, path):
    assert client.post(path).status_code == 405
