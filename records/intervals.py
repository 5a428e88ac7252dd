"""Status intervals (`StatusInterval`) kept by the database from the verified records.

Records are written by the services, the admin, imports (`bulk_create`), `update()`, COPY in
devdata and the tests' factories. Rather than every one of them remembering to update the
intervals, triggers on the records table recompute the intervals of every (unit, indicator) pair
a statement touched, from that pair's verified records, then the set standings of those units on
those indicators' sets (`records.standings`), in the same transaction:

- PostgreSQL: one statement-level trigger per event with its transition table (REFERENCING NEW /
  OLD TABLE; PostgreSQL allows transition tables only on single-event triggers), so a bulk insert
  of 20,000 rows or a COPY of 100,000 recomputes its pairs in two set-based statements. The unit
  rows of the pairs are locked first (FOR NO KEY UPDATE, which foreign-key checks do not wait on)
  so that two transactions writing the same unit recompute one after the other, each seeing the
  other's committed records. TRUNCATE empties the intervals.
- SQLite: row-level triggers (window functions need SQLite >= 3.25), only for rows whose verified
  status, date, pair or is_met changed.

The triggers are (re)installed after every `migrate` (a post_migrate handler, like the cache's
version triggers in `reports/cache.py`): SQLite drops a table's triggers whenever a migration
rebuilds it, and a migration would freeze the SQL. When they had to be installed (first migrate,
or dropped), the intervals are rebuilt from the records, since writes in between were not seen.
"""

from django.db import connections, transaction

from records import standings

RECORDS = "criteria_achievementrecord"
INTERVALS = "records_statusinterval"
UNITS = "communes_administrativeunit"
PG_EVENTS = ("insert", "update", "delete")
SQLITE_TRIGGERS = [f"ntm_status_intervals_{event}" for event in PG_EVENTS]
PG_TRIGGERS = [*SQLITE_TRIGGERS, "ntm_status_intervals_truncate"]


def _intervals_select(where):
    """SELECT (unit_id, indicator_id, valid_from, valid_to, is_met) of the intervals of the verified
    records matching `where` (whole pairs): a run of records with the same is_met is one interval,
    which ends where the next run starts."""
    return f"""
        SELECT unit_id, indicator_id, as_of,
            LEAD(as_of) OVER (PARTITION BY unit_id, indicator_id ORDER BY as_of), is_met
        FROM (
            SELECT r.unit_id, r.indicator_id, r.as_of, r.is_met,
                LAG(r.is_met) OVER (PARTITION BY r.unit_id, r.indicator_id ORDER BY r.as_of) AS previous
            FROM {RECORDS} r
            WHERE r.status = 'verified' AND ({where})
        ) runs
        WHERE previous IS NULL OR previous <> is_met
    """


INSERT_INTERVALS = f"INSERT INTO {INTERVALS} (unit_id, indicator_id, valid_from, valid_to, is_met)"

# The pairs whose verified records a statement changed, from its transition tables.
_RECORD_COLUMNS = "id, unit_id, indicator_id, as_of, is_met, status"
PG_CHANGED_PAIRS = {
    "insert": "SELECT unit_id, indicator_id FROM new_records WHERE status = 'verified' GROUP BY 1, 2",
    "delete": "SELECT unit_id, indicator_id FROM old_records WHERE status = 'verified' GROUP BY 1, 2",
    # A row counts as changed only if its verified status, date, pair or is_met did: saving a
    # record's note or verifying a draft's siblings costs nothing here.
    "update": f"""
        SELECT unit_id, indicator_id FROM (
            (SELECT {_RECORD_COLUMNS} FROM old_records WHERE status = 'verified'
             EXCEPT SELECT {_RECORD_COLUMNS} FROM new_records)
            UNION
            (SELECT {_RECORD_COLUMNS} FROM new_records WHERE status = 'verified'
             EXCEPT SELECT {_RECORD_COLUMNS} FROM old_records)
        ) changed GROUP BY unit_id, indicator_id
    """,
}
PG_REFERENCING = {
    "insert": "NEW TABLE AS new_records",
    "delete": "OLD TABLE AS old_records",
    "update": "OLD TABLE AS old_records NEW TABLE AS new_records",
}


# The (unit, set) pairs whose standings follow from the pairs' intervals.
_PG_STANDING_PAIRS = standings.pairs_of_indicators(
    "SELECT * FROM unnest(units, indicators) AS q(unit_id, indicator_id)"
)


def _pg_function(event):
    # The pairs are read from the transition table once, into two arrays the statements unnest.
    return f"""
        CREATE OR REPLACE FUNCTION ntm_status_intervals_{event}() RETURNS trigger AS $$
        DECLARE
            units bigint[];
            indicators bigint[];
        BEGIN
            SELECT array_agg(unit_id), array_agg(indicator_id) INTO units, indicators
                FROM ({PG_CHANGED_PAIRS[event]}) p;
            IF units IS NULL THEN
                RETURN NULL;
            END IF;
            PERFORM 1 FROM {UNITS} WHERE id = ANY(units) ORDER BY id FOR NO KEY UPDATE;
            DELETE FROM {INTERVALS} i USING unnest(units, indicators) AS p(unit_id, indicator_id)
                WHERE i.unit_id = p.unit_id AND i.indicator_id = p.indicator_id;
            {INSERT_INTERVALS} {_intervals_select("(r.unit_id, r.indicator_id) IN (SELECT * FROM unnest(units, indicators))")};
            {";".join(standings.recompute_pairs(_PG_STANDING_PAIRS, "postgresql"))};
            RETURN NULL;
        END $$ LANGUAGE plpgsql
    """


def _sqlite_trigger(event):
    if event == "insert":
        when, pairs = "NEW.status = 'verified'", ["NEW"]
    elif event == "delete":
        when, pairs = "OLD.status = 'verified'", ["OLD"]
    else:
        changed = " OR ".join(
            f"OLD.{column} IS NOT NEW.{column}" for column in ("status", "is_met", "as_of", "unit_id", "indicator_id")
        )
        when, pairs = f"(OLD.status = 'verified' OR NEW.status = 'verified') AND ({changed})", ["OLD", "NEW"]
    match = " OR ".join(f"({{t}}unit_id = {row}.unit_id AND {{t}}indicator_id = {row}.indicator_id)" for row in pairs)
    changed = standings.pairs_of_indicators(
        " UNION ".join(f"SELECT {row}.unit_id AS unit_id, {row}.indicator_id AS indicator_id" for row in pairs)
    )
    return f"""
        CREATE TRIGGER ntm_status_intervals_{event} AFTER {event.upper()} ON {RECORDS}
        WHEN {when}
        BEGIN
            DELETE FROM {INTERVALS} WHERE {match.format(t="")};
            {INSERT_INTERVALS} {_intervals_select(match.format(t="r."))};
            {";".join(standings.recompute_pairs(changed, "sqlite"))};
        END
    """


_TRIGGER_TABLES = (RECORDS, standings.INDICATORS, standings.CRITERIA)


def _existing_triggers(cursor, vendor):
    names = set()
    for table in _TRIGGER_TABLES:
        if vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        names |= {name for (name,) in cursor.fetchall()}
    return names


def install_interval_triggers(using="default", **kwargs):
    """Create (or replace) the triggers of the intervals and the set standings, and rebuild both
    tables when any trigger was missing (a post_migrate handler; idempotent). Returns whether
    any was."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return False
    tables = set(connection.introspection.table_names())
    if not {RECORDS, INTERVALS, standings.STANDINGS} <= tables:
        return False
    with transaction.atomic(using=using), connection.cursor() as cursor:
        wanted = PG_TRIGGERS if connection.vendor == "postgresql" else SQLITE_TRIGGERS
        wanted = [*wanted, *standings.CRITERIA_EVENTS]
        missing = set(wanted) - _existing_triggers(cursor, connection.vendor)
        if connection.vendor == "postgresql":
            # Replaced every time, so a changed function body reaches existing databases.
            for event in PG_EVENTS:
                cursor.execute(_pg_function(event))
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER ntm_status_intervals_{event} AFTER {event.upper()} ON {RECORDS} "
                    f"REFERENCING {PG_REFERENCING[event]} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION ntm_status_intervals_{event}()"
                )
            # DELETE, not TRUNCATE: a flush truncates both tables in one statement, and PostgreSQL
            # refuses to truncate a table the same statement is truncating.
            cursor.execute(
                "CREATE OR REPLACE FUNCTION ntm_status_intervals_truncate() RETURNS trigger AS $$ "
                f"BEGIN DELETE FROM {INTERVALS}; DELETE FROM {standings.STANDINGS}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER ntm_status_intervals_truncate AFTER TRUNCATE ON {RECORDS} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ntm_status_intervals_truncate()"
            )
            for function, trigger in standings.pg_statements():
                cursor.execute(function)
                cursor.execute(trigger)
        else:
            # SQLite has no CREATE OR REPLACE TRIGGER: dropped and created, so a changed body lands.
            triggers = {f"ntm_status_intervals_{event}": _sqlite_trigger(event) for event in PG_EVENTS}
            for name, sql in {**triggers, **standings.sqlite_triggers()}.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(sql)
        if missing:
            rebuild_status_intervals(using=using)
    return bool(missing)


def rebuild_status_intervals(*, using="default"):
    """Recompute every interval from the records, and every set standing from the intervals
    (`manage.py rebuild_status_intervals`); returns the number of intervals. The triggers keep
    both right afterwards."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers of records wait for the rebuild instead of changing what it reads.
            cursor.execute(f"LOCK TABLE {RECORDS} IN SHARE MODE")
            cursor.execute(f"TRUNCATE {INTERVALS}, {standings.STANDINGS}")
        else:
            cursor.execute(f"DELETE FROM {INTERVALS}")
            cursor.execute(f"DELETE FROM {standings.STANDINGS}")
        cursor.execute(f"{INSERT_INTERVALS} {_intervals_select('1 = 1')}")
        count = cursor.rowcount
        cursor.execute(standings.rebuild_sql(connection.vendor))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {INTERVALS}")
            cursor.execute(f"ANALYZE {standings.STANDINGS}")
    return count
