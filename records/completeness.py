"""Tiến độ báo cáo: which units have not yet reported which indicators in a reporting round."""

from dataclasses import dataclass

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Enrolment, Indicator
from records.models import AchievementRecord


@dataclass
class UnitProgress:
    """One unit's reporting on one set in a round: reported (submitted or verified) and missing."""

    unit: AdministrativeUnit
    criteria_set: CriteriaSet
    indicator_total: int
    missing: list[Indicator]

    @property
    def reported(self):
        return self.indicator_total - len(self.missing)

    @property
    def complete(self):
        return not self.missing


def round_completeness(reporting_round, readable_units):
    """Every enrolled unit under the round's organiser that `readable_units` includes, with the
    indicators it has neither submitted nor had verified for the round's date.

    Three queries whatever the number of units: enrolments, indicators of their sets, and the
    (unit, indicator) pairs reported on the round's date.
    """
    day = reporting_round.as_of
    units = (
        AdministrativeUnit.objects.within(reporting_round.unit)
        .valid_on(day)
        .filter(pk__in=readable_units.values("pk"))
        .values("pk")
    )
    enrolments = list(
        Enrolment.objects.filter(unit__in=units)
        .select_related("unit", "criteria_set")
        .order_by("unit__code", "criteria_set_id")
    )
    indicators_by_set = {}
    for indicator in (
        Indicator.objects.filter(criterion__criteria_set__in={e.criteria_set_id for e in enrolments})
        .select_related("criterion")
        .order_by("criterion__number", "order", "code")
    ):
        indicators_by_set.setdefault(indicator.criterion.criteria_set_id, []).append(indicator)
    reported = set(
        AchievementRecord.objects.counted(include_submitted=True)
        .filter(unit__in=units, as_of=day)
        .values_list("unit_id", "indicator_id")
    )
    rows = []
    for enrolment in enrolments:
        indicators = indicators_by_set.get(enrolment.criteria_set_id, [])
        missing = [i for i in indicators if (enrolment.unit_id, i.pk) not in reported]
        rows.append(UnitProgress(enrolment.unit, enrolment.criteria_set, len(indicators), missing))
    return rows
