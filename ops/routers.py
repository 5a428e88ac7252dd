"""Read replica routing: report pages may read from `DATABASE_REPLICA_URL`, nothing else does.

Reads go to the replica only inside `replica_reads()` (the middleware opens it for GET requests
to report pages) and only for the models figures are computed from. Forms, the admin and every
write stay on the primary, so a user never misses a record they have just saved because of
replication lag. Without a replica configured the router never answers, and Django uses default.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
# Apps whose rows the attainment engine reads.
REPORT_DATA_APPS = frozenset({"communes", "criteria", "records"})

_report_reads = ContextVar("report_reads", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


def report_reads_active():
    """Whether the current request or command is inside `replica_reads()`."""
    return _report_reads.get()


@contextmanager
def replica_reads():
    """Within this block, reads of report data may be served by the replica."""
    token = _report_reads.set(True)
    try:
        yield
    finally:
        _report_reads.reset(token)


class ReplicaRouter:
    """Sends report-data reads inside `replica_reads()` to the replica; all else to default."""

    def db_for_read(self, model, **hints):
        if replica_configured() and report_reads_active() and model._meta.app_label in REPORT_DATA_APPS:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows, so an object read from either may relate to the other.
        return True if {obj1._state.db, obj2._state.db} <= {"default", REPLICA} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema through replication, never through migrate.
        return False if db == REPLICA else None
