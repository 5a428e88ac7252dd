"""Chỉ tiêu chưa đạt: which indicators each unit under a unit has not met, per set."""

from communes.models import AdministrativeUnit
from criteria.models import Enrolment, Indicator
from records.models import AchievementRecord
from reports.cache import cached
from reports.engine.results import IndicatorGap, SetGaps, UnitGaps
from reports.engine.sql import MAX_LISTED_UNITS, latest_keys


def gaps(unit, as_of, include_submitted=False):
    """For every set pursued under `unit`, which indicators each unit has not met as of `as_of`.

    Three queries whatever the number of units: enrolments, indicators, latest records (verified
    only: `latest_keys`' grouped pass; with `include_submitted`, the anti-join). Cached like
    `summarise`: one query on a hit.
    """
    return cached(
        "gaps", lambda: _gaps(unit, as_of, include_submitted), unit.pk, as_of.isoformat(), int(include_submitted)
    )


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
    else:  # verified only: one grouped pass (`latest_keys`), the key's last bit is is_met
        unit_ids = sorted({e.unit_id for e in enrolments})
        listed = unit_ids if len(unit_ids) <= MAX_LISTED_UNITS else units_under
        status = {
            (unit_id, indicator_id): bool(key % 2)
            for unit_id, indicator_id, key in latest_keys(listed, set_ids, as_of).values_list(
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
