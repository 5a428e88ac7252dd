"""Plain-data forms of engine results, for JSON output (the CLI and the API share them)."""


def _number(value):
    return float(value)


def unit_result_dict(result):
    return {
        "code": result.unit.code,
        "name": result.unit.display_name,
        "criteria_met": result.criteria_met,
        "indicators_met": result.indicators_met,
        "indicators_missing": result.indicators_missing,
        "standard_met": result.standard_met,
        "recognised": result.recognised,
        "unmet_criteria": [c.criterion.number for c in result.unmet_criteria],
    }


def set_summary_dict(s):
    return {
        "code": s.criteria_set.code,
        "name": s.criteria_set.name,
        "is_illustrative": s.criteria_set.is_illustrative,
        "unit_count": s.unit_count,
        "criteria_total": s.criteria_total,
        "indicators_total": s.indicators_total,
        "criteria_met_sum": s.criteria_met_sum,
        "indicators_met_sum": s.indicators_met_sum,
        "indicators_missing_sum": s.indicators_missing_sum,
        "average_criteria": _number(s.average_criteria),
        "average_indicators": _number(s.average_indicators),
        "percent_criteria": _number(s.percent_criteria),
        "percent_indicators": _number(s.percent_indicators),
        "units_meeting_standard": s.units_meeting_standard,
        "units_recognised": s.units_recognised,
        "units": [unit_result_dict(u) for u in s.units],
    }


def summary_dict(summary):
    return {
        "unit": {"code": summary.unit.code, "name": summary.unit.display_name},
        "as_of": summary.as_of.isoformat(),
        "sets": [set_summary_dict(s) for s in summary.sets],
    }
