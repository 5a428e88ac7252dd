"""The attainment engine: the ONE place that computes which indicators, criteria and standards are
met, and the committee's figures ("8 xã đạt bình quân 17,87/19 tiêu chí").

Every page, export, chart, brief and API asks this package; none recomputes. Rules:
- a unit's status on an indicator is its latest counted record dated on or before the report
  date: verified records only, unless `include_submitted` also counts those awaiting
  verification; no such record means "missing", which counts as not met;
- a criterion is met when all its indicators are met (a criterion with no indicators loaded yet
  is never met); a standard is met when all the set's criteria are;
- averages are over the units pursuing the set, written by the rule of the report unit's
  province (reports.models: two decimals truncated or rounded, one decimal, a whole number),
  else NTM_AVERAGE_MODE (two decimals, truncated unless "round"); percentages are of the exact
  ratio, to one decimal;
- a set's units fall into its bins of criteria met (criteria.bins); "cơ bản đạt chuẩn" is counted
  only where the province sets its own threshold.
The number of queries does not depend on how many units there are.

`results` holds what the engine returns, `sql` the record reads; `summary` (set figures and the
trend), `distribution` (units by number of criteria met, statuses, averages with their sum and
count, by the province's rules: reports.models), `changes` (since the last report date), `detail` (one unit's every indicator), `rollups` (figures per child unit, for large subtrees), `gaps`, `recognitions` and `dates` ask them;
`series` says where a series breaks because units were succeeded.
"""

from reports.engine.changes import CriteriaChange, criteria_changes, previous_report_date
from reports.engine.dates import latest_record_date, report_dates
from reports.engine.detail import indicator_statuses, met_indicator_pairs, set_structure, unit_detail, unit_details
from reports.engine.distribution import AverageFigure, SetDistribution, distribution
from reports.engine.recognitions import recognitions_in_force, standards_at_risk
from reports.engine.results import (
    CriterionDetail,
    CriterionResult,
    IndicatorGap,
    IndicatorStatus,
    SetGaps,
    SetSummary,
    StandardAtRisk,
    Summary,
    UnitDetail,
    UnitGaps,
    UnitResult,
    average,
    percent,
)
from reports.engine.rollups import Rollup, SetRollup, UnitsFigures, rollup, rollup_dates
from reports.engine.series import SeriesBreak, series_breaks
from reports.engine.shortfalls import gaps
from reports.engine.summary import summarise, summarise_dates

__all__ = [
    "AverageFigure",
    "SetDistribution",
    "distribution",
    "CriteriaChange",
    "CriterionDetail",
    "CriterionResult",
    "IndicatorGap",
    "IndicatorStatus",
    "SeriesBreak",
    "Rollup",
    "SetRollup",
    "SetGaps",
    "SetSummary",
    "StandardAtRisk",
    "Summary",
    "UnitDetail",
    "UnitGaps",
    "UnitResult",
    "UnitsFigures",
    "average",
    "criteria_changes",
    "gaps",
    "indicator_statuses",
    "latest_record_date",
    "met_indicator_pairs",
    "percent",
    "previous_report_date",
    "recognitions_in_force",
    "rollup",
    "rollup_dates",
    "report_dates",
    "series_breaks",
    "set_structure",
    "standards_at_risk",
    "summarise",
    "summarise_dates",
    "unit_detail",
    "unit_details",
]
