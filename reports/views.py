from datetime import date

from django.http import Http404
from django.shortcuts import render

from accounts.access import home_unit, unit_for_user

from .attainment import latest_record_date, summarise
from .narrative import ILLUSTRATIVE_NOTE, set_paragraph


def _report_date(request, unit):
    """The date asked for in ?date=YYYY-MM-DD, else the latest date with data, else today."""
    raw = request.GET.get("date")
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise Http404("Ngày không hợp lệ") from None
    return latest_record_date(unit) or date.today()


def overview(request):
    """The committee paragraphs for the user's unit (or ?unit=CODE within their scope)."""
    code = request.GET.get("unit")
    unit = unit_for_user(request.user, code) if code else home_unit(request.user)
    if unit is None:
        return render(request, "reports/no_scope.html", status=403)
    as_of = _report_date(request, unit)
    summary = summarise(unit, as_of)
    paragraphs = [set_paragraph(s) for s in summary.sets]
    return render(
        request,
        "reports/overview.html",
        {
            "unit": unit,
            "as_of": as_of,
            "summary": summary,
            "paragraphs": paragraphs,
            "illustrative_note": ILLUSTRATIVE_NOTE if any(s.criteria_set.is_illustrative for s in summary.sets) else "",
        },
    )
