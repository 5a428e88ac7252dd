from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from reports import charts
from reports.cache import cached
from reports.engine import distribution, gaps, rollup, series_breaks, standards_at_risk, summarise, summarise_dates
from reports.narrative import ILLUSTRATIVE_NOTE, set_paragraph
from reports.options import per_child
from reports.views.common import report_page, unit_choices


@report_page
def overview(request, options):
    """Tổng quan: headline cards, charts and their tables for a unit and date.

    The figures are rendered once per unit, date, mode and language and cached as HTML under the
    data version (`reports.cache`): a second reader costs no engine work and unpickles no model
    object, and any write to the data shows at once."""
    figures = cached(
        "overview-html",
        lambda: render_to_string(*figures_template(options)),
        options.unit.pk,
        options.as_of.isoformat(),
        int(options.include_submitted),
        get_language(),
        settings.NTM_PER_UNIT_MAX_UNITS,
    )
    return render(
        request,
        "reports/overview.html",
        {
            "options": options,
            "unit_choices": unit_choices(request.user, options.unit, options.as_of),
            "figures": figures,
        },
    )


def figures_template(options):
    """(template, context) of the overview's figures: per child unit for a large subtree."""
    if per_child(options.unit, options.as_of):
        return "reports/_overview_children.html", children_context(options)
    return "reports/_overview_units.html", units_context(options)


def children_context(options):
    """A province's or the nation's figures: one row per unit one level down (five queries)."""
    result = rollup(options.unit, options.as_of, options.include_submitted, dates=options.dates)
    urls = charts.child_urls([f.unit for s in result.sets for f in s.children], options)
    sets = [
        {
            "summary": s,
            "paragraph": set_paragraph(s),
            "distribution": distribution(s),
            "children": [(f, urls[f.unit.pk], distribution(f)) for f in s.children],
        }
        for s in result.sets
    ]
    chart_data = {
        "sets": [
            {
                "code": s.criteria_set.code,
                "bar": charts.child_bar_data(s, urls),
                "unmet": charts.child_unmet_data(s),
            }
            for s in result.sets
        ],
        "trend": charts.trend_data(result.trend),
    }
    return {
        "options": options,
        "summary": result,
        "sets": sets,
        "trend": result.trend,
        # Where the trend changes from old units to new ones (one query: a rollup lists no units).
        "series_breaks": series_breaks(options.unit, [t.as_of for t in result.trend]),
        "chart_data": chart_data,
        "per_unit_max": settings.NTM_PER_UNIT_MAX_UNITS,
        "illustrative_note": ILLUSTRATIVE_NOTE if any(s.criteria_set.is_illustrative for s in result.sets) else "",
    }


def units_context(options):
    """A district's figures: one row and one heatmap line per commune."""
    trend = summarise_dates(options.unit, options.dates, options.include_submitted)
    # The trend has the report date whenever it has data (by default the latest): the same figures
    # as summarise (reports/tests/test_trend_and_gaps.py), so they are not read twice.
    summary = next((t for t in trend if t.as_of == options.as_of), None) or summarise(
        options.unit, options.as_of, include_submitted=options.include_submitted
    )
    gaps_by_set = {g.criteria_set.pk: g for g in gaps(options.unit, options.as_of, options.include_submitted, summary)}
    urls = charts.unit_urls({u.unit for s in summary.sets for u in s.units}, options.as_of)
    sets = []
    for s in summary.sets:
        set_gaps = gaps_by_set[s.criteria_set.pk]
        sets.append(
            {
                "summary": s,
                "paragraph": set_paragraph(s),
                "ranked": [(u, urls[u.unit.pk]) for u in charts.ranked_units(s)],
                "gaps": set_gaps,
                "most_unmet": set_gaps.most_unmet[:10],
                "heatmap_rows": charts.heatmap_rows(s, urls),
                "criteria": [c.criterion for c in s.units[0].criteria] if s.units else [],
                "distribution": distribution(s),
            }
        )
    chart_data = {
        "sets": [
            {
                "code": row["summary"].criteria_set.code,
                "bar": charts.bar_data(row["summary"], options.as_of, urls),
                "heatmap": charts.heatmap_data(row["summary"], options.as_of, urls),
                "unmet": charts.unmet_data(row["gaps"]),
            }
            for row in sets
        ],
        "trend": charts.trend_data(trend),
    }
    return {
        "options": options,
        "summary": summary,
        "at_risk": standards_at_risk(options.unit, options.as_of, summary=summary),
        "sets": sets,
        "trend": trend,
        # Where the trend changes from old units to new ones (no query unless a counted unit
        # begins or ends between the first and last date shown).
        "series_breaks": series_breaks(
            options.unit,
            [t.as_of for t in trend],
            counted_units={u.unit for t in trend for s in t.sets for u in s.units},
        ),
        "chart_data": chart_data,
        "illustrative_note": ILLUSTRATIVE_NOTE if any(s.criteria_set.is_illustrative for s in summary.sets) else "",
    }
