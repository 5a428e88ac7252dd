"""One unit's full standing on a set: every criterion and indicator, its latest record, its target."""

from django.db.models import Prefetch

from criteria.models import (
    ASK_ENROLMENT,
    Criterion,
    Enrolment,
    Indicator,
    Recognition,
    applicable_threshold,
    needs_commune_group,
)
from records.models import AchievementRecord
from reports.engine.results import CriterionDetail, IndicatorStatus, UnitDetail


def set_structure(criteria_set):
    """The set's criteria in order, each with its indicators and their targets (three queries)."""
    return _structures([criteria_set.pk])[criteria_set.pk]


def _structures(set_ids):
    """{set id: its criteria in order, each with its indicators and targets}, for every set in
    `set_ids` at once (three queries whatever their number)."""
    structures = {set_id: [] for set_id in set_ids}
    criteria = Criterion.objects.filter(criteria_set__in=set_ids).order_by("criteria_set_id", "number")
    for criterion in criteria.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code").prefetch_related("thresholds"))
    ):
        structures[criterion.criteria_set_id].append(criterion)
    return structures


def unit_detail(unit, criteria_set, as_of, include_submitted=False, commune_group=ASK_ENROLMENT):
    """Every criterion and indicator of `criteria_set` for `unit` as of `as_of` (five queries).

    Verified records count; with `include_submitted`, records awaiting verification count too.
    """
    criteria = set_structure(criteria_set)
    # Only a set with targets by commune group asks which group the unit is in for its period.
    grouped = any(needs_commune_group(i.thresholds.all()) for c in criteria for i in c.indicators.all())
    if commune_group is ASK_ENROLMENT:
        commune_group = Enrolment.objects.commune_group_of(unit, criteria_set.pk) if grouped else None
    records = _latest_records(unit, [criteria_set.pk], as_of, include_submitted)
    recognised = criteria_set.pk in _recognised_sets(unit, [criteria_set.pk], as_of)
    return _detail(unit, criteria_set, criteria, records, recognised, as_of, include_submitted, commune_group)


def unit_details(unit, as_of, include_submitted=False):
    """`unit_detail` for every set `unit` pursues, commune sets first (six queries whatever the
    number of sets: enrolments, the sets' structures, records and recognitions each read once)."""
    enrolments = sorted(
        Enrolment.objects.filter(unit=unit).select_related("criteria_set"),
        key=lambda e: e.criteria_set.report_order,
    )
    set_ids = [e.criteria_set_id for e in enrolments]
    if not set_ids:
        return []
    structures = _structures(set_ids)
    records = _latest_records(unit, set_ids, as_of, include_submitted)
    recognised = _recognised_sets(unit, set_ids, as_of)
    details = []
    for enrolment in enrolments:
        criteria_set = enrolment.criteria_set
        detail = _detail(
            unit,
            criteria_set,
            structures[criteria_set.pk],
            records,
            criteria_set.pk in recognised,
            as_of,
            include_submitted,
            enrolment.commune_group,
        )
        detail.target_year = enrolment.target_year
        details.append(detail)
    return details


def _latest_records(unit, set_ids, as_of, include_submitted):
    """{indicator id: `unit`'s latest counted record as of `as_of`} on the indicators of the sets
    (one query; an indicator belongs to one set, so the sets' records never collide)."""
    return {
        r.indicator_id: r
        for r in AchievementRecord.objects.latest_as_of(as_of, include_submitted).filter(
            unit=unit, indicator__criterion__criteria_set__in=set_ids
        )
    }


def _recognised_sets(unit, set_ids, as_of):
    """Ids of the sets among `set_ids` in which `unit` holds a recognition in force (one query)."""
    return set(
        Recognition.objects.in_force_on(as_of)
        .filter(unit=unit, criteria_set__in=set_ids)
        .values_list("criteria_set_id", flat=True)
    )


def _detail(unit, criteria_set, criteria, records, recognised, as_of, include_submitted, commune_group):
    details = [
        CriterionDetail(
            criterion=criterion,
            indicators=[
                IndicatorStatus(
                    indicator=indicator,
                    record=records.get(indicator.pk),
                    threshold=applicable_threshold(indicator.thresholds.all(), unit, commune_group),
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


def indicator_statuses(unit, indicators, as_of, include_submitted=False, commune_group=None):
    """`unit`'s IndicatorStatus on each of `indicators` (their thresholds prefetched) as of `as_of`,
    by indicator id (one query): the entry form's met / unmet / missing marks. `commune_group` is
    the unit's group in the set's period, for the targets shown (the caller has read it)."""
    records = {
        r.indicator_id: r
        for r in AchievementRecord.objects.latest_as_of(as_of, include_submitted).filter(
            unit=unit, indicator__in=indicators
        )
    }
    return {
        indicator.pk: IndicatorStatus(
            indicator=indicator,
            record=records.get(indicator.pk),
            threshold=applicable_threshold(indicator.thresholds.all(), unit, commune_group),
        )
        for indicator in indicators
    }


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
