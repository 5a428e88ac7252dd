"""The committee figures: every set pursued under a unit, as of one date or over several dates."""

from django.db.models import Count, DateField, Q, Value

from communes.models import AdministrativeUnit
from criteria.models import Enrolment, Recognition
from records.models import AchievementRecord
from reports.cache import cached
from reports.engine.results import CriterionResult, SetSummary, Summary, UnitResult
from reports.engine.sql import (
    MAX_LISTED_UNITS,
    as_date,
    criteria_of_sets,
    latest_counts,
    latest_counts_by_date,
    latest_counts_with_submitted,
    union_all,
)


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
    criteria_by_set = criteria_of_sets(set_ids, unit)

    unit_ids = sorted({e.unit_id for e in enrolments})
    units = unit_ids if len(unit_ids) <= MAX_LISTED_UNITS else units_under
    if include_submitted:
        counts = latest_counts_with_submitted(units, set_ids, as_of)
    else:
        counts = latest_counts(units, set_ids, as_of)
    recognised = set(
        Recognition.objects.in_force_on(as_of)
        .filter(unit__in=units, criteria_set__in=set_ids)
        .values_list("unit_id", "criteria_set_id")
    )
    return _assemble(unit, as_of, enrolments, criteria_by_set, counts, recognised, include_submitted)


def _assemble(unit, as_of, enrolments, criteria_by_set, counts, recognised, include_submitted):
    """Build the Summary from the rows `summarise` and `summarise_dates` read."""
    summaries, shared = {}, {}
    # Every criterion carries the same rule (the report unit's province's); a set without criteria has none.
    average_rule = next((c.average_rule for cs in criteria_by_set.values() for c in cs), None)
    for enrolment in enrolments:
        criteria = criteria_by_set.get(enrolment.criteria_set_id, [])
        summary = summaries.get(enrolment.criteria_set_id)
        if summary is None:
            summary = summaries[enrolment.criteria_set_id] = SetSummary(
                criteria_set=enrolment.criteria_set,
                criteria_total=len(criteria),
                indicators_total=sum(c.indicator_count for c in criteria),
                average_rule=average_rule,
                basic_threshold=criteria[0].basic_threshold if criteria else None,
                basic_threshold_illustrative=bool(criteria and criteria[0].basic_threshold_illustrative),
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


def summarise_dates(unit, dates, include_submitted=False):
    """`summarise(unit, day)` for every day in `dates`, oldest first: the district's trend.

    Four queries whatever the number of units or dates: enrolments, criteria, the record counts
    on every date, and the recognitions in force on any of them (units' validity and recognitions
    are checked per date in Python). Verified records are counted from the status intervals in
    one pass (`latest_counts_by_date`); with `include_submitted`, by the anti-join per date.
    Cached like `summarise`: one query on a hit.
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
        Enrolment.objects.filter(unit__in=units_under).select_related("unit", "criteria_set").order_by("unit__code")
    )
    set_ids = {e.criteria_set_id for e in enrolments}
    unit_ids = {e.unit_id for e in enrolments}
    criteria_by_set = criteria_of_sets(set_ids, unit)

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
        for row in union_all(per_date):
            counts[as_date(row["day"])][(row["unit_id"], row["indicator__criterion_id"])] = (
                row["recorded"],
                row["met"],
            )
    else:
        # As in `summarise`: ids while they are few (exact estimates on PostgreSQL), else the subtree.
        listed = sorted(unit_ids) if len(unit_ids) * len(dates) <= MAX_LISTED_UNITS else units_under
        counts = latest_counts_by_date(listed, set_ids, dates)

    recognised = {day: set() for day in dates}
    for recognition in (
        Recognition.objects.in_force_between(dates[0], dates[-1])
        .filter(unit__in=unit_ids, criteria_set__in=set_ids)
        .order_by()
    ):
        for day in dates:
            if recognition.is_in_force_on(day):
                recognised[day].add((recognition.unit_id, recognition.criteria_set_id))

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
