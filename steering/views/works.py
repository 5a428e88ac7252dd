from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import can_manage_district, manages_district, require, unit_for_user, visible_units
from communes.models import AdministrativeUnit
from reports.engine import standards_at_risk
from reports.options import report_date, scope_unit
from steering.figures import works_summary
from steering.forms import WorkForm
from steering.models import Work
from steering.views.common import no_scope


def work_list(request):
    """Works under the unit: disbursement rate, progress against schedule, late ones flagged."""
    unit = scope_unit(request)
    if unit is None:
        return no_scope(request)
    as_of = report_date(request, unit)
    units = AdministrativeUnit.objects.within(unit).filter(pk__in=visible_units(request.user))
    summary = works_summary(list(Work.objects.for_units(units)), as_of)
    return render(
        request,
        "steering/work_list.html",
        {
            "unit": unit,
            "as_of": as_of,
            "summary": summary,
            "chart": summary.chart_data(),
            "can_manage": can_manage_district(request.user, unit),
            "at_risk": standards_at_risk(unit, as_of),
        },
    )


def work_new(request):
    require(manages_district(request.user))
    return _edit(request, Work())


def work_edit(request, pk):
    work = get_object_or_404(Work.objects.select_related("unit"), pk=pk)
    unit = unit_for_user(request.user, work.unit.code)
    require(can_manage_district(request.user, unit))
    return _edit(request, work)


def _edit(request, work):
    form = WorkForm(request.POST or None, instance=work, units=visible_units(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu công trình."))
        return redirect("steering:works")
    return render(request, "steering/work_form.html", {"form": form, "work": work})
