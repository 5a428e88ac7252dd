"""Screens for the record workflow: entry by communes, the district's verification queue, a
record's page with its history, evidence downloads, reporting rounds and their completeness.

Every view decides scope through accounts.access from the user's profile, never from the request:
a unit the user may not read is a 404, a unit they may read but not change is a 403.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    can_edit,
    can_manage_rounds,
    can_verify,
    editable_unit_for_user,
    home_unit,
    unit_for_user,
    verifiable_units,
    verifier_words,
    visible_units,
)
from criteria.models import (
    CriteriaSet,
    Criterion,
    Enrolment,
    Indicator,
    applicable_threshold,
    needs_commune_group,
    prefetch_items,
)
from entry.forms import IndicatorEntryForm, ReturnForm, RoundForm, entry_initial
from entry.marks import criterion_marks, mark
from records.completeness import round_completeness
from records.models import AchievementRecord, Evidence, ReportingRound
from records.services import (
    StaleEdit,
    entry_save,
    needs_second_person,
    record_return,
    records_verify,
    round_close,
    round_reopen,
)
from reports.engine import indicator_statuses, summarise


def record_value_text(record):
    """'Đạt', 'Không đạt' or a number in Vietnamese format."""
    if record is None:
        return _("chưa nhập")
    return record.value_display


def entry_units(request):
    """Units the user may open for entry: enrolled units within their scope, with their sets."""
    enrolments = list(
        Enrolment.objects.filter(unit__in=visible_units(request.user))
        .select_related("unit", "criteria_set")
        .order_by("unit__code", "criteria_set__level", "criteria_set__tier")
    )
    units = {}
    for enrolment in enrolments:
        units.setdefault(enrolment.unit, []).append(enrolment.criteria_set)
    return render(request, "entry/entry_units.html", {"units": list(units.items())})


def entry_unit(request, unit_code):
    """A unit's criteria for its enrolled sets, the round entries go to, and where the unit stands
    on the round's date: verified records only, or with submitted ones (?include_submitted=1)."""
    unit = unit_for_user(request.user, unit_code)
    sets = list(
        CriteriaSet.objects.filter(enrolments__unit=unit).prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("number"))
        )
    )
    reporting_round = ReportingRound.objects.current_for(unit)
    include_submitted = request.GET.get("include_submitted") == "1"
    standing, in_review = {}, []
    if reporting_round is not None:
        for set_summary in summarise(unit, reporting_round.as_of, include_submitted=include_submitted).sets:
            for result in set_summary.units:
                if result.unit.pk == unit.pk:
                    standing[set_summary.criteria_set.pk] = result
        in_review = list(
            AchievementRecord.objects.in_review(unit, reporting_round.as_of).values_list(
                "indicator__criterion_id", "status"
            )
        )
    return render(
        request,
        "entry/entry_unit.html",
        {
            "unit": unit,
            "sets": [
                (s, standing.get(s.pk), criterion_marks(s.criteria.all(), standing.get(s.pk), in_review)) for s in sets
            ],
            "round": reporting_round,
            "can_edit": can_edit(request.user, unit),
            "include_submitted": include_submitted,
            "verifier": verifier_words(unit),
        },
    )


def _round_for(request, unit):
    raw = request.POST.get("round") or request.GET.get("round")
    # With its organiser: a closed round's page says whose committee reopens it.
    rounds = ReportingRound.objects.for_unit(unit).select_related("unit")
    if raw:
        try:
            return rounds.get(pk=int(raw))
        except (ValueError, ReportingRound.DoesNotExist):
            raise Http404(_("Không tìm thấy đợt báo cáo")) from None
    reporting_round = rounds.open().order_by("-as_of").first() or rounds.order_by("-as_of").first()
    if reporting_round is None:
        raise Http404(_("Chưa có đợt báo cáo nào cho đơn vị này"))
    return reporting_round


def entry_form(request, unit_code, set_code, number):
    """Nhập kết quả: every indicator of one criterion for one unit and round on one page."""
    if request.method == "POST":
        unit = editable_unit_for_user(request.user, unit_code)
    else:
        unit = unit_for_user(request.user, unit_code)
    criterion = get_object_or_404(
        Criterion.objects.select_related("criteria_set"),
        criteria_set__code=set_code,
        criteria_set__enrolments__unit=unit,
        number=number,
    )
    reporting_round = _round_for(request, unit)
    indicators = prefetch_items(list(criterion.indicators.order_by("order", "code").prefetch_related("thresholds")))
    records = list(
        AchievementRecord.objects.filter(unit=unit, indicator__in=indicators, as_of=reporting_round.as_of)
        .select_related("recorded_by", "verified_by")
        .prefetch_related("evidence")
    )
    pending = {r.indicator_id: r for r in records if r.is_pending}
    verified = {r.indicator_id: r for r in records if not r.is_pending}
    may_edit = can_edit(request.user, unit)
    editable = may_edit and reporting_round.is_open

    def build(data=None, files=None):
        return [
            IndicatorEntryForm(
                data,
                files,
                prefix=f"i{indicator.pk}",
                indicator=indicator,
                unit=unit,
                initial=entry_initial(pending.get(indicator.pk), verified.get(indicator.pk)),
            )
            for indicator in indicators
        ]

    stale = None
    if request.method == "POST":
        if not reporting_round.is_open:
            messages.error(request, _("Đợt báo cáo đã đóng; không sửa được số liệu."))
            return redirect(request.get_full_path())
        forms = build(request.POST, request.FILES)
        if all(f.is_valid() for f in forms):
            try:
                written = entry_save(
                    unit=unit,
                    reporting_round=reporting_round,
                    entries=[f.entry() for f in forms],
                    submit=request.POST.get("action") == "submit",
                    user=request.user,
                )
            except StaleEdit as error:
                stale = error
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if request.POST.get("action") == "submit":
                    messages.success(
                        request,
                        _("Đã gửi %(n)d chỉ tiêu để %(verifier)s duyệt.")
                        % {"n": len(written), "verifier": verifier_words(unit).level},
                    )
                else:
                    messages.success(request, _("Đã lưu nháp %(n)d chỉ tiêu.") % {"n": len(written)})
                return redirect(request.get_full_path())
        if stale is not None:
            messages.error(request, _stale_message(stale))
            return redirect(request.get_full_path())
    else:
        forms = build()

    grouped = any(needs_commune_group(i.thresholds.all()) for i in indicators)
    commune_group = Enrolment.objects.commune_group_of(unit, criterion.criteria_set_id) if grouped else None
    statuses = indicator_statuses(unit, indicators, reporting_round.as_of, commune_group=commune_group)
    rows = [
        {
            "form": form,
            "indicator": form.indicator,
            "threshold": applicable_threshold(form.indicator.thresholds.all(), unit, commune_group),
            "pending": pending.get(form.indicator.pk),
            "verified": verified.get(form.indicator.pk),
            "mark": mark(
                statuses[form.indicator.pk].status,
                [pending[form.indicator.pk].status] if form.indicator.pk in pending else (),
            ),
        }
        for form in forms
    ]
    return render(
        request,
        "entry/entry_form.html",
        {
            "unit": unit,
            "criterion": criterion,
            "round": reporting_round,
            "rows": rows,
            "editable": editable,
            "can_edit": may_edit,
            "verifier": verifier_words(unit),
            "reopener": verifier_words(reporting_round.unit),
        },
    )


def _stale_message(stale):
    """Who changed the line since the page was opened and what it holds now (the page reloads it)."""
    current = stale.current
    if current is None:
        return _(
            "Kết quả chỉ tiêu %(code)s vừa bị xoá. Số liệu của bạn chưa được lưu; trang đã tải lại giá trị mới nhất."
        ) % {"code": stale.indicator.code}
    return _(
        "Chỉ tiêu %(code)s vừa được %(user)s cập nhật; giá trị hiện tại là “%(value)s” (%(status)s). "
        "Số liệu của bạn chưa được lưu; trang đã tải lại giá trị mới nhất."
    ) % {
        "code": stale.indicator.code,
        "user": current.recorded_by or "—",
        "value": record_value_text(current),
        "status": current.get_status_display(),
    }


def record_detail(request, unit_code, indicator_id, as_of):
    """One unit's indicator on one date: the verified and pending records, evidence and history."""
    unit = unit_for_user(request.user, unit_code)
    try:
        day = parse_date(as_of)  # None when malformed; ValueError for a date like 2022-02-30
    except ValueError:
        day = None
    if day is None:
        raise Http404(_("Ngày không hợp lệ"))
    indicator = get_object_or_404(Indicator.objects.select_related("criterion__criteria_set"), pk=indicator_id)
    records = list(
        AchievementRecord.objects.filter(unit=unit, indicator=indicator, as_of=day)
        .select_related("reporting_round", "recorded_by", "verified_by")
        .prefetch_related("evidence")
    )
    history = list(
        AchievementRecord.history.filter(unit=unit, indicator=indicator, as_of=day)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if not records and not history:
        raise Http404(_("Chưa có kết quả"))
    pending = next((r for r in records if r.is_pending), None)
    verified = next((r for r in records if not r.is_pending), None)
    return render(
        request,
        "entry/record_detail.html",
        {
            "unit": unit,
            "indicator": indicator,
            "as_of": day,
            "pending": pending,
            "verified": verified,
            "history": history,
            "can_verify": pending is not None and pending.status == "submitted" and can_verify(request.user, unit),
            "return_form": ReturnForm(initial={"version": pending.version}) if pending else None,
        },
    )


def _record_in_scope(request, pk, check):
    record = get_object_or_404(
        AchievementRecord.objects.select_related("unit", "indicator__criterion", "reporting_round"),
        pk=pk,
        unit__in=visible_units(request.user),
    )
    if not check(request.user, record.unit):
        raise PermissionDenied
    return record


def _record_url(record):
    return reverse("entry:record", args=[record.unit.code, record.indicator_id, record.as_of.isoformat()])


@require_POST
def record_return_view(request, pk):
    """District staff return a submitted record to the commune with a reason."""
    record = _record_in_scope(request, pk, can_verify)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do trả lại để xã biết cần sửa gì."))
        return redirect(_record_url(record))
    try:
        record_return(
            record=record,
            user=request.user,
            reason=form.cleaned_data["reason"],
            seen_version=form.cleaned_data["version"],
        )
    except StaleEdit as error:
        messages.error(
            request,
            _("Kết quả vừa được cập nhật (hiện là “%(value)s”, %(status)s); hãy xem lại trước khi trả lại.")
            % {"value": record_value_text(error.current), "status": error.current.get_status_display()},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã trả lại kết quả cho xã."))
    return redirect(_record_url(record))


def verification_queue(request):
    """Hàng chờ duyệt: submitted records of the user's district, with bulk verify."""
    units = verifiable_units(request.user)
    if not can_manage_rounds(request.user):
        raise PermissionDenied
    if request.method == "POST":
        # A number longer than any primary key is no record (and would overflow the database).
        ids = [int(pk) for pk in request.POST.getlist("record") if pk.isdigit() and len(pk) <= 18]
        records = list(AchievementRecord.objects.filter(pk__in=ids, unit__in=units))
        if not records:
            messages.warning(request, _("Chưa chọn kết quả nào để duyệt."))
        else:
            try:
                verified = records_verify(records=records, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Đã duyệt %(n)d kết quả.") % {"n": len(verified)})
        return redirect("entry:queue")
    records = list(AchievementRecord.objects.awaiting_verification(units).with_previous().prefetch_related("evidence"))
    rows = [{"record": r, "previous": _previous(r), "own": needs_second_person(r, request.user)} for r in records]
    return render(request, "entry/queue.html", {"rows": rows, "own_count": sum(row["own"] for row in rows)})


@dataclass(frozen=True)
class PreviousValue:
    """The value in force before a queued record (what `record_value` shows), as `with_previous` read it."""

    as_of: date
    value_bool: bool | None
    value_number: Decimal | None


def _previous(record):
    if record.previous_pk is None:
        return None
    return PreviousValue(record.previous_as_of, record.previous_value_bool, record.previous_value_number)


def evidence_download(request, pk):
    """Serve an evidence file to a user who may read the record's unit; 404 to anyone else."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("record"), pk=pk, record__unit__in=visible_units(request.user)
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def round_list(request):
    """Reporting rounds of the user's units, and a form for district staff to open a new one."""
    unit = home_unit(request.user)
    if unit is None:
        raise PermissionDenied
    rounds = list(ReportingRound.objects.visible_to(visible_units(request.user)).select_related("unit", "closed_by"))
    manage = can_manage_rounds(request.user) and can_verify(request.user, unit)
    form = RoundForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            reporting_round = form.save(commit=False)
            reporting_round.unit = unit
            if ReportingRound.objects.filter(unit=unit, as_of=reporting_round.as_of).exists():
                form.add_error("as_of", _("Đã có đợt báo cáo tính đến ngày này."))
            else:
                reporting_round._history_user = request.user
                reporting_round.save()
                messages.success(request, _("Đã mở đợt báo cáo “%(name)s”.") % {"name": reporting_round.name})
                return redirect("entry:rounds")
    return render(request, "entry/rounds.html", {"rounds": rounds, "form": form, "unit": unit, "manage": manage})


@require_POST
def round_toggle(request, pk):
    """Close or reopen a round (district staff of the organising unit)."""
    reporting_round = get_object_or_404(ReportingRound.objects.visible_to(visible_units(request.user)), pk=pk)
    if not can_verify(request.user, reporting_round.unit):
        raise PermissionDenied
    if reporting_round.is_open:
        round_close(reporting_round=reporting_round, user=request.user)
        messages.success(request, _("Đã đóng đợt báo cáo; số liệu của đợt chỉ còn xem được."))
    else:
        round_reopen(reporting_round=reporting_round, user=request.user)
        messages.success(request, _("Đã mở lại đợt báo cáo."))
    return redirect("entry:rounds")


def round_completeness_view(request, pk):
    """Tiến độ báo cáo: which communes have not reported which indicators in the round."""
    reporting_round = get_object_or_404(
        ReportingRound.objects.visible_to(visible_units(request.user)).select_related("unit"), pk=pk
    )
    rows = round_completeness(reporting_round, visible_units(request.user))
    return render(request, "entry/completeness.html", {"round": reporting_round, "rows": rows})
