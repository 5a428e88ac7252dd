from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from criteria.bins import bins_text
from criteria.models import CriteriaSet, prefetch_items
from reports.engine import set_structure
from reports.views.common import report_page


@report_page
def criteria_set_list(request, options):
    """Bộ tiêu chí: every set with its legal basis and size."""
    sets = list(
        CriteriaSet.objects.annotate(
            criteria_count=Count("criteria", distinct=True), indicator_count=Count("criteria__indicators")
        )
    )
    sets.sort(key=lambda s: s.report_order)
    return render(request, "reports/criteria_set_list.html", {"options": options, "sets": sets})


@report_page
def criteria_set_detail(request, options, set_code):
    """One set: criteria and indicators, targets by region or commune group, legal basis."""
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    criteria = set_structure(criteria_set)
    prefetch_items([i for c in criteria for i in c.indicators.all()])
    indicator_count = sum(len(c.indicators.all()) for c in criteria)
    return render(
        request,
        "reports/criteria_set_detail.html",
        {
            "options": options,
            "criteria_set": criteria_set,
            "criteria": criteria,
            "indicator_count": indicator_count,
            "bins": bins_text(criteria_set.bins(len(criteria))),
            "bins_error": criteria_set.bins_error(len(criteria)),
        },
    )
