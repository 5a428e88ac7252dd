"""Plain-data forms of engine results, for JSON output (the CLI and the API share them)."""

from criteria.models import ITEM_SEPARATOR, NONE_MET
from reports.engine.distribution import BASIC, distribution
from reports.narrative import status_label
from shared.formatting import vi_number


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


def _figures_dict(s):
    """The sums a set's figures come from and the figures, of a SetSummary or a rollup's row."""
    return {
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
    }


def set_summary_dict(s, listed=None):
    """A set's figures with every unit's row, or only the units whose ids are in `listed` (a page
    of them: the figures and counts stay those of every unit, the lists name the page's)."""
    units = s.units if listed is None else [u for u in s.units if u.unit.pk in listed]
    return {
        "code": s.criteria_set.code,
        "name": s.criteria_set.name,
        "is_illustrative": s.criteria_set.is_illustrative,
        **_figures_dict(s),
        "units": [unit_result_dict(u) for u in units],
        **distribution_dict(s, listed),
    }


def _share_dict(share, listed=None):
    """A count, the base it is taken over and the units counted (their codes; None when counted
    without listing them, as a large subtree's rollup does; those in `listed` only if given)."""
    if share is None:
        return {"count": None, "base": None, "base_count": None, "percent": None, "units": None}
    return {
        "count": share.count,
        "base": share.base,
        "base_count": share.base_count,
        "percent": _number(share.percent),
        "units": [u.code for u in share.units if listed is None or u.pk in listed] if share.listed else None,
    }


def _average_dict(figure):
    return {
        "sum": figure.total,
        "count": figure.count,
        "rule": figure.rule,
        "value": _number(figure.value),
        "text": vi_number(figure.value),
    }


def distribution_dict(s, listed=None):
    """The set's bins, statuses (each share with its base) and averages with sum, count and rule."""
    dist = distribution(s)
    statuses = []
    for status in dist.statuses:
        row = {"code": status.code, "label": status_label(s, dist, status.code), **_share_dict(status.share, listed)}
        if status.code == BASIC:
            row["threshold"] = dist.basic_threshold
            row["threshold_illustrative"] = dist.basic_threshold_illustrative
        statuses.append(row)
    return {
        "average": {
            "rule": dist.average_criteria.rule,
            "criteria": _average_dict(dist.average_criteria),
            "indicators": _average_dict(dist.average_indicators),
        },
        "distribution": [
            {"bin": b.bin.text, "low": b.bin.low, "high": b.bin.high, "label": b.label, **_share_dict(b.share, listed)}
            for b in dist.bins
        ],
        "statuses": statuses,
    }


def summary_dict(summary, listed=None):
    return {
        "unit": {"code": summary.unit.code, "name": summary.unit.display_name},
        "as_of": summary.as_of.isoformat(),
        "sets": [set_summary_dict(s, listed) for s in summary.sets],
    }


def rollup_dict(result, child_url):
    """A large subtree's figures (`reports.engine.rollup`): per set the totals, and a row per
    child unit with the same figures, sums, bins and statuses (counted, not listed) and
    `child_url(unit)`, where its own figures are."""
    return {
        "unit": {"code": result.unit.code, "name": result.unit.display_name},
        "as_of": result.as_of.isoformat(),
        "rows": "children",
        "sets": [
            {
                "code": s.criteria_set.code,
                "name": s.criteria_set.name,
                "is_illustrative": s.criteria_set.is_illustrative,
                **_figures_dict(s),
                **distribution_dict(s),
                "children": [
                    {
                        "code": f.unit.code,
                        "name": f.unit.display_name,
                        "url": child_url(f.unit),
                        **_figures_dict(f),
                        **distribution_dict(f),
                    }
                    for f in s.children
                ],
            }
            for s in result.sets
        ],
    }


def _record_value(record):
    if record is None:
        return None
    if record.value_number is not None:
        return _number(record.value_number)
    return record.value_bool


def indicator_status_dict(status):
    return {
        "code": status.indicator.code,
        "name": status.indicator.display_name,
        "status": status.status,
        "value": _record_value(status.record),
        "as_of": status.record.as_of.isoformat() if status.record else None,
        "comparator": status.indicator.comparator or None,
        "threshold": _number(status.threshold.value) if status.threshold else None,
        # A band's bound not reached; None for every other rule.
        "threshold_upper": _number(status.threshold.upper) if status.threshold and status.threshold.upper else None,
        # An any-of indicator's met items (value is how many); None for every other kind.
        "items_met": _items_met(status.record),
    }


def _items_met(record):
    if record is None or not record.value_items:
        return None
    return [] if record.value_items == NONE_MET else record.value_items.split(ITEM_SEPARATOR)


def unit_detail_dict(detail):
    return {
        "code": detail.criteria_set.code,
        "name": detail.criteria_set.name,
        "is_illustrative": detail.criteria_set.is_illustrative,
        "criteria_total": len(detail.criteria),
        "criteria_met": detail.criteria_met,
        "indicators_total": len(detail.indicators),
        "indicators_met": detail.indicators_met,
        "standard_met": detail.standard_met,
        "recognised": detail.recognised,
        "criteria": [
            {
                "number": c.criterion.number,
                "name": c.criterion.name,
                "met": c.met,
                "indicators": [indicator_status_dict(i) for i in c.indicators],
            }
            for c in detail.criteria
        ],
    }
