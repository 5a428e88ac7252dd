"""Set standings (`SetStanding`) kept by the database from the status intervals.

A national roll-up read the 880,000 intervals in force on a date to count, per commune and set,
indicators and criteria met (1.4 s), then again per indicator for the ones least often met. A
commune's figures on a set change only on the dates one of its intervals starts, so they are kept
as intervals of their own: per unit and set, from each such date to the next, the indicators
recorded and met, the criteria met, and the indicators not met and without a record (as lists of
ids, which the roll-up counts). A country's figures on a date are then one row per commune and set.

Written only here, by the same triggers as the intervals (`records.intervals`): after a statement
rewrote the intervals of some (unit, indicator) pairs, the standings of those units on those
indicators' sets are recomputed from their intervals, in the same transaction. Adding, removing or
moving an indicator changes what its set's criteria need, so it recomputes the standings of the
set (triggers on the indicators and criteria). `rebuild_set_standings` recomputes them all.
"""

INTERVALS = "records_statusinterval"
STANDINGS = "records_setstanding"
INDICATORS = "criteria_indicator"
CRITERIA = "criteria_criterion"
INSERT_STANDINGS = (
    f"INSERT INTO {STANDINGS} (unit_id, criteria_set_id, valid_from, valid_to, indicators_recorded, "
    "indicators_met, criteria_met, unmet, missing)"
)


def _ids(vendor, expression):
    """The aggregate listing `expression`'s ids, comma-separated (NULLs skipped, '' for none)."""
    if vendor == "postgresql":
        return f"COALESCE(string_agg(CAST({expression} AS text), ','), '')"
    return f"COALESCE(group_concat({expression}, ','), '')"


def standings_select(pairs, vendor):
    """SELECT of the standings (the columns of `INSERT_STANDINGS`) of the (unit_id, criteria_set_id)
    pairs `pairs` selects (every pair with intervals if None), from their intervals: one row from
    each date one of them starts.

    The criteria's indicator counts and the missing indicators are read as the engine does
    (`_figures_sql`): a criterion is met when all its indicators are; one without indicators never
    is. On PostgreSQL the pairs' intervals are read once (materialised CTEs: joined inline, the
    planner matched every start with every interval of the unit, 2 million rows for a 20,000-row
    import); SQLite refuses WITH inside triggers, so there they are subqueries."""
    postgresql = vendor == "postgresql"
    if postgresql and pairs:
        # The pairs once, and the intervals read per unit (by the unit index) before the pairs
        # filter them: joined with the criteria first, each unit's were read once per criterion.
        pairs_clause, pairs = f"pairs AS MATERIALIZED ({pairs}), ", "SELECT unit_id, criteria_set_id FROM pairs"
        where = f"WHERE v.unit_id IN (SELECT unit_id FROM pairs) AND (v.unit_id, c.criteria_set_id) IN ({pairs})"
    else:
        pairs_clause, where = "", f"WHERE (v.unit_id, c.criteria_set_id) IN ({pairs})" if pairs else ""
    intervals = f"""
        SELECT v.unit_id, c.criteria_set_id, v.indicator_id, i.criterion_id, v.valid_from, v.valid_to, v.is_met
        FROM {INTERVALS} v
        JOIN {INDICATORS} i ON i.id = v.indicator_id
        JOIN {CRITERIA} c ON c.id = i.criterion_id
        {where}
    """
    # Every start of an interval of the pair's set is a date its figures may change (an interval
    # ends only where the next one of its pair starts).
    if postgresql:
        with_clause, iv, starts = (
            f"WITH {pairs_clause}iv AS MATERIALIZED ({intervals}), "
            "starts AS MATERIALIZED (SELECT DISTINCT unit_id, criteria_set_id, valid_from AS day FROM iv) ",
            "iv",
            "starts",
        )
    else:
        with_clause, iv = "", f"({intervals})"
        starts = f"(SELECT DISTINCT unit_id, criteria_set_id, valid_from AS day FROM {iv} s)"
    # Indicators per criterion and per set, joined (as correlated subqueries, 0.4 s of an import).
    criterion_sizes = f"(SELECT criterion_id, COUNT(*) AS n FROM {INDICATORS} GROUP BY criterion_id)"
    set_sizes = (
        f"(SELECT sc.criteria_set_id, COUNT(*) AS n FROM {INDICATORS} si "
        f"JOIN {CRITERIA} sc ON sc.id = si.criterion_id GROUP BY sc.criteria_set_id)"
    )
    # Looked up only where an indicator has no record (rare once a commune has reported).
    missing = f"""CASE WHEN seg.recorded < sn.n THEN (
        SELECT {_ids(vendor, "mi.id")}
        FROM {INDICATORS} mi JOIN {CRITERIA} mc ON mc.id = mi.criterion_id
        WHERE mc.criteria_set_id = seg.criteria_set_id AND NOT EXISTS (
            SELECT 1 FROM {INTERVALS} mv
            WHERE mv.unit_id = seg.unit_id AND mv.indicator_id = mi.id AND mv.valid_from <= seg.day
                AND (mv.valid_to IS NULL OR mv.valid_to > seg.day)
        )
    ) ELSE '' END"""
    return f"""
        {with_clause}
        SELECT seg.unit_id, seg.criteria_set_id, seg.day,
            LEAD(seg.day) OVER (PARTITION BY seg.unit_id, seg.criteria_set_id ORDER BY seg.day),
            seg.recorded, seg.met, seg.criteria_met, seg.unmet, {missing}
        FROM (
            SELECT pc.unit_id, pc.criteria_set_id, pc.day, SUM(pc.recorded) AS recorded, SUM(pc.met) AS met,
                SUM(CASE WHEN pc.met = cn.n THEN 1 ELSE 0 END) AS criteria_met,
                {_ids(vendor, "NULLIF(pc.unmet, '')")} AS unmet
            FROM (
                SELECT s.unit_id, s.criteria_set_id, s.day, iv.criterion_id, COUNT(*) AS recorded,
                    SUM(CASE WHEN iv.is_met THEN 1 ELSE 0 END) AS met,
                    {_ids(vendor, "CASE WHEN iv.is_met THEN NULL ELSE iv.indicator_id END")} AS unmet
                FROM {starts} s
                JOIN {iv} iv ON iv.unit_id = s.unit_id AND iv.criteria_set_id = s.criteria_set_id
                    AND iv.valid_from <= s.day AND (iv.valid_to IS NULL OR iv.valid_to > s.day)
                GROUP BY s.unit_id, s.criteria_set_id, s.day, iv.criterion_id
            ) pc
            JOIN {criterion_sizes} cn ON cn.criterion_id = pc.criterion_id
            GROUP BY pc.unit_id, pc.criteria_set_id, pc.day
        ) seg
        JOIN {set_sizes} sn ON sn.criteria_set_id = seg.criteria_set_id
    """


def recompute_pairs(pairs, vendor):
    """The statements that replace the standings of the pairs `pairs` selects (run in order)."""
    return [
        f"DELETE FROM {STANDINGS} WHERE (unit_id, criteria_set_id) IN ({pairs})",
        f"{INSERT_STANDINGS} {standings_select(pairs, vendor)}",
    ]


def recompute_sets(sets, vendor):
    """The statements that replace the standings of every unit on the sets whose ids `sets` selects."""
    pairs = f"""
        SELECT DISTINCT v.unit_id, c.criteria_set_id FROM {INTERVALS} v
        JOIN {INDICATORS} i ON i.id = v.indicator_id JOIN {CRITERIA} c ON c.id = i.criterion_id
        WHERE c.criteria_set_id IN ({sets})
    """
    return [
        f"DELETE FROM {STANDINGS} WHERE criteria_set_id IN ({sets})",
        f"{INSERT_STANDINGS} {standings_select(pairs, vendor)}",
    ]


def pairs_of_indicators(pairs):
    """SELECT (unit_id, criteria_set_id) of the (unit_id, indicator_id) pairs `pairs` selects."""
    return f"""
        SELECT DISTINCT p.unit_id, c.criteria_set_id FROM ({pairs}) p
        JOIN {INDICATORS} i ON i.id = p.indicator_id JOIN {CRITERIA} c ON c.id = i.criterion_id
    """


def _moved(column):
    """SELECT of the old and new `column` of the rows an UPDATE changed it on (transition tables)."""
    return (
        f"SELECT unnest(ARRAY[o.{column}, n.{column}]) FROM old_rows o JOIN new_rows n ON n.id = o.id "
        f"WHERE o.{column} <> n.{column}"
    )


# Indicators added, removed or moved, and criteria moved, change what their sets' criteria need.
CRITERIA_EVENTS = {
    # trigger name: (table, event, criteria or sets changed (PostgreSQL, from the transition tables))
    "ntm_standings_indicator_insert": (INDICATORS, "insert", "SELECT criterion_id FROM new_rows"),
    "ntm_standings_indicator_delete": (INDICATORS, "delete", "SELECT criterion_id FROM old_rows"),
    "ntm_standings_indicator_update": (INDICATORS, "update", _moved("criterion_id")),
    "ntm_standings_criterion_update": (CRITERIA, "update", _moved("criteria_set_id")),
}
PG_REFERENCING = {
    "insert": "NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def pg_statements():
    """[(function SQL, trigger SQL)] of the PostgreSQL statement triggers on the criteria."""
    statements = []
    for name, (table, event, changed) in CRITERIA_EVENTS.items():
        sets = changed if table == CRITERIA else f"SELECT criteria_set_id FROM {CRITERIA} WHERE id IN ({changed})"
        body = ";\n".join(recompute_sets("SELECT unnest(sets)", "postgresql"))
        function = f"""
            CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
            DECLARE
                sets bigint[];
            BEGIN
                SELECT array_agg(DISTINCT s.criteria_set_id) INTO sets FROM ({sets}) s(criteria_set_id);
                IF sets IS NULL THEN
                    RETURN NULL;
                END IF;
                {body};
                RETURN NULL;
            END $$ LANGUAGE plpgsql
        """
        trigger = (
            f"CREATE OR REPLACE TRIGGER {name} AFTER {event.upper()} ON {table} REFERENCING {PG_REFERENCING[event]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
        statements.append((function, trigger))
    return statements


def sqlite_triggers():
    """{name: CREATE TRIGGER SQL} of the SQLite row triggers on the criteria."""
    triggers = {}
    for name, (table, event, _changed) in CRITERIA_EVENTS.items():
        column = "criterion_id" if table == INDICATORS else "criteria_set_id"
        rows = {"insert": ["NEW"], "delete": ["OLD"], "update": ["OLD", "NEW"]}[event]
        if table == INDICATORS:
            sets = " UNION ".join(
                f"SELECT criteria_set_id FROM {CRITERIA} WHERE id = {row}.criterion_id" for row in rows
            )
        else:
            sets = "SELECT OLD.criteria_set_id UNION SELECT NEW.criteria_set_id"
        of, when = (f" OF {column}", f"WHEN OLD.{column} IS NOT NEW.{column}") if event == "update" else ("", "")
        triggers[name] = f"""
            CREATE TRIGGER {name} AFTER {event.upper()}{of} ON {table}
            {when}
            BEGIN
                {";".join(recompute_sets(sets, "sqlite"))};
            END
        """
    return triggers


def rebuild_sql(vendor):
    """The statement that fills the (emptied) standings from every interval."""
    return f"{INSERT_STANDINGS} {standings_select(None, vendor)}"
