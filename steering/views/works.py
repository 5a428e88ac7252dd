from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import can_manage_district, manages_district, require, unit_for_user, visible_units
from communes.models import AdministrativeUnit
from reports.options import report_date, scope_unit
from steering.figures import works_by_child, works_summary
from steering.forms import WorkForm
from steering.models import Work
from steering.views.common import no_scope, standing


def work_list(request):
    """Works under the unit: disbursement rate, progress against schedule, late ones flagged."""
    unit = scope_unit(request)
    if unit is None:
        return no_scope(request)
    as_of = report_date(request, unit)
    scope = standing(unit, as_of)
    units = AdministrativeUnit.objects.within(unit).filter(pk__in=visible_units(request.user))
    context = {
        "unit": unit,
        "as_of": as_of,
        "standing": scope,
        "can_manage": can_manage_district(request.user, unit),
        "at_risk": scope.at_risk,
        "at_risk_children": scope.at_risk_children,
    }
    if scope.large:
        # Per unit one level down, of the units that exist on the report date (as the brief's).
        works = Work.objects.filter(unit__in=units.valid_on(as_of)).by_child(unit)
        total, rows = works_by_child(works, scope.children, as_of)
        context["summary"] = total
        context["children"] = [row for row in rows if row.unit.pk != unit.pk or row.count]
        return render(request, "steering/work_list.html", context)
    summary = works_summary(list(Work.objects.for_units(units)), as_of)
    context.update(summary=summary, chart=summary.chart_data())
    return render(request, "steering/work_list.html", context)


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
