"""The benchmark's yardstick: hand-written SQL statements computing the committee figures.

Each is one statement, written without the engine's code: the subtree is a recursive CTE (the
engine uses `AdministrativeUnit.objects.within`) and the per-set sums are done in SQL (the engine
sums in Python). Two ways of finding "the latest record on or before the date" are timed, and the
faster one is the yardstick: a window function (ROW_NUMBER) and one grouped pass taking
MAX(day number * 2 + is_met). Same rules as `reports.engine`: a criterion is met when
all its indicators are (a criterion without indicators never is), a standard when all the set's
criteria are; units that do not exist on the date drop out.

On PostgreSQL each is also timed with JIT compilation off (`without_jit`): the statement's
estimates can cross `jit_above_cost` even for a district (the recursive CTE is estimated at
thousands of units), and it then spent 46 ms compiling before its first row of a 10 ms plan. The
yardstick is the fastest of them all, so the engine is compared with the best hand-written SQL.
"""

import contextlib

from records.models import AchievementRecord

SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM communes_administrativeunit WHERE id = %(root)s
    UNION ALL
    SELECT u.id FROM communes_administrativeunit u JOIN subtree s ON u.parent_id = s.id
),
units AS (
    SELECT u.id FROM communes_administrativeunit u JOIN subtree s ON s.id = u.id
    WHERE (u.valid_from IS NULL OR u.valid_from <= %(day)s) AND (u.valid_to IS NULL OR u.valid_to > %(day)s)
),
enrolled AS (
    SELECT e.unit_id, e.criteria_set_id FROM criteria_enrolment e JOIN units ON units.id = e.unit_id
),
criterion_size AS (
    SELECT c.id, c.criteria_set_id, COUNT(i.id) AS indicators
    FROM criteria_criterion c LEFT JOIN criteria_indicator i ON i.criterion_id = c.id
    GROUP BY c.id, c.criteria_set_id
),
set_size AS (
    SELECT criteria_set_id, COUNT(*) AS criteria FROM criteria_criterion GROUP BY criteria_set_id
),
{latest},
per_unit AS (
    SELECT e.unit_id, e.criteria_set_id,
           SUM(CASE WHEN cs.indicators > 0 AND pc.met = cs.indicators THEN 1 ELSE 0 END) AS criteria_met,
           COALESCE(SUM(pc.met), 0) AS indicators_met
    FROM enrolled e
    LEFT JOIN criterion_size cs ON cs.criteria_set_id = e.criteria_set_id
    LEFT JOIN per_criterion pc ON pc.unit_id = e.unit_id AND pc.criterion_id = cs.id
    GROUP BY e.unit_id, e.criteria_set_id
)
SELECT p.criteria_set_id, COUNT(*), SUM(p.criteria_met), SUM(p.indicators_met),
       SUM(CASE WHEN ss.criteria > 0 AND p.criteria_met = ss.criteria THEN 1 ELSE 0 END)
FROM per_unit p LEFT JOIN set_size ss ON ss.criteria_set_id = p.criteria_set_id
GROUP BY p.criteria_set_id
ORDER BY p.criteria_set_id
"""


LATEST = {
    "window": """
ranked AS (
    SELECT r.unit_id, r.indicator_id, r.is_met,
           ROW_NUMBER() OVER (PARTITION BY r.unit_id, r.indicator_id ORDER BY r.as_of DESC) AS rn
    FROM criteria_achievementrecord r JOIN units ON units.id = r.unit_id
    WHERE r.as_of <= %(day)s {record_filter}
),
per_criterion AS (
    SELECT ranked.unit_id, i.criterion_id, SUM(CASE WHEN ranked.is_met THEN 1 ELSE 0 END) AS met
    FROM ranked JOIN criteria_indicator i ON i.id = ranked.indicator_id
    WHERE ranked.rn = 1
    GROUP BY ranked.unit_id, i.criterion_id
)""",
    "grouped max": """
latest AS (
    SELECT r.unit_id, r.indicator_id, MAX({day_number} * 2 + CASE WHEN r.is_met THEN 1 ELSE 0 END) AS k
    FROM criteria_achievementrecord r JOIN units ON units.id = r.unit_id
    WHERE r.as_of <= %(day)s {record_filter}
    GROUP BY r.unit_id, r.indicator_id
),
per_criterion AS (
    SELECT latest.unit_id, i.criterion_id, SUM(latest.k %% 2) AS met
    FROM latest JOIN criteria_indicator i ON i.id = latest.indicator_id
    GROUP BY latest.unit_id, i.criterion_id
)""",
}
DAY_NUMBER = {"postgresql": "(r.as_of - DATE '2000-01-01')", "sqlite": "CAST(julianday(r.as_of) AS INTEGER)"}


def statement(vendor, variant):
    latest = LATEST[variant].format(record_filter=_record_filter(), day_number=DAY_NUMBER[vendor])
    return SQL.replace("{latest}", latest)


def _record_filter():
    # Once records carry a review status, only verified ones count (as in the engine).
    fields = {f.name for f in AchievementRecord._meta.concrete_fields}
    return "AND r.status = 'verified'" if "status" in fields else ""


def timings(connection):
    """(label, variant, JIT off?) for every way the reference is timed on this database."""
    ways = [(variant, variant, False) for variant in LATEST]
    if connection.vendor == "postgresql":
        ways += [(f"{variant}, no JIT", variant, True) for variant in LATEST]
    return ways


@contextlib.contextmanager
def without_jit(connection):
    """Run the block with PostgreSQL's JIT off, then back to the server's setting. Not SET LOCAL:
    inside a test's transaction that would last until the test ends."""
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


def reference_figures(connection, unit, as_of, variant="grouped max"):
    """{set id: (units, criteria met, indicators met, units meeting the standard)} in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(statement(connection.vendor, variant), {"root": unit.pk, "day": as_of})
        return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in cursor.fetchall()}


def engine_figures(summary):
    """The same four numbers per set, read from a `reports.engine.Summary`."""
    return {
        s.criteria_set.pk: (s.unit_count, s.criteria_met_sum, s.indicators_met_sum, s.units_meeting_standard)
        for s in summary.sets
    }
