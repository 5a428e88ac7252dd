"""Engine results cached per unit, criteria sets and date, invalidated by the database itself.

Writes reach the figures from many places: services, the admin, bulk imports, the workflow,
`bulk_create`/`update()` (which send no signals) and COPY. So the version that keys the cache is
kept by database triggers on every table the figures read: each insert, update or delete bumps
one row in `ntm_data_version`, and reading it is one primary-key query. The new value comes
from a sequence on PostgreSQL and from random() on SQLite, so a version seen inside a transaction
that is later rolled back is never reused. The triggers are (re)installed after every `migrate`,
because SQLite drops them when a migration rebuilds a table.

`NTM_CACHE_SUMMARIES=false` turns caching off; `CACHE_URL` picks the cache (local memory by
default, `redis://…` with the `redis` package installed).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection

VERSION_TABLE = "ntm_data_version"
# Every table whose rows change a summary.
WATCHED_TABLES = [
    "communes_administrativeunit",
    "criteria_criteriaset",
    "criteria_criterion",
    "criteria_indicator",
    "criteria_enrolment",
    "criteria_recognition",
    "criteria_achievementrecord",
    # How a province writes its figures (average rule, cơ bản đạt chuẩn threshold).
    "reports_reportsettings",
    "reports_basicstandardthreshold",
]
TIMEOUT = 60 * 60


def data_version():
    """The current data version (one query); None if the row is missing (nothing is cached then)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {VERSION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def cached(name, compute, *key_parts):
    """`compute()`, or its result cached under `name`, the data version and `key_parts`."""
    if not settings.NTM_CACHE_SUMMARIES:
        return compute()
    version = data_version()
    if version is None:
        return compute()
    key = ":".join(["ntm", name, str(version), *(str(part) for part in key_parts)])
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, TIMEOUT)
    return result


def install_version_triggers(using="default", **kwargs):
    """Create the version table and its triggers if missing (a post_migrate handler; idempotent)."""
    from django.db import connections

    conn = connections[using]
    tables = set(conn.introspection.table_names())
    watched = [t for t in WATCHED_TABLES if t in tables]
    if not watched:
        return
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (id integer PRIMARY KEY, version bigint NOT NULL)"
            )
            cursor.execute(f"INSERT INTO {VERSION_TABLE} VALUES (1, 0) ON CONFLICT DO NOTHING")
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {VERSION_TABLE}_seq")
            cursor.execute(
                "CREATE OR REPLACE FUNCTION ntm_bump_data_version() RETURNS trigger AS $$ BEGIN "
                f"UPDATE {VERSION_TABLE} SET version = nextval('{VERSION_TABLE}_seq') WHERE id = 1; RETURN NULL; "
                "END $$ LANGUAGE plpgsql"
            )
            for table in watched:
                # Once per statement, so a COPY of a million rows bumps it once.
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER ntm_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ntm_bump_data_version()"
                )
        elif conn.vendor == "sqlite":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (id integer PRIMARY KEY, version integer NOT NULL)"
            )
            cursor.execute(f"INSERT OR IGNORE INTO {VERSION_TABLE} VALUES (1, 0)")
            for table in watched:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS ntm_data_version_{table}_{event.lower()} AFTER {event} ON {table} "
                        f"BEGIN UPDATE {VERSION_TABLE} SET version = random() WHERE id = 1; END"
                    )
