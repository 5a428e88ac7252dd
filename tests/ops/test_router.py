"""The read-replica router: report reads may go to the replica, nothing else ever does."""

import pytest
from django.contrib.auth import get_user_model

from communes.models import AdministrativeUnit
from ops import routers
from ops.routers import ReplicaRouter, replica_reads, report_reads_active
from records.models import AchievementRecord

router = ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """As if DATABASE_REPLICA_URL were set."""
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


def test_report_data_read_inside_a_report_request_goes_to_the_replica(replica):
    with replica_reads():
        assert router.db_for_read(AchievementRecord) == "replica"
        assert router.db_for_read(AdministrativeUnit) == "replica"


def test_accounts_and_sessions_are_read_from_the_primary_even_inside_a_report_request(replica):
    with replica_reads():
        assert router.db_for_read(get_user_model()) is None


def test_reads_outside_report_requests_and_all_writes_go_to_the_primary(replica):
    assert router.db_for_read(AchievementRecord) is None  # e.g. the record form after a save
    with replica_reads():
        assert router.db_for_write(AchievementRecord) is None


def test_the_replica_is_never_migrated(replica):
    assert router.allow_migrate("replica", "criteria") is False
    assert router.allow_migrate("default", "criteria") is None


def test_without_a_replica_the_router_does_nothing():
    with replica_reads():
        assert router.db_for_read(AchievementRecord) is None
        assert router.db_for_write(AchievementRecord) is None
    assert router.allow_migrate("default", "criteria") is None


def test_the_report_flag_is_reset_after_the_block_even_on_error():
    with pytest.raises(ValueError), replica_reads():
        raise ValueError
    assert report_reads_active() is False


@pytest.mark.parametrize(
    ("method", "path", "on_replica"),
    [
        ("get", "/?date=2022-08-19", True),  # the overview reads report data only
        ("post", "/?date=2022-08-19", False),  # a write never reads from the replica
        ("get", "/admin/records/achievementrecord/", False),  # forms and lists stay on the primary
    ],
)
def test_only_report_page_reads_are_marked_for_the_replica(
    demo_accounts, client, monkeypatch, method, path, on_replica
):
    seen = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append((model._meta.app_label, report_reads_active()))
        return original(self, model, **hints)

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    client.force_login(demo_accounts["bcd"])
    getattr(client, method)(path)
    report_reads = {flag for app, flag in seen if app in routers.REPORT_DATA_APPS}
    assert report_reads == {on_replica}
    assert report_reads_active() is False
