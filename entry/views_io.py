"""Screens for spreadsheets: download templates, upload with a preview, confirm; export tables.

Views stay thin: the unit always comes from the user's scope (`accounts.access`), the work is done
by `records.imports`, `criteria.set_imports` and `reports.exports`.
"""

import io
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import (
    enrollable_units,
    home_unit,
    is_site_admin,
    manageable_steering_units,
    may_import_records,
    may_import_sets,
    may_import_units,
    unit_for_user,
    unit_import_scope,
    verifier_words,
    visible_units,
)
from communes import imports as unit_files
from communes.models import AdministrativeUnit, Level, kinds_at
from criteria.enrolments import enrol_under, enrolment_template
from criteria.models import CriteriaSet, Enrolment
from records.imports import imported_status, records_import
from records.models import RecordStatus
from records.services import criteria_set_import, enrolments_file_import
from reports import exports
from reports.engine import latest_record_date, summarise
from reports.narrative import set_paragraph
from reports.options import report_date, scope_unit
from shared.uploads import upload_keep, upload_take

PREVIEW_ROWS = 500  # changes listed on the preview page; the counts cover them all


def _download(data, filename, fmt):
    response = HttpResponse(data, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _format(fmt):
    if fmt not in exports.FORMATS:
        raise Http404("Định dạng không hỗ trợ")
    return fmt


@require_GET
def index(request):
    """What the user may do with spreadsheets here: templates, uploads, exports."""
    unit = home_unit(request.user)
    # A site administrator on a new server has no unit yet: this page is where units come from.
    if unit is None and not (is_site_admin(request.user) or may_import_units(request.user)):
        return render(request, "reports/no_scope.html", status=403)
    units = list(visible_units(request.user).exclude(valid_to__isnull=False).order_by("code"))
    # The user's own unit bounds every import, so it is offered (and chosen) even when it has
    # ended, as a 2021-2025 district has: otherwise "Nhập cho" defaults to the first commune and a
    # template of another unit fails on every row.
    import_units = [u for u in [unit, *(u for u in units if u != unit)] if u and u.level != Level.PROVINCE]
    enrolments = list(
        Enrolment.objects.filter(unit__in=[u.pk for u in units])
        .select_related("unit", "criteria_set")
        .order_by("unit__code", "criteria_set__code")
    )
    return render(
        request,
        "entry/io/index.html",
        {
            "unit": unit,
            "units": units,
            "import_units": import_units,
            "enrolments": enrolments,
            "sets": list(CriteriaSet.objects.order_by("level", "-period_start", "tier", "code")),
            "as_of": (latest_record_date(unit) if unit else None) or date.today(),
            "may_import_records": may_import_records(request.user),
            "may_import_sets": may_import_sets(request.user),
            "may_import_units": may_import_units(request.user),
        },
    )


@require_GET
def record_template(request):
    """The .xlsx for one unit, set and date, pre-filled with the values in force then."""
    # The page offers "unit|set" pairs (the unit's enrolments); links may give them separately.
    unit_code, _sep, set_code = request.GET.get("pair", "").partition("|")
    unit = unit_for_user(request.user, unit_code or request.GET.get("unit", ""))
    criteria_set = get_object_or_404(CriteriaSet, code=set_code or request.GET.get("set", ""))
    as_of = report_date(request, unit)
    data = exports.record_template(unit=unit, criteria_set=criteria_set, as_of=as_of)
    return _download(data, f"mau-ket-qua-{unit.code}-{criteria_set.code}-{as_of:%Y%m%d}", "xlsx")


def _named(data, name):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


@require_POST
def records_upload(request):
    """Check an uploaded record file without saving and show what it would change."""
    if not may_import_records(request.user):
        raise PermissionDenied
    unit = scope_unit(request, request.POST.get("unit"))
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "entry/io/records_result.html", {"unit": unit, "missing_file": True}, status=400)
    data = upload.read()
    result = records_import(file=_named(data, upload.name), user=request.user, unit=unit, dry_run=True)
    token = ""
    if result.ok and result.changes:
        token = upload_keep(
            user=request.user, purpose="records", filename=upload.name, data=data, extra={"unit": unit.code}
        )
    return render(
        request,
        "entry/io/records_result.html",
        {
            "unit": unit,
            "result": result,
            "token": token,
            "filename": upload.name,
            "shown_changes": result.changes[:PREVIEW_ROWS],
        },
        status=200 if result.ok else 400,
    )


@require_POST
def records_confirm(request):
    """Save the previewed file: checked again, then saved in one transaction or not at all."""
    kept = upload_take(token=request.POST.get("token", ""), user=request.user, purpose="records")
    if kept is None:
        return render(request, "entry/io/records_result.html", {"expired": True}, status=400)
    name, data, extra = kept
    unit = unit_for_user(request.user, extra["unit"])
    result = records_import(file=_named(data, name), user=request.user, unit=unit, dry_run=False)
    paragraphs = []
    # A commune's file waits for the district: show the figures as they will be once verified.
    awaiting = imported_status(request.user) != RecordStatus.VERIFIED
    if result.saved:
        as_of = latest_record_date(unit, include_submitted=awaiting) or date.today()
        paragraphs = [set_paragraph(s) for s in summarise(unit, as_of, include_submitted=awaiting).sets]
    return render(
        request,
        "entry/io/records_result.html",
        {
            "unit": unit,
            "result": result,
            "filename": name,
            "paragraphs": paragraphs,
            "awaiting": awaiting,
            "verifier": verifier_words(unit),
            "shown_changes": result.changes[:PREVIEW_ROWS],
        },
        status=200 if result.ok else 400,
    )


@require_GET
def set_template(request):
    """The criteria set workbook: empty, or filled with an existing set to edit and load back."""
    code = request.GET.get("set")
    criteria_set = get_object_or_404(CriteriaSet, code=code) if code else None
    return _download(exports.criteria_set_workbook(criteria_set), f"bo-tieu-chi-{code or 'mau'}", "xlsx")


@require_POST
def set_upload(request):
    if not may_import_sets(request.user):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "entry/io/set_result.html", {"missing_file": True}, status=400)
    data = upload.read()
    result = criteria_set_import(file=_named(data, upload.name), dry_run=True, user=request.user)
    token = upload_keep(user=request.user, purpose="set", filename=upload.name, data=data) if result.ok else ""
    return render(
        request,
        "entry/io/set_result.html",
        {"result": result, "token": token, "filename": upload.name},
        status=200 if result.ok else 400,
    )


@require_POST
def set_confirm(request):
    if not may_import_sets(request.user):
        raise PermissionDenied
    kept = upload_take(token=request.POST.get("token", ""), user=request.user, purpose="set")
    if kept is None:
        return render(request, "entry/io/set_result.html", {"expired": True}, status=400)
    name, data, _extra = kept
    result = criteria_set_import(file=_named(data, name), dry_run=False, user=request.user)
    return render(
        request, "entry/io/set_result.html", {"result": result, "filename": name}, status=200 if result.ok else 400
    )


@require_GET
def records_export(request, fmt):
    """Every record of the unit (within the user's scope) and the units under it."""
    unit = scope_unit(request)
    if unit is None:
        raise Http404
    units = visible_units(request.user).filter(pk__in=AdministrativeUnit.objects.within(unit).values("pk"))
    return _download(exports.records_export(units=units, fmt=_format(fmt)), f"ket-qua-{unit.code}", fmt)


@require_GET
def summary_export(request, fmt):
    """The report tables (per set, per unit) from the attainment engine, as of ?date=."""
    unit = scope_unit(request)
    if unit is None:
        raise Http404
    as_of = report_date(request, unit)
    table = "units" if request.GET.get("table") == "units" else "sets"
    data = exports.summary_export(unit=unit, as_of=as_of, fmt=_format(fmt), table=table)
    suffix = "-theo-don-vi" if fmt == "csv" and table == "units" else ""
    return _download(data, f"tong-hop-{unit.code}-{as_of:%Y%m%d}{suffix}", fmt)


def _enrolment_choices(user):
    parents = enrollable_units(user).filter(pk__in=manageable_steering_units(user).values("pk")).order_by("code")
    return list(parents), list(CriteriaSet.objects.order_by("level", "-period_start", "tier", "code"))


def enrolments(request):
    """Đăng ký thực hiện: every commune (or district) under a province or district in one set,
    with a target year; the first press shows what would change, the second (confirm) saves."""
    parents, sets = _enrolment_choices(request.user)
    if not parents:
        raise PermissionDenied
    context = {
        "parents": parents,
        "sets": sets,
        "years": range(date.today().year, date.today().year + 6),
        # A province of the two-tier system has no district to enrol: the page then speaks of communes only.
        "has_districts": any(u.level == Level.DISTRICT and u.is_valid_on(date.today()) for u in parents),
    }
    if request.method != "POST":
        return render(request, "entry/io/enrolments.html", context)
    parent = next((u for u in parents if u.code == request.POST.get("parent")), None)
    criteria_set = next((s for s in sets if s.code == request.POST.get("set")), None)
    year_text = request.POST.get("target_year", "")
    if parent is None or criteria_set is None or (year_text and not year_text.isdigit()):
        context["form_error"] = _("Chọn đơn vị, bộ tiêu chí và năm phấn đấu hợp lệ.")
        return render(request, "entry/io/enrolments.html", context, status=400)
    confirmed = request.POST.get("confirm") == "1"
    result = enrol_under(
        parent=parent,
        criteria_set=criteria_set,
        target_year=int(year_text) if year_text else None,
        allowed=enrollable_units(request.user),
        dry_run=not confirmed,
    )
    context.update(
        {"result": result, "parent": parent, "criteria_set": criteria_set, "target_year": year_text, "form": True}
    )
    return render(request, "entry/io/enrolments_result.html", context, status=200 if result.ok else 400)


@require_GET
def enrolments_template(request):
    """Mẫu tệp đăng ký thực hiện: the columns the upload below reads, with the units the user may
    enrol that exist today and every set, to copy codes from."""
    if not _enrolment_choices(request.user)[0]:
        raise PermissionDenied
    units = (
        enrollable_units(request.user)
        .filter(kind__in=[*kinds_at(Level.COMMUNE), *kinds_at(Level.DISTRICT)])
        .valid_on(date.today())
        .order_by("code")
    )
    sets = CriteriaSet.objects.order_by("level", "-period_start", "tier", "code")
    return _download(enrolment_template(units=list(units), criteria_sets=list(sets)), "mau-dang-ky-thuc-hien", "xlsx")


@require_POST
def enrolments_upload(request):
    """Check a file of enrolments without saving and show what it would change."""
    if not _enrolment_choices(request.user)[0]:
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "entry/io/enrolments_result.html", {"missing_file": True}, status=400)
    data = upload.read()
    result = enrolments_file_import(
        file=_named(data, upload.name), allowed=enrollable_units(request.user), dry_run=True
    )
    token = upload_keep(user=request.user, purpose="enrolments", filename=upload.name, data=data) if result.ok else ""
    return render(
        request,
        "entry/io/enrolments_result.html",
        {"result": result, "token": token, "filename": upload.name},
        status=200 if result.ok else 400,
    )


@require_POST
def enrolments_confirm(request):
    """Save the previewed file: checked again, then saved in one transaction or not at all."""
    kept = upload_take(token=request.POST.get("token", ""), user=request.user, purpose="enrolments")
    if kept is None:
        return render(request, "entry/io/enrolments_result.html", {"expired": True}, status=400)
    name, data, _extra = kept
    result = enrolments_file_import(file=_named(data, name), allowed=enrollable_units(request.user), dry_run=False)
    return render(
        request,
        "entry/io/enrolments_result.html",
        {"result": result, "filename": name},
        status=200 if result.ok else 400,
    )


# Units and their lineage (communes.imports): the user's scope bounds every row.
UNIT_FILES = {
    "units": (unit_files.unit_template, unit_files.units_import, "entry/io/units_result.html", "don-vi"),
    "lineage": (unit_files.lineage_template, unit_files.lineage_import, "entry/io/lineage_result.html", "ke-thua"),
}


def _unit_file_template(request, kind):
    if not may_import_units(request.user):
        raise PermissionDenied
    template, _importer, _page, filename = UNIT_FILES[kind]
    return _download(template(), f"mau-{filename}", "xlsx")


def _unit_file_upload(request, kind):
    """Check an uploaded unit or lineage file without saving and show what it would change."""
    if not may_import_units(request.user):
        raise PermissionDenied
    _template, importer, page, _filename = UNIT_FILES[kind]
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, page, {"missing_file": True}, status=400)
    data = upload.read()
    result = importer(file=_named(data, upload.name), within=unit_import_scope(request.user), dry_run=True)
    token = ""
    if result.ok and result.changes:
        token = upload_keep(user=request.user, purpose=kind, filename=upload.name, data=data)
    context = {"result": result, "token": token, "filename": upload.name}
    return render(request, page, context, status=200 if result.ok else 400)


def _unit_file_confirm(request, kind):
    """Save the previewed file: checked again, then saved in one transaction or not at all."""
    if not may_import_units(request.user):
        raise PermissionDenied
    _template, importer, page, _filename = UNIT_FILES[kind]
    kept = upload_take(token=request.POST.get("token", ""), user=request.user, purpose=kind)
    if kept is None:
        return render(request, page, {"expired": True}, status=400)
    name, data, _extra = kept
    result = importer(file=_named(data, name), within=unit_import_scope(request.user), dry_run=False)
    return render(request, page, {"result": result, "filename": name}, status=200 if result.ok else 400)


@require_GET
def units_template(request):
    """The unit file (Mã ĐVHC, Tên, Loại, ...) to fill in, with its value lists."""
    return _unit_file_template(request, "units")


@require_POST
def units_upload(request):
    return _unit_file_upload(request, "units")


@require_POST
def units_confirm(request):
    return _unit_file_confirm(request, "units")


@require_GET
def lineage_template(request):
    """The lineage file (old unit, new unit, whole or part, date, source) to fill in."""
    return _unit_file_template(request, "lineage")


@require_POST
def lineage_upload(request):
    return _unit_file_upload(request, "lineage")


@require_POST
def lineage_confirm(request):
    return _unit_file_confirm(request, "lineage")
