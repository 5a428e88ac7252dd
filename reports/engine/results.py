"""What the engine returns: a unit's standing on criteria and indicators, set figures, gaps.

The arithmetic of the committee's figures (averages and percentages) lives here too, on the
results that carry them; the reads that fill them are in `sql`, `summary`, `detail` and `gaps`.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import cached_property

from django.conf import settings

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Criterion, Indicator, Threshold
from records.models import AchievementRecord

TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")
WHOLE = Decimal("1")
# Average rules (reports.models.AverageRule): places and rounding. Only the two-decimal rule of
# the official reports truncates (143/8 = 17,875 -> 17,87); the others round half up the exact
# ratio, as percentages do (17,875 -> 17,88, 17,9, 18).
AVERAGE_RULES = {
    "truncate2": (TWO_PLACES, ROUND_DOWN),
    "round2": (TWO_PLACES, ROUND_HALF_UP),
    "one_decimal": (ONE_PLACE, ROUND_HALF_UP),
    "whole": (WHOLE, ROUND_HALF_UP),
}


def default_average_rule():
    """The deployment's rule (NTM_AVERAGE_MODE), for units whose province sets none."""
    return "round2" if settings.NTM_AVERAGE_MODE == "round" else "truncate2"


def average(total, count, rule=None):
    """A committee average by `rule` (default: the deployment's, two decimals truncated: 143/8 -> 17.87)."""
    if not count:
        return Decimal(0)
    places, rounding = AVERAGE_RULES[rule or default_average_rule()]
    return (Decimal(total) / Decimal(count)).quantize(places, rounding=rounding)


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


class SetFigures:
    """The figures a set's sums give over its units: averages by the rule of the report unit's
    province (`average_rule`, None: the deployment's), percentages of the exact ratio.

    Shared by `SetSummary` (sums over per-unit results) and the rollup's rows (`rollups`, sums
    counted in SQL), so a province's rule writes both the same way. A subclass provides
    `unit_count`, `criteria_met_sum`, `indicators_met_sum`, `units_meeting_standard`,
    `criteria_total`, `indicators_total` and `average_rule`.
    """

    @property
    def average_criteria(self):
        return average(self.criteria_met_sum, self.unit_count, self.average_rule)

    @property
    def average_indicators(self):
        return average(self.indicators_met_sum, self.unit_count, self.average_rule)

    @property
    def percent_criteria(self):
        return percent(self.criteria_met_sum, self.unit_count * self.criteria_total)

    @property
    def percent_indicators(self):
        return percent(self.indicators_met_sum, self.unit_count * self.indicators_total)

    @property
    def percent_meeting_standard(self):
        return percent(self.units_meeting_standard, self.unit_count)


@dataclass
class SetSummary(SetFigures):
    """The figures for one set over the units pursuing it under a parent unit."""

    criteria_set: CriteriaSet
    criteria_total: int
    indicators_total: int
    units: list[UnitResult] = field(default_factory=list)
    # How the report's province writes its figures (reports.models): None, the deployment's rule.
    average_rule: str | None = None
    basic_threshold: int | None = None  # cơ bản đạt chuẩn from this many criteria; None: not reported
    basic_threshold_illustrative: bool = False

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


@dataclass(frozen=True)
class StandardAtRisk:
    """Giữ vững chuẩn: a recognised unit whose current records show unmet criteria."""

    unit: AdministrativeUnit
    criteria_set: CriteriaSet
    criteria: list[CriterionResult]
