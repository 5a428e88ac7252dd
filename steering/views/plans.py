from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can_manage_plans, require, unit_for_user, visible_units
from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Enrolment, Indicator
from reports.engine import standards_at_risk, unit_detail
from reports.options import report_date, scope_unit
from steering.forms import PlanItemForm
from steering.models import PlanItem
from steering.querysets import mark_indicator_met
from steering.services import plan_items_from_gaps
from steering.views.common import no_scope, standing


def _rows(items, as_of):
    """Plan items as list rows: whether the engine now finds their indicator met, and overdue."""
    items = mark_indicator_met(items.with_related(), as_of)
    for item in items:
        item.overdue = item.is_overdue(as_of)
    return items


def plan_list(request):
    """Every plan item under the unit, grouped by office or by commune, overdue ones marked."""
    unit = scope_unit(request)
    if unit is None:
        return no_scope(request)
    as_of = report_date(request, unit)
    scope = standing(unit, as_of)
    units = AdministrativeUnit.objects.within(unit).filter(pk__in=visible_units(request.user))
    if scope.large:
        return _plan_children(request, scope, units)
    group = "office" if request.GET.get("group") == "office" else "commune"
    items = _rows(PlanItem.objects.for_units(units), as_of)
    if group == "office":

        def key(i):
            return str(i.office) if i.office else _("Chưa giao cơ quan phụ trách")
    else:

        def key(i):
            return i.unit.display_name

    groups = [(label, list(rows)) for label, rows in groupby(sorted(items, key=key), key=key)]
    due_date, due_items = PlanItem.objects.for_units(units).due_for_meeting(request.GET.get("due"), as_of)
    return render(
        request,
        "steering/plan_list.html",
        {
            "unit": unit,
            "as_of": as_of,
            "group": group,
            "groups": groups,
            "overdue_count": sum(i.overdue for i in items),
            "open_count": sum(i.is_open for i in items),
            "at_risk": scope.at_risk,
            "due_date": due_date,
            "due_items": list(due_items),
        },
    )


def _plan_children(request, scope, units):
    """A province's or the nation's plan list: the items counted per unit one level down, of the
    units that exist on the report date (as the brief's), so the rows add up to the totals."""
    due_date = PlanItem.objects.due_for_meeting(request.GET.get("due"), scope.as_of)[0]
    counts = PlanItem.objects.for_units(units.valid_on(scope.as_of)).counts_by_child(scope.unit, scope.as_of, due_date)
    empty = dict.fromkeys(("total", "open", "overdue", "due", "done"), 0)
    rows = [
        (child, counts.get(pk, empty))
        for pk, child in scope.children.items()
        if pk != scope.unit.pk or pk in counts  # the unit's own items, where it has any
    ]
    return render(
        request,
        "steering/plan_list.html",
        {
            "unit": scope.unit,
            "as_of": scope.as_of,
            "standing": scope,
            "children": rows,
            "open_count": sum(c["open"] for _, c in rows),
            "overdue_count": sum(c["overdue"] for _, c in rows),
            "due_count": sum(c["due"] for _, c in rows),
            "due_date": due_date,
            "at_risk_children": scope.at_risk_children,
        },
    )


def commune_plan(request, code):
    """One unit's gaps on every set it pursues (from the engine), with the plan item for each."""
    unit = unit_for_user(request.user, code)
    as_of = report_date(request, unit)
    enrolments = list(Enrolment.objects.filter(unit=unit).select_related("criteria_set"))
    enrolments.sort(key=lambda e: e.criteria_set.report_order)
    items = _rows(PlanItem.objects.for_units([unit]), as_of)
    by_indicator = {}
    for item in items:
        by_indicator.setdefault(item.indicator_id, []).append(item)
    sections = []
    for enrolment in enrolments:
        detail = unit_detail(unit, enrolment.criteria_set, as_of)
        gap_ids = {s.indicator.pk for s in detail.unmet}
        sections.append(
            {
                "detail": detail,
                "gaps": [(s, by_indicator.get(s.indicator.pk, [])) for s in detail.unmet],
                "uncovered": sum(
                    1 for s in detail.unmet if not any(i.is_open for i in by_indicator.get(s.indicator.pk, []))
                ),
                # Items whose indicator the engine now finds met: they say so.
                "resolved": [
                    i for i in items if i.criteria_set_id == enrolment.criteria_set_id and i.indicator_id not in gap_ids
                ],
            }
        )
    return render(
        request,
        "steering/commune_plan.html",
        {
            "unit": unit,
            "as_of": as_of,
            "sections": sections,
            "can_manage": can_manage_plans(request.user, unit),
            "at_risk": standards_at_risk(unit, as_of),
        },
    )


@require_POST
def plan_generate(request, code, set_code):
    """One click: a draft item for every current gap of the unit on the set."""
    unit = unit_for_user(request.user, code)
    require(can_manage_plans(request.user, unit))
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    try:
        created = plan_items_from_gaps(
            unit=unit, criteria_set=criteria_set, as_of=report_date(request, unit), user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(request, _("Đã tạo %(n)s nhiệm vụ dự thảo.") % {"n": len(created)})
        else:
            messages.info(request, _("Mọi chỉ tiêu chưa đạt đều đã có nhiệm vụ đang mở; không tạo thêm."))
    return redirect("steering:commune_plan", code=unit.code)


def plan_item_new(request, code, set_code, indicator_code):
    """A new plan item for one indicator of the unit."""
    unit = unit_for_user(request.user, code)
    require(can_manage_plans(request.user, unit))
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    get_object_or_404(Enrolment, unit=unit, criteria_set=criteria_set)
    indicator = get_object_or_404(
        Indicator.objects.select_related("criterion"), criterion__criteria_set=criteria_set, code=indicator_code
    )
    item = PlanItem(unit=unit, criteria_set=criteria_set, indicator=indicator, created_by=request.user)
    return _edit(request, item)


def plan_item_edit(request, pk):
    item = get_object_or_404(PlanItem.objects.with_related(), pk=pk)
    unit = unit_for_user(request.user, item.unit.code)  # 404 outside the user's scope
    if request.method == "POST":
        require(can_manage_plans(request.user, unit))
    return _edit(request, item, read_only=not can_manage_plans(request.user, unit))


def _edit(request, item, read_only=False):
    form = PlanItemForm(request.POST or None, instance=item, unit=item.unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu nhiệm vụ."))
        return redirect("steering:commune_plan", code=item.unit.code)
    if read_only:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "steering/plan_item_form.html", {"form": form, "item": item, "read_only": read_only})
