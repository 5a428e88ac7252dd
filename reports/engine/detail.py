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


def unit_detail(unit, criteria_set, as_of, include_submitted=False, commune_group=ASK_ENROLMENT):
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
    # Only a set with targets by commune group asks which group the unit is in for its period.
    grouped = any(needs_commune_group(i.thresholds.all()) for c in criteria for i in c.indicators.all())
    if commune_group is ASK_ENROLMENT:
        commune_group = Enrolment.objects.commune_group_of(unit, criteria_set.pk) if grouped else None
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


def unit_details(unit, as_of, include_submitted=False):
    """`unit_detail` for every set `unit` pursues, commune sets first (one query plus five per set)."""
    enrolments = sorted(
        Enrolment.objects.filter(unit=unit).select_related("criteria_set"),
        key=lambda e: e.criteria_set.report_order,
    )
    details = []
    for enrolment in enrolments:
        detail = unit_detail(unit, enrolment.criteria_set, as_of, include_submitted, enrolment.commune_group)
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
