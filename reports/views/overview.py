from django.shortcuts import render

from reports import charts
from reports.engine import distribution, gaps, standards_at_risk, summarise, summarise_dates
from reports.narrative import ILLUSTRATIVE_NOTE, set_paragraph
from reports.views.common import report_page, unit_choices


@report_page
def overview(request, options):
    """Tổng quan: headline cards, charts and their tables for a unit (district) and date."""
    trend = summarise_dates(options.unit, options.dates, options.include_submitted)
    # The trend has the report date whenever it has data (by default the latest): the same figures
    # as summarise (reports/tests/test_trend_and_gaps.py), so they are not read twice.
    summary = next((t for t in trend if t.as_of == options.as_of), None) or summarise(
        options.unit, options.as_of, include_submitted=options.include_submitted
    )
    gaps_by_set = {g.criteria_set.pk: g for g in gaps(options.unit, options.as_of, options.include_submitted)}
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
    return render(
        request,
        "reports/overview.html",
        {
            "options": options,
            "unit_choices": unit_choices(request.user, options.unit),
            "summary": summary,
            "at_risk": standards_at_risk(options.unit, options.as_of, summary=summary),
            "sets": sets,
            "trend": trend,
            "chart_data": chart_data,
            "illustrative_note": ILLUSTRATIVE_NOTE if any(s.criteria_set.is_illustrative for s in summary.sets) else "",
        },
    )
