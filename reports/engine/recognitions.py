"""Công nhận: recognitions in force, and recognised units no longer meeting their standard."""

from communes.models import AdministrativeUnit
from criteria.models import Recognition
from reports.engine.results import StandardAtRisk
from reports.engine.summary import summarise


def recognitions_in_force(unit, as_of):
    """Recognitions (công nhận đạt chuẩn) in force on `as_of` for `unit` and the units under it
    that exist on `as_of`: a commune merged on 1/7/2025 keeps its recognition in the history, but a
    2026 report counts only the new communes (no list mixes both sides of the reform)."""
    units_under = AdministrativeUnit.objects.within(unit).valid_on(as_of).values("pk")
    return list(
        Recognition.objects.in_force_on(as_of)
        .filter(unit__in=units_under)
        .select_related("unit", "criteria_set")
        .order_by("decision_date", "unit__code")
    )


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
