"""The engine's SQL: each unit's latest counted record per indicator, counted per criterion.

The number of queries never depends on the number of units. Verified statuses are read from the
status intervals (`latest_keys`); with submitted records counted too, from the records by an
anti-join (`latest_counts_with_submitted`).
"""

from datetime import date

from django.db import connection
from django.db.models import Count, Func, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear

from criteria.models import Criterion, Indicator
from records.models import AchievementRecord, StatusInterval
from reports.models import BasicStandardThreshold, ReportSettings

# Up to this many enrolled units are passed to the record query as a list of ids, which PostgreSQL
# estimates exactly (the subtree subquery is estimated at ~1% of its size, which made it pick a
# hash aggregate that spilled to disk nationally); beyond it, the subquery keeps SQLite under its
# 32,766-parameter limit.
MAX_LISTED_UNITS = 30_000


class _DayNumber(Func):
    """A date as a whole number that orders like the date (days, or yyyymmdd)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        (date_expression,) = self.source_expressions
        ymd = ExtractYear(date_expression) * 10000 + ExtractMonth(date_expression) * 100 + ExtractDay(date_expression)
        return compiler.compile(ymd)

    def as_postgresql(self, compiler, connection, **extra):
        return super(_DayNumber, self).as_sql(compiler, connection, template="(%(expressions)s - DATE '2000-01-01')")

    def as_sqlite(self, compiler, connection, **extra):
        return super(_DayNumber, self).as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)"
        )


def criteria_of_sets(set_ids, unit=None):
    """Criteria of the given sets, in order, annotated with their number of indicators.

    With `unit`, each criterion also carries how the report of `unit` writes its figures
    (`reports.models`): `average_rule` and, for its set, `basic_threshold` and
    `basic_threshold_illustrative`, each from the nearest of the unit and its ancestors that sets
    it (its province, else the national root). Subqueries in the same query: the settings cost no
    query of their own.
    """
    criteria = Criterion.objects.filter(criteria_set__in=set_ids).annotate(indicator_count=Count("indicators"))
    if unit is not None:
        criteria = criteria.annotate(**_report_settings(unit))
    criteria_by_set = {}
    for criterion in criteria.order_by("criteria_set_id", "number"):
        criteria_by_set.setdefault(criterion.criteria_set_id, []).append(criterion)
    return criteria_by_set


def _report_settings(unit):
    thresholds = BasicStandardThreshold.objects.for_report_of(unit).filter(criteria_set=OuterRef("criteria_set_id"))
    rule = ReportSettings.objects.for_report_of(unit).exclude(average_rule="").values("average_rule")[:1]
    return {
        "average_rule": Subquery(rule),
        "basic_threshold": Subquery(thresholds.values("min_criteria")[:1]),
        "basic_threshold_illustrative": Subquery(thresholds.values("settings__is_illustrative")[:1]),
    }


def _indicators_of(set_ids):
    return Indicator.objects.filter(criterion__criteria_set__in=set_ids).values("pk")


def latest_keys(units, set_ids, as_of):
    """Per unit and indicator of the sets, the status its latest verified record dated on or
    before `as_of` gives: a values queryset of unit_id, indicator_id, key, where key % 2 is is_met.

    Read from the status intervals (`records.models.StatusInterval`, kept from the verified records
    by database triggers): one row per unit and indicator, the interval in force on `as_of`, instead
    of every record ever written. The key is the interval's start as a day number * 2 + is_met, so
    its last bit means what it meant when it was the grouped maximum over the records
    (`latest_keys_from_records`, kept as the reference the tests compare with).
    """
    return (
        StatusInterval.objects.in_force_on(as_of)
        .filter(unit__in=units, indicator__in=_indicators_of(set_ids))
        .values("unit_id", "indicator_id")
        .annotate(key=_DayNumber("valid_from") * 2 + Cast("is_met", IntegerField()))
        .order_by()
    )


def latest_keys_from_records(units, set_ids, as_of):
    """`latest_keys` computed from the records themselves: MAX(day number * 2 + is_met) per unit
    and indicator over the verified records dated on or before `as_of`. The reference for the
    status intervals (tests, benchmark); nationally it reads all 3.3 million records.

    One grouped pass instead of an anti-join: the maximum picks the newest date and its last bit
    is that record's is_met. That needs one record per unit, indicator and date, which holds for
    verified records (a partial unique constraint).
    """
    return (
        AchievementRecord.objects.counted()
        .filter(as_of__lte=as_of, unit__in=units, indicator__in=_indicators_of(set_ids))
        .values("unit_id", "indicator_id")
        .annotate(key=Max(_DayNumber("as_of") * 2 + Cast("is_met", IntegerField())))
        .order_by()
    )


def _latest_counts_sql(units, set_ids, as_of, select="", keys=latest_keys):
    """(SQL, params) of (`select`, unit id, criterion id, indicators recorded, indicators met)
    rows by `keys` (`latest_keys`)."""
    inner, params = keys(units, set_ids, as_of).query.sql_with_params()
    indicator_table = Indicator._meta.db_table
    sql = (
        f"SELECT {select}latest.unit_id, indicator.criterion_id, COUNT(*), SUM(latest.key %% 2) "
        f"FROM ({inner}) latest JOIN {indicator_table} indicator ON indicator.id = latest.indicator_id "
        f"GROUP BY latest.unit_id, indicator.criterion_id"
    )
    return sql, list(params)


def latest_counts(units, set_ids, as_of, keys=latest_keys):
    """{(unit id, criterion id): (indicators recorded, indicators met)} by each unit's latest
    verified record per indicator dated on or before `as_of`, in one statement (`latest_keys`;
    `keys=latest_keys_from_records` counts from the records, as the reference)."""
    if not set_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(*_latest_counts_sql(units, set_ids, as_of, keys=keys))
        return {
            (unit_id, criterion_id): (recorded, int(met)) for unit_id, criterion_id, recorded, met in cursor.fetchall()
        }


def latest_counts_by_date(units, set_ids, dates):
    """{day: `latest_counts(units, set_ids, day)`} for every day in `dates`, in one statement.

    One read of the intervals in force on any of the dates, counted per date by conditional
    sums (`latest_keys` per date in a UNION ALL would read the table once per date). The sums are
    written as SQL around the queryset: as ORM aggregates with filters, compiling them cost more
    than running them at a district's size."""
    counts = {day: {} for day in dates}
    if not set_ids or not dates:
        return counts
    spans = (
        StatusInterval.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=min(dates)), valid_from__lte=max(dates))
        .filter(unit__in=units, indicator__in=_indicators_of(set_ids))
        .values_list("unit_id", "indicator__criterion_id", "valid_from", "valid_to", "is_met")
        .order_by()
    )
    inner, params = spans.query.sql_with_params()
    in_force = "span.valid_from <= %s AND (span.valid_to IS NULL OR span.valid_to > %s)"
    sums, sum_params = [], []
    for day in dates:
        sums += [
            f"SUM(CASE WHEN {in_force} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {in_force} AND span.is_met THEN 1 ELSE 0 END)",
        ]
        sum_params += [connection.ops.adapt_datefield_value(day)] * 4
    sql = (
        f"SELECT span.unit_id, span.indicator__criterion_id, {', '.join(sums)} FROM ({inner}) span "
        f"GROUP BY span.unit_id, span.indicator__criterion_id"
    )
    with connection.cursor() as cursor:  # nationally 270,000 rows of integers
        cursor.execute(sql, [*sum_params, *params])
        for unit_id, criterion_id, *figures in cursor.fetchall():
            for index, day in enumerate(dates):
                recorded = figures[2 * index]
                if recorded:
                    counts[day][(unit_id, criterion_id)] = (recorded, figures[2 * index + 1])
    return counts


def latest_counts_by_date_from_records(units, set_ids, dates):
    """`latest_counts_by_date` from the records (the reference): one grouped pass per date, in
    one UNION ALL."""
    counts = {day: {} for day in dates}
    if not set_ids:
        return counts
    parts, params = [], []
    for index, day in enumerate(dates):
        sql, part_params = _latest_counts_sql(units, set_ids, day, select=f"{index}, ", keys=latest_keys_from_records)
        parts.append(sql)
        params += part_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, unit_id, criterion_id, recorded, met in cursor.fetchall():
            counts[dates[index]][(unit_id, criterion_id)] = (recorded, int(met))
    return counts


def latest_counts_with_submitted(units, set_ids, as_of):
    """As `latest_counts`, also counting submitted records. A submitted correction shares its date
    with the verified record it would replace, so the latest record is found by the anti-join
    in `RecordQuerySet.latest_as_of` (the later row wins)."""
    return {
        (row["unit_id"], row["indicator__criterion_id"]): (row["recorded"], row["met"])
        for row in AchievementRecord.objects.latest_as_of(as_of, include_submitted=True)
        .filter(unit__in=units, indicator__criterion__criteria_set__in=set_ids)
        .values("unit_id", "indicator__criterion_id")
        .annotate(recorded=Count("id"), met=Count("id", filter=Q(is_met=True)))
        .order_by()
    }


def union_all(querysets):
    """The querysets as one UNION ALL (the per-date reads of `summarise_dates`)."""
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


def as_date(value):
    """A date literal selected in a UNION, as a date."""
    # SQLite hands a literal date back as text; PostgreSQL as a date.
    return value if isinstance(value, date) else date.fromisoformat(str(value))
