"""The attainment engine: which indicators, criteria and standards are met, and the committee's
figures ("8 xã đạt bình quân 17,87/19 tiêu chí").

Every page, export, chart, brief and API asks this module; none recomputes. Rules:
- a unit's status on an indicator is its latest counted record dated on or before the report
  date: verified records only, unless `include_submitted` also counts those awaiting
  verification; no such record means "missing", which counts as not met;
- a criterion is met when all its indicators are met (a criterion with no indicators loaded yet
  is never met); a standard is met when all the set's criteria are;
- averages are over the units pursuing the set, truncated to two decimals unless
  NTM_AVERAGE_MODE says "round"; percentages are of the exact ratio, to one decimal.
The number of queries does not depend on how many units there are.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.db.models import Count, DateField, Func, IntegerField, Max, Prefetch, Q, Value
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Criterion, Enrolment, Indicator, Recognition, Threshold, applicable_threshold
from records.models import AchievementRecord

from reports.cache import cached

TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")


def average(total, count):
    """A committee average: truncated to two decimals by default (143/8 -> 17.87)."""
    if not count:
        return Decimal(0)
    rounding = ROUND_HALF_UP if settings.NTM_AVERAGE_MODE == "round" else ROUND_DOWN
    return (Decimal(total) / Decimal(count)).quantize(TWO_PLACES, rounding=rounding)


def percent(part, whole):
    """Percentage of the exact ratio, one decimal (143/152 -> 94.1)."""
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CriterionResult:
    """One unit's standing on one criterion (tiêu chí)."""

    criterion: Criterion
    indicator_count: int
    met_count: int
    recorded_count: int

    @property
    def met(self):
        return self.indicator_count > 0 and self.met_count == self.indicator_count

    @property
    def missing_count(self):
        return self.indicator_count - self.recorded_count

    @property
    def status(self):
        """'met', 'unmet' or 'missing' (some indicator has no record and nothing is unmet)."""
        if self.met:
            return "met"
        if self.recorded_count - self.met_count > 0 or self.indicator_count == 0:
            return "unmet"
        return "missing"


@dataclass
class UnitResult:
    """One unit's standing on one criteria set. Its totals are computed once (set sums read them
    several times over thousands of units), so `criteria` is not to be changed after construction."""

    unit: AdministrativeUnit
    criteria_set: CriteriaSet
    criteria: list[CriterionResult]
    recognised: bool

    @cached_property
    def criteria_total(self):
        return len(self.criteria)

    @cached_property
    def criteria_met(self):
        return sum(c.met for c in self.criteria)

    @cached_property
    def indicators_total(self):
        return sum(c.indicator_count for c in self.criteria)

    @cached_property
    def indicators_met(self):
        return sum(c.met_count for c in self.criteria)

    @cached_property
    def indicators_missing(self):
        return sum(c.missing_count for c in self.criteria)

    @cached_property
    def standard_met(self):
        return bool(self.criteria) and self.criteria_met == self.criteria_total

    @property
    def unmet_criteria(self):
        return [c for c in self.criteria if not c.met]

    @property
    def standard_at_risk(self):
        """Giữ vững chuẩn: recognised for this set, yet a criterion is not met now."""
        return self.recognised and not self.standard_met


@dataclass
class SetSummary:
    """The figures for one set over the units pursuing it under a parent unit."""

    criteria_set: CriteriaSet
    criteria_total: int
    indicators_total: int
    units: list[UnitResult] = field(default_factory=list)

    @property
    def unit_count(self):
        return len(self.units)

    @property
    def criteria_met_sum(self):
        return sum(u.criteria_met for u in self.units)

    @property
    def indicators_met_sum(self):
        return sum(u.indicators_met for u in self.units)

    @property
    def average_criteria(self):
        return average(self.criteria_met_sum, self.unit_count)

    @property
    def average_indicators(self):
        return average(self.indicators_met_sum, self.unit_count)

    @property
    def percent_criteria(self):
        return percent(self.criteria_met_sum, self.unit_count * self.criteria_total)

    @property
    def percent_indicators(self):
        return percent(self.indicators_met_sum, self.unit_count * self.indicators_total)

    @property
    def units_meeting_standard(self):
        return sum(u.standard_met for u in self.units)

    @property
    def units_recognised(self):
        return sum(u.recognised for u in self.units)

    @property
    def indicators_missing_sum(self):
        return sum(u.indicators_missing for u in self.units)


@dataclass
class Summary:
    """Every set pursued by a unit or the units under it, as of one date."""

    unit: AdministrativeUnit
    as_of: date
    sets: list[SetSummary]
    include_submitted: bool = False


def summarise(unit, as_of, criteria_sets=None, include_submitted=False):
    """The committee figures for `unit` and everything under it, as of `as_of`.

    Verified records count; with `include_submitted`, records awaiting verification count too.
    Four queries whatever the number of units: enrolments, criteria with indicator counts,
    record counts per unit and criterion, recognitions in force. With NTM_CACHE_SUMMARIES on, the
    result is cached per unit, sets, date and mode (`reports.cache`): one query on a hit, five on a miss.
    """
    sets_key = "all" if criteria_sets is None else ",".join(sorted(str(getattr(s, "pk", s)) for s in criteria_sets))
    return cached(
        "summary",
        lambda: _summarise(unit, as_of, criteria_sets, include_submitted),
        unit.pk,
        as_of.isoformat(),
        sets_key,
        int(include_submitted),
    )


def _summarise(unit, as_of, criteria_sets, include_submitted):
    units_under = AdministrativeUnit.objects.within(unit).valid_on(as_of).values("pk")
    enrolments = Enrolment.objects.filter(unit__in=units_under).select_related("unit", "criteria_set")
    if criteria_sets is not None:
        enrolments = enrolments.filter(criteria_set__in=criteria_sets)
    enrolments = list(enrolments.order_by("unit__code"))
    set_ids = {e.criteria_set_id for e in enrolments}
    criteria_by_set = _criteria_by_set(set_ids)

    unit_ids = sorted({e.unit_id for e in enrolments})
    units = unit_ids if len(unit_ids) <= MAX_LISTED_UNITS else units_under
    if include_submitted:
        counts = _latest_counts_with_submitted(units, set_ids, as_of)
    else:
        counts = _latest_counts(units, set_ids, as_of)
    recognised = set(
        Recognition.objects.in_force_on(as_of)
        .filter(unit__in=units, criteria_set__in=set_ids)
        .values_list("unit_id", "criteria_set_id")
    )
    return _assemble(unit, as_of, enrolments, criteria_by_set, counts, recognised, include_submitted)


def _criteria_by_set(set_ids):
    """Criteria of the given sets, in order, annotated with their number of indicators."""
    criteria_by_set = {}
    for criterion in (
        Criterion.objects.filter(criteria_set__in=set_ids)
        .annotate(indicator_count=Count("indicators"))
        .order_by("criteria_set_id", "number")
    ):
        criteria_by_set.setdefault(criterion.criteria_set_id, []).append(criterion)
    return criteria_by_set


def _assemble(unit, as_of, enrolments, criteria_by_set, counts, recognised, include_submitted):
    """Build the Summary from the rows `summarise` and `summarise_dates` read."""
    summaries, shared = {}, {}
    for enrolment in enrolments:
        criteria = criteria_by_set.get(enrolment.criteria_set_id, [])
        summary = summaries.get(enrolment.criteria_set_id)
        if summary is None:
            summary = summaries[enrolment.criteria_set_id] = SetSummary(
                criteria_set=enrolment.criteria_set,
                criteria_total=len(criteria),
                indicators_total=sum(c.indicator_count for c in criteria),
            )
        results = []
        for criterion in criteria:
            recorded, met = counts.get((enrolment.unit_id, criterion.pk), (0, 0))
            # Results are immutable, so units with the same counts share one object: nationally
            # a few hundred objects instead of a quarter of a million.
            result = shared.get((criterion.pk, recorded, met))
            if result is None:
                result = shared[criterion.pk, recorded, met] = CriterionResult(
                    criterion, criterion.indicator_count, met, recorded
                )
            results.append(result)
        summary.units.append(
            UnitResult(
                unit=enrolment.unit,
                criteria_set=enrolment.criteria_set,
                criteria=results,
                recognised=(enrolment.unit_id, enrolment.criteria_set_id) in recognised,
            )
        )
    ordered = sorted(summaries.values(), key=lambda s: s.criteria_set.report_order)
    return Summary(unit=unit, as_of=as_of, sets=ordered, include_submitted=include_submitted)


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
        return super(_DayNumber, self).as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)")


def _latest_keys(units, set_ids, as_of):
    """Per unit and indicator of the sets, MAX(day number * 2 + is_met) over its verified records
    dated on or before `as_of` (a values queryset of unit_id, indicator_id, key).

    One grouped pass instead of an anti-join: the maximum picks the newest date and its last bit
    is that record's is_met. That needs one record per unit, indicator and date, which holds for
    verified records (a partial unique constraint); so this is the verified-only path. Nationally
    it reads 3.3 million records once instead of probing the index for a newer record 3.3 million
    times.
    """
    return (
        AchievementRecord.objects.counted()
        .filter(
            as_of__lte=as_of,
            unit__in=units,
            indicator__in=Indicator.objects.filter(criterion__criteria_set__in=set_ids).values("pk"),
        )
        .values("unit_id", "indicator_id")
        .annotate(key=Max(_DayNumber("as_of") * 2 + Cast("is_met", IntegerField())))
        .order_by()
    )


def _latest_counts_sql(units, set_ids, as_of, select=""):
    """(SQL, params) of (`select`, unit id, criterion id, indicators recorded, indicators met)
    rows by `_latest_keys`."""
    inner, params = _latest_keys(units, set_ids, as_of).query.sql_with_params()
    indicator_table = Indicator._meta.db_table
    sql = (
        f"SELECT {select}latest.unit_id, indicator.criterion_id, COUNT(*), SUM(latest.key %% 2) "
        f"FROM ({inner}) latest JOIN {indicator_table} indicator ON indicator.id = latest.indicator_id "
        f"GROUP BY latest.unit_id, indicator.criterion_id"
    )
    return sql, list(params)


def _latest_counts(units, set_ids, as_of):
    """{(unit id, criterion id): (indicators recorded, indicators met)} by each unit's latest
    verified record per indicator dated on or before `as_of`, in one statement (`_latest_keys`)."""
    if not set_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(*_latest_counts_sql(units, set_ids, as_of))
        return {(unit_id, criterion_id): (recorded, int(met)) for unit_id, criterion_id, recorded, met in cursor.fetchall()}


def _latest_counts_by_date(units, set_ids, dates):
    """{day: `_latest_counts(units, set_ids, day)`} for every day in `dates`, in one UNION ALL."""
    counts = {day: {} for day in dates}
    if not set_ids:
        return counts
    parts, params = [], []
    for index, day in enumerate(dates):
        sql, part_params = _latest_counts_sql(units, set_ids, day, select=f"{index}, ")
        parts.append(sql)
        params += part_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, unit_id, criterion_id, recorded, met in cursor.fetchall():
            counts[dates[index]][(unit_id, criterion_id)] = (recorded, int(met))
    return counts


def _latest_counts_with_submitted(units, set_ids, as_of):
    """As `_latest_counts`, also counting submitted records. A submitted correction shares its date
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


@dataclass(frozen=True)
class IndicatorStatus:
    """One indicator of one unit: its latest record as of the report date, and the target."""

    indicator: Indicator
    record: AchievementRecord | None
    threshold: Threshold | None

    @property
    def missing(self):
        return self.record is None

    @property
    def met(self):
        return self.record is not None and self.record.is_met

    @property
    def status(self):
        return "missing" if self.missing else ("met" if self.met else "unmet")


@dataclass
class CriterionDetail:
    criterion: Criterion
    indicators: list[IndicatorStatus]

    @property
    def met(self):
        return bool(self.indicators) and all(i.met for i in self.indicators)


@dataclass
class UnitDetail:
    """A unit's full standing on one set: every criterion and indicator, and what is missing."""

    unit: AdministrativeUnit
    criteria_set: CriteriaSet
    as_of: date
    criteria: list[CriterionDetail]
    recognised: bool
    target_year: int | None = None  # năm phấn đấu đạt chuẩn, from the enrolment when known
    include_submitted: bool = False

    @property
    def criteria_met(self):
        return sum(c.met for c in self.criteria)

    @property
    def indicators(self):
        return [i for c in self.criteria for i in c.indicators]

    @property
    def indicators_met(self):
        return sum(i.met for i in self.indicators)

    @property
    def standard_met(self):
        return bool(self.criteria) and all(c.met for c in self.criteria)

    @property
    def unmet(self):
        """Indicators not met, with or without a record: what the unit still has to do."""
        return [i for i in self.indicators if not i.met]

    @property
    def missing(self):
        return [i for i in self.indicators if i.missing]

    @property
    def standard_at_risk(self):
        """Giữ vững chuẩn: recognised for this set, yet a criterion is not met now."""
        return self.recognised and not self.standard_met


def set_structure(criteria_set):
    """The set's criteria in order, each with its indicators and their targets (three queries)."""
    return list(
        Criterion.objects.filter(criteria_set=criteria_set)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "code").prefetch_related("thresholds"),
            )
        )
    )


def unit_detail(unit, criteria_set, as_of, include_submitted=False):
    """Every criterion and indicator of `criteria_set` for `unit` as of `as_of` (five queries).

    Verified records count; with `include_submitted`, records awaiting verification count too.
    """
    criteria = set_structure(criteria_set)
    records = {
        r.indicator_id: r
        for r in AchievementRecord.objects.latest_as_of(as_of, include_submitted)
        .filter(unit=unit)
        .for_set(criteria_set)
    }
    recognised = Recognition.objects.in_force_on(as_of).filter(unit=unit, criteria_set=criteria_set).exists()
    details = [
        CriterionDetail(
            criterion=criterion,
            indicators=[
                IndicatorStatus(
                    indicator=indicator,
                    record=records.get(indicator.pk),
                    threshold=applicable_threshold(indicator.thresholds.all(), unit),
                )
                for indicator in criterion.indicators.all()
            ],
        )
        for criterion in criteria
    ]
    return UnitDetail(
        unit=unit,
        criteria_set=criteria_set,
        as_of=as_of,
        criteria=details,
        recognised=recognised,
        include_submitted=include_submitted,
    )


def latest_record_date(unit, include_submitted=False):
    """The newest counted record date under `unit`: the default report date. None when there is none."""
    units_under = AdministrativeUnit.objects.within(unit).values("pk")
    return (
        AchievementRecord.objects.counted(include_submitted)
        .filter(unit__in=units_under)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )


def report_dates(unit, include_submitted=False):
    """Every date with a counted record under `unit`, oldest first: the dates a report can be asked for."""
    units_under = AdministrativeUnit.objects.within(unit).values("pk")
    return list(AchievementRecord.objects.counted(include_submitted).filter(unit__in=units_under).report_dates())


def summarise_dates(unit, dates, include_submitted=False):
    """`summarise(unit, day)` for every day in `dates`, oldest first: the district's trend.

    Four queries whatever the number of units or dates: enrolments (units' validity is checked
    per date in Python), criteria, and one UNION of per-date record counts and of per-date
    recognitions. Verified records are counted with `_latest_keys`' grouped pass; with
    `include_submitted`, by the anti-join. Cached like `summarise`: one query on a hit.
    """
    dates = sorted(set(dates))
    if not dates:
        return []
    return cached(
        "trend",
        lambda: _summarise_dates(unit, dates, include_submitted),
        unit.pk,
        ",".join(day.isoformat() for day in dates),
        int(include_submitted),
    )


def _summarise_dates(unit, dates, include_submitted):
    units_under = AdministrativeUnit.objects.within(unit).values("pk")
    enrolments = list(
        Enrolment.objects.filter(unit__in=units_under)
        .select_related("unit", "criteria_set")
        .order_by("unit__code")
    )
    set_ids = {e.criteria_set_id for e in enrolments}
    unit_ids = {e.unit_id for e in enrolments}
    criteria_by_set = _criteria_by_set(set_ids)

    if include_submitted:
        # A submitted correction shares its date with the record it would replace: the anti-join.
        per_date = [
            AchievementRecord.objects.latest_as_of(day, include_submitted)
            .filter(unit__in=unit_ids, indicator__criterion__criteria_set__in=set_ids)
            .values("unit_id", "indicator__criterion_id")
            .annotate(
                day=Value(day, output_field=DateField()), recorded=Count("id"), met=Count("id", filter=Q(is_met=True))
            )
            .order_by()
            for day in dates
        ]
        counts = {day: {} for day in dates}
        for row in _union(per_date):
            counts[_as_date(row["day"])][(row["unit_id"], row["indicator__criterion_id"])] = (row["recorded"], row["met"])
    else:
        # As in `summarise`: ids while they are few (exact estimates on PostgreSQL), else the subtree.
        listed = sorted(unit_ids) if len(unit_ids) * len(dates) <= MAX_LISTED_UNITS else units_under
        counts = _latest_counts_by_date(listed, set_ids, dates)

    in_force = [
        Recognition.objects.in_force_on(day)
        .filter(unit__in=unit_ids, criteria_set__in=set_ids)
        .values("unit_id", "criteria_set_id")
        .annotate(day=Value(day, output_field=DateField()))
        .order_by()
        for day in dates
    ]
    recognised = {day: set() for day in dates}
    for row in _union(in_force):
        recognised[_as_date(row["day"])].add((row["unit_id"], row["criteria_set_id"]))

    return [
        _assemble(
            unit,
            day,
            [e for e in enrolments if e.unit.is_valid_on(day)],
            criteria_by_set,
            counts[day],
            recognised[day],
            include_submitted,
        )
        for day in dates
    ]


def _union(querysets):
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


def _as_date(value):
    # SQLite hands a literal date back as text; PostgreSQL as a date.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@dataclass
class IndicatorGap:
    """One indicator of a set and the units for which it is not met (with a record, or missing)."""

    indicator: Indicator
    unmet_units: list[AdministrativeUnit] = field(default_factory=list)
    missing_units: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def count(self):
        return len(self.unmet_units) + len(self.missing_units)


@dataclass
class UnitGaps:
    """What one unit still has to do on one set: its indicators not met, and those not reported."""

    unit: AdministrativeUnit
    unmet: list[Indicator] = field(default_factory=list)
    missing: list[Indicator] = field(default_factory=list)


@dataclass
class SetGaps:
    """Chỉ tiêu chưa đạt: for one set, the unmet indicators per unit and per indicator."""

    criteria_set: CriteriaSet
    units: list[UnitGaps]
    indicators: list[IndicatorGap]

    @property
    def most_unmet(self):
        """Indicators not met by at least one unit, most often unmet first, then in set order."""
        return sorted((g for g in self.indicators if g.count), key=lambda g: -g.count)


def gaps(unit, as_of, include_submitted=False):
    """For every set pursued under `unit`, which indicators each unit has not met as of `as_of`.

    Three queries whatever the number of units: enrolments, indicators, latest records (verified
    only: `_latest_keys`' grouped pass; with `include_submitted`, the anti-join). Cached like
    `summarise`: one query on a hit.
    """
    return cached("gaps", lambda: _gaps(unit, as_of, include_submitted), unit.pk, as_of.isoformat(), int(include_submitted))


def _gaps(unit, as_of, include_submitted):
    units_under = AdministrativeUnit.objects.within(unit).valid_on(as_of).values("pk")
    enrolments = list(
        Enrolment.objects.filter(unit__in=units_under).select_related("unit", "criteria_set").order_by("unit__code")
    )
    set_ids = {e.criteria_set_id for e in enrolments}
    indicators_by_set = {}
    for indicator in (
        Indicator.objects.filter(criterion__criteria_set__in=set_ids)
        .select_related("criterion")
        .order_by("criterion__number", "order", "code")
    ):
        indicators_by_set.setdefault(indicator.criterion.criteria_set_id, []).append(indicator)
    if include_submitted:
        status = {
            (unit_id, indicator_id): is_met
            for unit_id, indicator_id, is_met in AchievementRecord.objects.latest_as_of(as_of, include_submitted)
            .filter(unit__in=units_under, indicator__criterion__criteria_set__in=set_ids)
            .values_list("unit_id", "indicator_id", "is_met")
            .order_by()
        }
    else:  # verified only: one grouped pass (`_latest_keys`), the key's last bit is is_met
        unit_ids = sorted({e.unit_id for e in enrolments})
        listed = unit_ids if len(unit_ids) <= MAX_LISTED_UNITS else units_under
        status = {
            (unit_id, indicator_id): bool(key % 2)
            for unit_id, indicator_id, key in _latest_keys(listed, set_ids, as_of).values_list(
                "unit_id", "indicator_id", "key"
            )
        }

    by_set = {}
    for enrolment in enrolments:
        indicators = indicators_by_set.get(enrolment.criteria_set_id, [])
        set_gaps = by_set.get(enrolment.criteria_set_id)
        if set_gaps is None:
            set_gaps = by_set[enrolment.criteria_set_id] = SetGaps(
                criteria_set=enrolment.criteria_set, units=[], indicators=[IndicatorGap(i) for i in indicators]
            )
        unit_gaps = UnitGaps(unit=enrolment.unit)
        for indicator, gap in zip(indicators, set_gaps.indicators):
            is_met = status.get((enrolment.unit_id, indicator.pk))
            if is_met is None:
                unit_gaps.missing.append(indicator)
                gap.missing_units.append(enrolment.unit)
            elif not is_met:
                unit_gaps.unmet.append(indicator)
                gap.unmet_units.append(enrolment.unit)
        set_gaps.units.append(unit_gaps)
    return sorted(by_set.values(), key=lambda g: g.criteria_set.report_order)


def recognitions_in_force(unit, as_of):
    """Recognitions (công nhận đạt chuẩn) in force on `as_of` for `unit` and the units under it."""
    units_under = AdministrativeUnit.objects.within(unit).values("pk")
    return list(
        Recognition.objects.in_force_on(as_of)
        .filter(unit__in=units_under)
        .select_related("unit", "criteria_set")
        .order_by("decision_date", "unit__code")
    )


def unit_details(unit, as_of, include_submitted=False):
    """`unit_detail` for every set `unit` pursues, commune sets first (one query plus five per set)."""
    enrolments = sorted(
        Enrolment.objects.filter(unit=unit).select_related("criteria_set"),
        key=lambda e: e.criteria_set.report_order,
    )
    details = []
    for enrolment in enrolments:
        detail = unit_detail(unit, enrolment.criteria_set, as_of, include_submitted)
        detail.target_year = enrolment.target_year
        details.append(detail)
    return details


def met_indicator_pairs(units, indicator_ids, as_of, include_submitted=False):
    """The (unit id, indicator id) pairs whose latest counted record as of `as_of` is met (one query).

    For pages listing many units' tasks at once (gap plans), where `unit_detail` per unit would
    cost a query per unit. `units` is a queryset or list of units or ids.
    """
    return set(
        AchievementRecord.objects.latest_as_of(as_of, include_submitted)
        .filter(unit__in=units, indicator__in=indicator_ids, is_met=True)
        .values_list("unit_id", "indicator_id")
    )


@dataclass(frozen=True)
class StandardAtRisk:
    """Giữ vững chuẩn: a recognised unit whose current records show unmet criteria."""

    unit: AdministrativeUnit
    criteria_set: CriteriaSet
    criteria: list[CriterionResult]


def standards_at_risk(unit, as_of, summary=None):
    """Recognised units under `unit` (itself included) no longer meeting every criterion of the
    set they were recognised for, as of `as_of`, with the criteria at risk.

    Built on `summarise` (four queries); pass an existing `summary` to reuse it for free.
    """
    summary = summary or summarise(unit, as_of)
    return [
        StandardAtRisk(unit=result.unit, criteria_set=result.criteria_set, criteria=result.unmet_criteria)
        for set_summary in summary.sets
        for result in set_summary.units
        if result.standard_at_risk
    ]
