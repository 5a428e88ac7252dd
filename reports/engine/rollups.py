"""Figures per child unit: a province's or the nation's pages show one row per unit one level down.

A national page used to build 11,001 unit results in Python to print 11,001 rows nobody reads.
Here the same figures as `summarise` (units, criteria and indicators met, units meeting the
standard, recognised) and those of `distribution` (units per bin of criteria met, cơ bản đạt
chuẩn by the province's threshold, recognised but not maintaining) are counted in SQL and
grouped by the child of the page's unit each unit sits under (read from the stored path), so a
country costs the rows of its provinces. The statuses come from the engine's own reads
(`latest_keys`, `RecordQuerySet.latest_as_of`) and the province's settings from the same
lineage as `sql.criteria_of_sets` (`reports.models`), so the rules are the ones `summarise`
applies; `reports/tests/test_rollups_by_child.py` checks that the rows, bins and statuses add
up to its per-unit results.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Cast

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Criterion, Enrolment, Indicator, Recognition
from records.models import AchievementRecord, SetStanding
from reports.engine.results import SetFigures
from reports.engine.sql import latest_keys
from reports.models import BasicStandardThreshold, ReportSettings


@dataclass
class UnitsFigures(SetFigures):
    """One set's figures over a group of units (a child unit's subtree, or the whole page)."""

    criteria_set: CriteriaSet
    criteria_total: int
    indicators_total: int
    unit: AdministrativeUnit | None = None
    # How the report's province writes its figures, as on `SetSummary` (the same for every row).
    average_rule: str | None = None
    basic_threshold: int | None = None
    basic_threshold_illustrative: bool = False
    unit_count: int = 0
    criteria_met_sum: int = 0
    indicators_met_sum: int = 0
    indicators_recorded_sum: int = 0
    units_meeting_standard: int = 0  # đạt đủ: every criterion met
    units_recognised: int = 0
    units_at_risk: int = 0  # recognised, yet not meeting every criterion now (chưa duy trì chuẩn)
    units_basic: int = 0  # cơ bản đạt chuẩn: from the threshold, not all (0 without a threshold)
    bin_counts: list[int] = field(default_factory=list)  # units per bin of `criteria_set.bins`, in order

    def add(self, other):
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.bin_counts = [a + b for a, b in zip(self.bin_counts, other.bin_counts, strict=True)]

    @property
    def indicators_missing_sum(self):
        return self.unit_count * self.indicators_total - self.indicators_recorded_sum

    @property
    def bins(self):
        """The set's bins these units are counted in (`criteria_set.bins`, as `distribution`)."""
        return self.criteria_set.bins(self.criteria_total)


# The counts of a row, in the order the statement selects them; the bins follow.
_SUMMED = [
    "unit_count",
    "criteria_met_sum",
    "indicators_met_sum",
    "indicators_recorded_sum",
    "units_meeting_standard",
    "units_recognised",
    "units_at_risk",
    "units_basic",
]


@dataclass
class SetRollup(UnitsFigures):
    """A set's figures over the page's whole subtree, and per child unit (best first)."""

    children: list[UnitsFigures] = field(default_factory=list)
    # Indicators least often met: [(indicator, units not met, units without a record)], most first.
    most_unmet: list = field(default_factory=list)


@dataclass
class Rollup:
    """Every set pursued under `unit` as of `as_of`, counted per child unit (`rollup`)."""

    unit: AdministrativeUnit
    as_of: date
    sets: list[SetRollup]
    include_submitted: bool = False
    trend: list["Rollup"] = field(default_factory=list)  # set totals on the dates asked for, oldest first


def rollup(unit, as_of, include_submitted=False, unmet_limit=10, dates=()):
    """The figures of every set pursued under `unit` as of `as_of`, per child unit (the units one
    level down on that date; a unit enrolled itself is its own row) and in total, with the
    `unmet_limit` indicators least often met, and in `trend` the set totals on every day of `dates`.

    Four queries whatever the number of units or dates: the sets (with the province's rule and
    threshold), their indicators, one statement of the counts per child, per indicator and per
    date (with the units per bin and status), the child units.
    """
    dates = sorted(set(dates))
    sets = _sets_under(unit, as_of, dated=not dates)
    if not sets:
        return Rollup(
            unit=unit,
            as_of=as_of,
            sets=[],
            include_submitted=include_submitted,
            trend=[Rollup(unit=unit, as_of=day, sets=[], include_submitted=include_submitted) for day in dates],
        )
    indicators = _indicators_by_set(sets)
    set_ids = list(sets)
    width = max(len(s.bins(s.criteria_count)) for s in sets.values())
    others = [(i, day) for i, day in enumerate(dates) if day != as_of]
    # One statement: the rows per child (index -1), the counts per indicator (-2, -3) and the
    # totals on each other day of `dates` (0, 1, …; the report date's are the children's sums).
    if include_submitted:
        # Each unit's latest record per indicator, submitted ones counted (a CTE used twice).
        now, now_params = _latest_sql(_units(unit, as_of), set_ids, as_of, include_submitted)
        ctes, cte_params = [f"latest_now AS ({now})"], list(now_params)
        parts = [
            _figures_sql(unit, as_of, sets, include_submitted, width, by_child=True, index=-1, latest_from="latest_now")
        ]
        if unmet_limit:  # the steering pages ask for none
            parts.append(_unmet_sql(unit, as_of, "latest_now", width))
        parts += [_figures_sql(unit, day, sets, include_submitted, width, by_child=False, index=i) for i, day in others]
    else:
        # Verified figures: each unit's set standing in force on the day (`records.standings`),
        # one row per unit and set instead of one per unit and indicator.
        now, now_params = _standings_in_force_sql(unit, as_of, set_ids)
        ctes, cte_params = [f"standing_now AS ({now})"], list(now_params)
        parts = [_figures_sql(unit, as_of, sets, False, width, by_child=True, index=-1, per_unit=("standing_now", []))]
        if unmet_limit:
            parts.append(_unmet_from_standings_in_force_sql(width))
        for i, day in others:
            day_sql, day_params = _standings_in_force_sql(unit, day, set_ids)
            parts.append(
                _figures_sql(
                    unit, day, sets, False, width, by_child=False, index=i, per_unit=(f"({day_sql})", day_params)
                )
            )
    sql = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(part for part, _ in parts)
    rows = _fetch(sql, [*cte_params, *(p for _, params in parts for p in params)])
    children = AdministrativeUnit.objects.in_bulk({row[1] for row in rows if row[0] == -1})
    rollups = {s.pk: _empty(SetRollup, s, indicators) for s in sets.values()}
    totals = {day: {} for day in dates}
    per_indicator = {}
    with_standing, without = {}, {}
    for index, child_id, set_id, *counts in rows:
        if index == -2:
            per_indicator[child_id] = (int(counts[0] or 0), int(counts[1] or 0))  # recorded, met
        elif index == -3:  # from the standings: per set, units with one; per indicator, not met / no record
            with_standing[set_id] = int(counts[0] or 0)
        elif index == -4:
            without[child_id] = (int(counts[0] or 0), int(counts[1] or 0))
        elif index >= 0:
            _fill(totals[dates[index]].setdefault(set_id, _empty(SetRollup, sets[set_id], indicators)), counts)
        else:
            figures = _empty(UnitsFigures, sets[set_id], indicators, unit=children[child_id])
            _fill(figures, counts)
            rollups[set_id].children.append(figures)
            rollups[set_id].add(figures)
    rollups = {set_id: s for set_id, s in rollups.items() if s.children}  # pursued on the report date
    if not include_submitted:
        per_indicator = _per_indicator(indicators, with_standing, without)
    for s in rollups.values():
        s.children.sort(key=lambda f: (-f.percent_criteria, -f.indicators_met_sum, f.unit.code))
        s.most_unmet = _most_unmet(s, indicators[s.criteria_set.pk], per_indicator, unmet_limit)
    if as_of in totals:
        for set_id, s in rollups.items():
            total = totals[as_of][set_id] = _empty(SetRollup, sets[set_id], indicators)
            total.add(s)
    trend = [
        Rollup(unit=unit, as_of=day, sets=_ordered(totals[day]), include_submitted=include_submitted) for day in dates
    ]
    return Rollup(unit=unit, as_of=as_of, sets=_ordered(rollups), include_submitted=include_submitted, trend=trend)


def rollup_dates(unit, dates, include_submitted=False):
    """The set totals of `rollup` on every day in `dates`, oldest first: the trend of a large
    subtree, from per-date totals (no per-unit row leaves the database). Four queries, as `rollup`."""
    dates = sorted(set(dates))
    return rollup(unit, dates[-1], include_submitted, dates=dates).trend if dates else []


def _sets_under(unit, as_of, dated=True):
    """{set id: set} of the sets pursued by `unit` or a unit under it (valid on `as_of` if `dated`),
    each with its number of criteria and how the report of `unit` writes it (its province's
    average rule and cơ bản đạt chuẩn threshold, as `summarise` reads them): subqueries of the
    same query."""
    units = AdministrativeUnit.objects.within(unit)
    if dated:
        units = units.valid_on(as_of)
    enrolled = Enrolment.objects.filter(unit__in=units.values("pk")).values("criteria_set_id")
    thresholds = BasicStandardThreshold.objects.for_report_of(unit).filter(criteria_set=OuterRef("pk"))
    rule = ReportSettings.objects.for_report_of(unit).exclude(average_rule="").values("average_rule")[:1]
    criteria = Criterion.objects.filter(criteria_set=OuterRef("pk")).order_by().values("criteria_set")
    sets = CriteriaSet.objects.filter(pk__in=enrolled).annotate(
        # Every criterion counts in the total, one without indicators too (never met), as in `summarise`.
        criteria_count=Subquery(criteria.annotate(n=Count("pk")).values("n")[:1]),
        report_average_rule=Subquery(rule),
        report_basic_threshold=Subquery(thresholds.values("min_criteria")[:1]),
        report_basic_threshold_illustrative=Subquery(thresholds.values("settings__is_illustrative")[:1]),
    )
    sets = list(sets)
    for s in sets:
        s.criteria_count = s.criteria_count or 0  # a set without criteria yet
    return {s.pk: s for s in sets}


def _indicators_by_set(sets):
    """{set id: [indicators in set order]}, each with its criterion (one query)."""
    by_set = {set_id: [] for set_id in sets}
    for indicator in (
        Indicator.objects.filter(criterion__criteria_set__in=list(sets))
        .select_related("criterion")
        .order_by("criterion__number", "order", "code")
    ):
        by_set[indicator.criterion.criteria_set_id].append(indicator)
    return by_set


def _empty(cls, criteria_set, indicators, **extra):
    return cls(
        criteria_set=criteria_set,
        criteria_total=criteria_set.criteria_count,
        indicators_total=len(indicators[criteria_set.pk]),
        average_rule=criteria_set.report_average_rule,
        basic_threshold=criteria_set.report_basic_threshold,
        basic_threshold_illustrative=bool(criteria_set.report_basic_threshold_illustrative),
        bin_counts=[0] * len(criteria_set.bins(criteria_set.criteria_count)),
        **extra,
    )


def _fill(figures, counts):
    for name, value in zip(_SUMMED, counts):
        setattr(figures, name, int(value or 0))
    bins = counts[len(_SUMMED) :]
    figures.bin_counts = [int(value or 0) for value in bins[: len(figures.bin_counts)]]


def _ordered(by_set):
    return sorted(by_set.values(), key=lambda s: s.criteria_set.report_order)


def _latest_sql(units, set_ids, as_of, include_submitted):
    """(SQL, params) of (unit_id, indicator_id, met 0/1): each unit's latest counted record per
    indicator on or before `as_of`, by the engine's own reads."""
    if include_submitted:
        latest = (
            AchievementRecord.objects.latest_as_of(as_of, include_submitted=True)
            .filter(unit__in=units, indicator__criterion__criteria_set__in=set_ids)
            .annotate(met=Cast("is_met", IntegerField()))
            .values("unit_id", "indicator_id", "met")
            .order_by()
        )
        inner, params = latest.query.sql_with_params()
        return f"SELECT unit_id, indicator_id, met FROM ({inner}) submitted", list(params)
    inner, params = latest_keys(units, set_ids, as_of).query.sql_with_params()
    return f"SELECT unit_id, indicator_id, key %% 2 AS met FROM ({inner}) verified", list(params)


def _standings_in_force_sql(unit, day, set_ids):
    """(SQL, params) of (unit_id, criteria_set_id, indicators_met, recorded, criteria_met, unmet,
    missing): the set standings in force on `day` of the units under `unit` valid on it."""
    standings = (
        SetStanding.objects.in_force_on(day)
        .filter(unit__in=_units(unit, day), criteria_set__in=set_ids)
        .values("unit_id", "criteria_set_id", "indicators_met", "criteria_met", "unmet", "missing")
        .annotate(recorded=F("indicators_recorded"))
        .order_by()
    )
    return standings.query.sql_with_params()


def _unmet_from_standings_in_force_sql(width):
    """(SQL, params) of the counts per indicator from the CTE `standing_now`, over the units
    enrolled in the set (as many columns as `_figures_sql`): (-3, 0, set id, units with a
    standing, 0…) and (-4, indicator id, 0, units not meeting it, units without its record, 0…).
    The id lists are split in SQL: PostgreSQL's arrays, SQLite's JSON."""
    if connection.vendor == "postgresql":
        split = "unnest(string_to_array(NULLIF(s.{column}, ''), ',')) AS x(value)"
    else:
        split = "json_each('[' || s.{column} || ']') AS x"
    enrolled = (
        f"standing_now s JOIN {Enrolment._meta.db_table} e "
        "ON e.unit_id = s.unit_id AND e.criteria_set_id = s.criteria_set_id"
    )
    padding = ", ".join(["0"] * (len(_SUMMED) - 1 + width))
    padding_two = ", ".join(["0"] * (len(_SUMMED) - 2 + width))
    listed = " UNION ALL ".join(
        f"SELECT CAST(x.value AS integer) AS indicator_id, {int(column == 'unmet')} AS unmet, "
        f"{int(column == 'missing')} AS missing FROM {enrolled}, {split.format(column=column)}"
        for column in ("unmet", "missing")
    )
    sql = f"""
        SELECT -3, 0, s.criteria_set_id, COUNT(*), {padding} FROM {enrolled} GROUP BY s.criteria_set_id
        UNION ALL
        SELECT -4, g.indicator_id, 0, SUM(g.unmet), SUM(g.missing), {padding_two}
        FROM ({listed}) g GROUP BY g.indicator_id
    """
    return sql, []


def _per_indicator(indicators, with_standing, without):
    """{indicator id: (units with a record, units meeting it)} from the standings' counts."""
    per_indicator = {}
    for set_id, listed in indicators.items():
        for indicator in listed:
            unmet, missing = without.get(indicator.pk, (0, 0))
            recorded = with_standing.get(set_id, 0) - missing
            per_indicator[indicator.pk] = (recorded, recorded - unmet)
    return per_indicator


def _child_sql(unit):
    """(SQL, params) of the id of the child of `unit` that unit `u` sits under (or `unit` itself)."""
    prefix = unit.subtree_path
    start = len(prefix) + 1
    if connection.vendor == "postgresql":
        segment, seg_params = "CAST(split_part(substr(u.path, %s), '/', 1) AS integer)", [start]
    else:
        segment = "CAST(substr(substr(u.path, %s), 1, instr(substr(u.path, %s), '/') - 1) AS integer)"
        seg_params = [start, start]
    return f"CASE WHEN u.id = %s OR u.path = %s THEN u.id ELSE {segment} END", [unit.pk, prefix, *seg_params]


def _units(unit, as_of):
    return AdministrativeUnit.objects.within(unit).valid_on(as_of).values("pk")


def _standing_sql(sets, width, meets):
    """SQL of the columns counting units into each set's cơ bản đạt chuẩn threshold and bins
    (`width` bin columns: bin j of each set, 0 past a set's last bin). The sets' own numbers are
    written in (integers read from the database or parsed by `criteria.bins`)."""
    met = "COALESCE(pu.criteria_met, 0)"
    basic = [
        f"WHEN e.criteria_set_id = {int(s.pk)} AND {met} >= {int(s.report_basic_threshold)} AND NOT {meets} THEN 1"
        for s in sets.values()
        if s.report_basic_threshold is not None
    ]
    columns = [f"SUM(CASE {' '.join(basic)} ELSE 0 END)" if basic else "0"]
    by_set = {s.pk: s.bins(s.criteria_count) for s in sets.values()}
    for j in range(width):
        cases = [
            f"WHEN e.criteria_set_id = {int(set_id)} AND {met} BETWEEN {int(b[j].low)} AND {int(b[j].high)} THEN 1"
            for set_id, b in by_set.items()
            if j < len(b)
        ]
        columns.append(f"SUM(CASE {' '.join(cases)} ELSE 0 END)")
    return ", ".join(columns)


def _figures_sql(unit, as_of, sets, include_submitted, width, *, by_child, index=0, latest_from=None, per_unit=None):
    """(SQL, params) of (index, child id or 0, set id, then `_SUMMED` in order and the `width`
    bin counts) for the units under `unit` valid on `as_of`, grouped per child unit (`by_child`)
    or per set only. `per_unit`: (SQL, params) of the per-unit figures on `as_of` already counted
    (the set standings, `_standings_sql`), else counted here from the latest records."""
    set_ids = list(sets)
    units = _units(unit, as_of)
    units_sql, units_params = units.query.sql_with_params()
    latest, latest_params = latest_from, []  # the statuses are a CTE of the statement
    if per_unit:
        per_unit, latest_params = per_unit
    elif not latest_from:
        latest, latest_params = _latest_sql(units, set_ids, as_of, include_submitted)
        latest = f"({latest})"
    in_force, force_params = (
        Recognition.objects.in_force_on(as_of)
        .filter(criteria_set__in=set_ids)
        .values("unit_id", "criteria_set_id")
        .distinct()
        .order_by()
        .query.sql_with_params()
    )
    child, child_params = _child_sql(unit) if by_child else ("0", [])
    tables = {
        "unit": AdministrativeUnit._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "criterion": Criterion._meta.db_table,
        "indicator": Indicator._meta.db_table,
    }
    placeholders = ", ".join(["%s"] * len(set_ids))
    meets = "(pu.criteria_met IS NOT NULL AND sc.n > 0 AND pu.criteria_met = sc.n)"
    per_unit = (
        per_unit
        or f"""(
            SELECT pc.unit_id, c.criteria_set_id, SUM(pc.met) AS indicators_met, SUM(pc.recorded) AS recorded,
                SUM(CASE WHEN pc.met = ci.n THEN 1 ELSE 0 END) AS criteria_met
            FROM (
                SELECT latest.unit_id, i.criterion_id, COUNT(*) AS recorded, SUM(latest.met) AS met
                FROM {latest} latest JOIN {tables["indicator"]} i ON i.id = latest.indicator_id
                GROUP BY latest.unit_id, i.criterion_id
            ) pc
            JOIN {tables["criterion"]} c ON c.id = pc.criterion_id
            JOIN (SELECT criterion_id, COUNT(*) AS n FROM {tables["indicator"]} GROUP BY criterion_id) ci
                ON ci.criterion_id = pc.criterion_id
            GROUP BY pc.unit_id, c.criteria_set_id
        )"""
    )
    sql = f"""
        SELECT {int(index)}, {child} AS child, e.criteria_set_id,
            COUNT(*), SUM(COALESCE(pu.criteria_met, 0)), SUM(COALESCE(pu.indicators_met, 0)),
            SUM(COALESCE(pu.recorded, 0)), SUM(CASE WHEN {meets} THEN 1 ELSE 0 END),
            SUM(CASE WHEN r.unit_id IS NOT NULL THEN 1 ELSE 0 END),
            SUM(CASE WHEN r.unit_id IS NOT NULL AND NOT {meets} THEN 1 ELSE 0 END),
            {_standing_sql(sets, width, meets)}
        FROM {tables["enrolment"]} e
        JOIN {tables["unit"]} u ON u.id = e.unit_id
        JOIN (SELECT criteria_set_id, COUNT(*) AS n FROM {tables["criterion"]} GROUP BY criteria_set_id) sc
            ON sc.criteria_set_id = e.criteria_set_id
        LEFT JOIN {per_unit} pu ON pu.unit_id = e.unit_id AND pu.criteria_set_id = e.criteria_set_id
        LEFT JOIN ({in_force}) r ON r.unit_id = e.unit_id AND r.criteria_set_id = e.criteria_set_id
        WHERE e.unit_id IN ({units_sql}) AND e.criteria_set_id IN ({placeholders})
        GROUP BY {"child, " if by_child else ""}e.criteria_set_id
    """
    params = [*child_params, *latest_params, *force_params, *units_params, *set_ids]
    return sql, params


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _unmet_sql(unit, as_of, latest_from, width):
    """(SQL, params) of (-2, indicator id, 0, units with a record, units meeting it, 0…): per
    indicator over the units enrolled in its set, from the CTE `latest_from` (as many columns
    as `_figures_sql`)."""
    units_sql, units_params = _units(unit, as_of).query.sql_with_params()
    padding = ", ".join(["0"] * (len(_SUMMED) - 2 + width))
    sql = f"""
        SELECT -2, latest.indicator_id, 0, COUNT(*), SUM(latest.met), {padding}
        FROM {latest_from} latest
        JOIN {Indicator._meta.db_table} i ON i.id = latest.indicator_id
        JOIN {Criterion._meta.db_table} c ON c.id = i.criterion_id
        JOIN {Enrolment._meta.db_table} e ON e.unit_id = latest.unit_id AND e.criteria_set_id = c.criteria_set_id
        WHERE e.unit_id IN ({units_sql})
        GROUP BY latest.indicator_id
    """
    return sql, list(units_params)


def _most_unmet(set_rollup, indicators, per_indicator, limit):
    """The `limit` indicators of the set met by the fewest of its units: [(indicator, units not
    met, units without a record)], most first; ties keep the set order (sorted is stable)."""
    rows = []
    for indicator in indicators:
        recorded, met = per_indicator.get(indicator.pk, (0, 0))
        unmet, missing = recorded - met, set_rollup.unit_count - recorded
        if unmet + missing:
            rows.append((indicator, unmet, missing))
    return sorted(rows, key=lambda row: -(row[1] + row[2]))[:limit]
