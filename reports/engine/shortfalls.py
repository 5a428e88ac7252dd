"""Chỉ tiêu chưa đạt: which indicators each unit under a unit has not met, per set."""

from communes.models import AdministrativeUnit
from criteria.models import Enrolment, Indicator
from records.models import AchievementRecord, SetStanding
from reports.cache import cached
from reports.engine.results import IndicatorGap, SetGaps, UnitGaps
from reports.engine.sql import MAX_LISTED_UNITS


def gaps(unit, as_of, include_submitted=False, summary=None):
    """For every set pursued under `unit`, which indicators each unit has not met as of `as_of`.

    Three queries whatever the number of units: enrolments, indicators, statuses (verified only:
    the set standings in force, one row per unit and set; with `include_submitted`, the latest
    records by the anti-join). Given `summary` (`summarise` of the same unit, date and mode, which
    a page has already read), its units and sets stand for the enrolments: two queries. Cached like
    `summarise`: one query on a hit.
    """
    return cached(
        "gaps",
        lambda: _gaps(unit, as_of, include_submitted, summary),
        unit.pk,
        as_of.isoformat(),
        int(include_submitted),
    )


def _gaps(unit, as_of, include_submitted, summary):
    if summary is not None and (summary.as_of, summary.include_submitted) != (as_of, include_submitted):
        raise ValueError("gaps: the summary is of another date or mode")
    units_under = AdministrativeUnit.objects.within(unit).valid_on(as_of).values("pk")
    if summary is None:
        pursued = [
            (e.unit, e.criteria_set)
            for e in Enrolment.objects.filter(unit__in=units_under)
            .select_related("unit", "criteria_set")
            .order_by("unit__code")
        ]
    else:  # the same enrolments, in the same order (by unit code within each set)
        pursued = [(u.unit, s.criteria_set) for s in summary.sets for u in s.units]
    set_ids = {criteria_set.pk for _, criteria_set in pursued}
    unit_ids = sorted({u.pk for u, _ in pursued})
    # Ids while they are few (exact estimates on PostgreSQL), else the subtree (SQLite's parameter limit).
    units = unit_ids if len(unit_ids) <= MAX_LISTED_UNITS else units_under
    indicators_by_set = {}
    for indicator in (
        Indicator.objects.filter(criterion__criteria_set__in=set_ids)
        .select_related("criterion")
        .order_by("criterion__number", "order", "code")
    ):
        indicators_by_set.setdefault(indicator.criterion.criteria_set_id, []).append(indicator)
    unmet_of = _unmet_with_submitted if include_submitted else _unmet_verified
    unmet_by_pair = unmet_of(units, set_ids, as_of, indicators_by_set)

    by_set = {}
    for pursuing, criteria_set in pursued:
        indicators = indicators_by_set.get(criteria_set.pk, [])
        set_gaps = by_set.get(criteria_set.pk)
        if set_gaps is None:
            set_gaps = by_set[criteria_set.pk] = SetGaps(
                criteria_set=criteria_set, units=[], indicators=[IndicatorGap(i) for i in indicators]
            )
        # No status at all: every indicator is missing.
        unmet, missing = unmet_by_pair.get((pursuing.pk, criteria_set.pk), ((), None))
        unit_gaps = UnitGaps(unit=pursuing)
        for indicator, gap in zip(indicators, set_gaps.indicators):
            if missing is None or indicator.pk in missing:
                unit_gaps.missing.append(indicator)
                gap.missing_units.append(pursuing)
            elif indicator.pk in unmet:
                unit_gaps.unmet.append(indicator)
                gap.unmet_units.append(pursuing)
        set_gaps.units.append(unit_gaps)
    return sorted(by_set.values(), key=lambda g: g.criteria_set.report_order)


def _unmet_verified(units, set_ids, as_of, indicators_by_set):
    """{(unit id, set id): (ids not met, ids with no record)} from the set standings in force
    (`records.models.SetStanding`, kept from the verified records' intervals)."""
    return {
        (unit_id, set_id): (_ids(unmet), _ids(missing))
        for unit_id, set_id, unmet, missing in SetStanding.objects.in_force_on(as_of)
        .filter(unit__in=units, criteria_set__in=set_ids)
        .values_list("unit_id", "criteria_set_id", "unmet", "missing")
    }


def _unmet_with_submitted(units, set_ids, as_of, indicators_by_set):
    """As `_unmet_verified`, from the latest verified or submitted records (the anti-join)."""
    set_of = {i.pk: set_id for set_id, indicators in indicators_by_set.items() for i in indicators}
    recorded, unmet = {}, {}
    for unit_id, indicator_id, is_met in (
        AchievementRecord.objects.latest_as_of(as_of, include_submitted=True)
        .filter(unit__in=units, indicator__criterion__criteria_set__in=set_ids)
        .values_list("unit_id", "indicator_id", "is_met")
        .order_by()
    ):
        pair = (unit_id, set_of[indicator_id])
        recorded.setdefault(pair, set()).add(indicator_id)
        if not is_met:
            unmet.setdefault(pair, set()).add(indicator_id)
    ids_of_set = {set_id: {i.pk for i in indicators} for set_id, indicators in indicators_by_set.items()}
    return {pair: (unmet.get(pair, set()), ids_of_set[pair[1]] - ids) for pair, ids in recorded.items()}


def _ids(listed):
    """The ids in a standing's comma-separated list."""
    return {int(i) for i in listed.split(",")} if listed else set()
