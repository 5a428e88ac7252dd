from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can_manage_district, require, unit_for_user
from communes.models import AdministrativeUnit, Level
from criteria.models import CriteriaSet, Enrolment
from reports.options import report_date, scope_unit
from steering.exports import dossier_workbook
from steering.forms import RecogniseForm, ReturnForm
from steering.models import Dossier, DossierCondition, DossierStatus
from steering.services import (
    condition_confirm,
    condition_withdraw,
    dossier_change_status,
    dossier_get_or_create,
    dossier_readiness,
    dossier_recognise,
)
from steering.views.common import no_scope, standing


def dossier_list(request):
    """Every unit pursuing a set under the user's unit: criteria met (engine) and dossier status;
    for a province or the nation, per unit one level down: units pursuing, meeting, recognised,
    and dossiers by status."""
    unit = scope_unit(request)
    if unit is None:
        return no_scope(request)
    as_of = report_date(request, unit)
    scope = standing(unit, as_of)
    context = {
        "unit": unit,
        "as_of": as_of,
        "standing": scope,
        "at_risk": scope.at_risk,
        "at_risk_children": scope.at_risk_children,
    }
    if scope.large:
        under = AdministrativeUnit.objects.within(unit).valid_on(as_of)
        counts = Dossier.objects.filter(unit__in=under).counts_by_child(unit)
        context["children"] = [
            (figures, _status_counts(counts.get((figures.unit.pk, s.criteria_set.pk), {})))
            for s in scope.figures.sets
            for figures in s.children
        ]
        return render(request, "steering/dossier_list.html", context)
    summary = scope.summary
    dossiers = {
        (d.unit_id, d.criteria_set_id): d
        for d in Dossier.objects.filter(unit__in=[r.unit.pk for s in summary.sets for r in s.units])
    }
    context["rows"] = [
        (result, dossiers.get((result.unit.pk, result.criteria_set.pk)))
        for set_summary in summary.sets
        for result in set_summary.units
    ]
    return render(request, "steering/dossier_list.html", context)


def _status_counts(by_status):
    """[(label, dossiers)] in the workflow's order, statuses without dossiers left out."""
    return [(label, by_status[value]) for value, label in DossierStatus.choices if by_status.get(value)]


def _dossier_context(request, code, set_code):
    unit = unit_for_user(request.user, code)
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    get_object_or_404(Enrolment, unit=unit, criteria_set=criteria_set)
    dossier = Dossier.objects.filter(unit=unit, criteria_set=criteria_set).select_related("recognition").first()
    as_of = report_date(request, unit)
    readiness = dossier_readiness(unit=unit, criteria_set=criteria_set, as_of=as_of, dossier=dossier)
    return {
        "unit": unit,
        "criteria_set": criteria_set,
        "dossier": dossier,
        "status": dossier.status if dossier else DossierStatus.NOT_READY,
        # str(): a lazy label cannot go into the XLSX summary (a unit without a dossier gave a 500).
        "status_label": dossier.get_status_display() if dossier else str(DossierStatus.NOT_READY.label),
        "as_of": as_of,
        "readiness": readiness,
    }


def dossier_detail(request, code, set_code):
    """Readiness view: criteria (engine), evidence, further conditions, and the dossier's status."""
    context = _dossier_context(request, code, set_code)
    unit = context["unit"]
    context.update(
        can_manage=can_manage_district(request.user, unit),
        return_form=ReturnForm(),
        recognise_form=RecogniseForm(
            initial={
                # Communes are recognised by the provincial People's Committee chairman, districts
                # by the Prime Minister (programme rules); staff correct it from the decision itself.
                "issuer": _("Thủ tướng Chính phủ") if unit.level == Level.DISTRICT else _("Chủ tịch UBND tỉnh"),
            }
        ),
        next_statuses=_next_statuses(context["status"]),
    )
    return render(request, "steering/dossier_detail.html", context)


def _next_statuses(status):
    from steering.services import TRANSITIONS

    return [(s.value, s.label) for s in TRANSITIONS[status] if s != DossierStatus.RETURNED]


def _managed_dossier(request, code, set_code):
    unit = unit_for_user(request.user, code)
    require(can_manage_district(request.user, unit))
    criteria_set = get_object_or_404(CriteriaSet, code=set_code)
    return dossier_get_or_create(unit=unit, criteria_set=criteria_set)


@require_POST
def dossier_status(request, code, set_code):
    try:
        dossier = _managed_dossier(request, code, set_code)
        status = request.POST.get("status", "")
        if status not in DossierStatus.values:
            raise ValidationError(_("Trạng thái không hợp lệ."))
        reason = ""
        if status == DossierStatus.RETURNED:
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Cần ghi lý do trả lại hồ sơ."))
            reason = form.cleaned_data["reason"]
        dossier_change_status(
            dossier=dossier, status=status, user=request.user, as_of=timezone.localdate(), reason=reason
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Đã cập nhật trạng thái hồ sơ."))
    return redirect("steering:dossier", code=code, set_code=set_code)


@require_POST
def dossier_condition(request, code, set_code, condition_pk):
    try:
        dossier = _managed_dossier(request, code, set_code)
        condition = get_object_or_404(DossierCondition, pk=condition_pk, criteria_set=dossier.criteria_set)
        if request.POST.get("action") == "withdraw":
            condition_withdraw(dossier=dossier, condition=condition)
        else:
            condition_confirm(
                dossier=dossier, condition=condition, user=request.user, note=request.POST.get("note", "")[:300]
            )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("steering:dossier", code=code, set_code=set_code)


@require_POST
def dossier_recognition(request, code, set_code):
    form = RecogniseForm(request.POST)
    try:
        dossier = _managed_dossier(request, code, set_code)
        if not form.is_valid():
            raise ValidationError(_("Cần đủ số quyết định, ngày quyết định và cơ quan ban hành."))
        dossier_recognise(dossier=dossier, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Đã ghi nhận quyết định công nhận."))
    return redirect("steering:dossier", code=code, set_code=set_code)


def dossier_xlsx(request, code, set_code):
    """The dossier summary as a spreadsheet."""
    context = _dossier_context(request, code, set_code)
    content = dossier_workbook(**context)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ho-so-{code}-{set_code}.xlsx"'
    return response
