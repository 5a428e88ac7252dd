from datetime import date

from django.http import Http404
from django.shortcuts import render

from accounts.access import home_unit, unit_for_user
from reports.engine import latest_record_date


def scope_unit(request):
    """The unit asked for in ?unit=CODE within the user's scope, else their home unit (or None)."""
    code = request.GET.get("unit")
    return unit_for_user(request.user, code) if code else home_unit(request.user)


def report_date(request, unit):
    """?date=YYYY-MM-DD, else the newest record date under the unit, else today."""
    raw = request.GET.get("date")
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise Http404("Ngày không hợp lệ") from None
    return latest_record_date(unit) or date.today()


def no_scope(request):
    return render(request, "reports/no_scope.html", status=403)
