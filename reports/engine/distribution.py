"""How provinces write a set's figures: units by number of criteria met in the set's bins, the
statuses counted apart (đạt đủ, cơ bản đạt chuẩn, đã được công nhận, chưa duy trì chuẩn), and the
average with its sum and count. Each share states its base.

Built with no query from a `SetSummary`, whose per-unit results are counted and named here
(`summarise` already read the bins, on the set, and the province's threshold and average rule),
or from a rollup's row (`rollups.UnitsFigures`: a large subtree, or one child unit of it), whose
counts the rollup's statement made; those shares name no unit (`Share.units` is None).
"""

from dataclasses import dataclass
from decimal import Decimal

from criteria.bins import Bin
from reports.engine.results import SetSummary, average, default_average_rule, percent
from reports.models import AverageRule

# Status codes, in the order reports give them.
STANDARD_MET, BASIC, RECOGNISED, NOT_MAINTAINED = "standard_met", "basic", "recognised", "not_maintained"
# The two bases a share is taken over.
BASE_PURSUING, BASE_RECOGNISED = "pursuing", "recognised"


@dataclass(frozen=True)
class Share:
    """Some of the units of a base: '3/8 xã' over the units pursuing the set, or over the
    recognised ones. `units` are AdministrativeUnits in code order, or None when the units were
    counted, not listed (a rollup of a large subtree)."""

    count: int
    base_count: int
    base: str  # BASE_PURSUING or BASE_RECOGNISED
    units: tuple | None = None

    @classmethod
    def of(cls, units, base_count, base=BASE_PURSUING):
        units = tuple(units)
        return cls(count=len(units), base_count=base_count, base=base, units=units)

    @property
    def listed(self):
        return self.units is not None

    @property
    def percent(self):
        return percent(self.count, self.base_count)


@dataclass(frozen=True)
class BinCount:
    """One bin of the distribution and the units in it."""

    bin: Bin
    label: str  # 'đạt 15-18 tiêu chí'
    share: Share


@dataclass(frozen=True)
class StatusCount:
    """One status counted apart; `share` is None when the province sets no threshold for it."""

    code: str
    share: Share | None


@dataclass(frozen=True)
class AverageFigure:
    """An average as the province writes it, with the sum and count it comes from."""

    total: int
    count: int
    rule: str

    @property
    def value(self):
        return average(self.total, self.count, self.rule)

    @property
    def rule_label(self):
        """'Hai chữ số thập phân, bỏ phần sau (17,87)'."""
        return AverageRule(self.rule).label

    @property
    def exact(self):
        return Decimal(self.total) / Decimal(self.count) if self.count else Decimal(0)


@dataclass(frozen=True)
class SetDistribution:
    """A set's distribution, statuses and averages under the report's unit."""

    bins: list
    statuses: list
    basic_threshold: int | None
    basic_threshold_illustrative: bool
    average_criteria: AverageFigure
    average_indicators: AverageFigure

    def status(self, code):
        return next(s for s in self.statuses if s.code == code)


def distribution(figures):
    """The distribution and statuses of `figures` by the province's rules: a SetSummary (the
    units counted and named) or a rollup's row (counted in SQL, not named)."""
    if not isinstance(figures, SetSummary):
        return _counted(figures)
    s = figures
    total = s.criteria_total
    units = sorted(s.units, key=lambda u: u.unit.code)
    pursuing = len(units)

    def over_pursuing(results):
        return Share.of((u.unit for u in results), pursuing)

    bins = [
        BinCount(bin=b, label=b.label(total), share=over_pursuing([u for u in units if u.criteria_met in b]))
        for b in s.criteria_set.bins(total)
    ]
    recognised = [u for u in units if u.recognised]
    threshold = s.basic_threshold
    basic = None
    if threshold is not None:
        basic = over_pursuing([u for u in units if threshold <= u.criteria_met and not u.standard_met])
    statuses = [
        StatusCount(STANDARD_MET, over_pursuing([u for u in units if u.standard_met])),
        StatusCount(BASIC, basic),
        StatusCount(RECOGNISED, over_pursuing(recognised)),
        StatusCount(
            NOT_MAINTAINED,
            Share.of((u.unit for u in recognised if not u.standard_met), len(recognised), BASE_RECOGNISED),
        ),
    ]
    return _assembled(s, bins, statuses)


def _counted(f):
    """As `distribution`, from a rollup row's counts (`rollups.UnitsFigures`)."""
    total = f.criteria_total

    def over_pursuing(count):
        return Share(count=count, base_count=f.unit_count, base=BASE_PURSUING)

    bins = [
        BinCount(bin=b, label=b.label(total), share=over_pursuing(count))
        for b, count in zip(f.bins, f.bin_counts, strict=True)
    ]
    statuses = [
        StatusCount(STANDARD_MET, over_pursuing(f.units_meeting_standard)),
        StatusCount(BASIC, over_pursuing(f.units_basic) if f.basic_threshold is not None else None),
        StatusCount(RECOGNISED, over_pursuing(f.units_recognised)),
        StatusCount(NOT_MAINTAINED, Share(count=f.units_at_risk, base_count=f.units_recognised, base=BASE_RECOGNISED)),
    ]
    return _assembled(f, bins, statuses)


def _assembled(s, bins, statuses):
    rule = s.average_rule or default_average_rule()
    return SetDistribution(
        bins=bins,
        statuses=statuses,
        basic_threshold=s.basic_threshold,
        basic_threshold_illustrative=s.basic_threshold_illustrative,
        average_criteria=AverageFigure(s.criteria_met_sum, s.unit_count, rule),
        average_indicators=AverageFigure(s.indicators_met_sum, s.unit_count, rule),
    )
