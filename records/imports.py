"""Importing achievement records from a spreadsheet: validate every row, preview, then save all or nothing.

`records_import` reads a file laid out like the record template (`reports.exports`), checks every
row against the user's scope and the criteria sets, and returns a preview of what would change and
every error in Vietnamese. Only a file without errors is saved, in one transaction, through
`records_bulk_save`. The number of queries does not depend on the number of rows.
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import access
from accounts.access import editable_units, is_district_staff, is_site_admin
from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Enrolment, Indicator, IndicatorKind, Threshold, prefetch_items
from records.models import AchievementRecord, RecordStatus, ReportingRound
from records.services import ImportedRow, record_evaluate, records_import_write
from shared.spreadsheets import SpreadsheetError, read_sheets
from shared.tabular import (
    CellError,
    ErrorList,
    RowError,
    free_text,
    is_blank,
    parse_code,
    parse_date,
    parse_decimal,
    parse_yes_no,
    read_table,
    text,
)

RECORD_SHEET = "Kết quả"
COL_UNIT = "Mã đơn vị"
COL_UNIT_NAME = "Đơn vị"
COL_SET = "Mã bộ tiêu chí"
COL_INDICATOR = "Mã chỉ tiêu"
COL_INDICATOR_NAME = "Tên chỉ tiêu"
COL_TARGET = "Mức đạt"
COL_AS_OF = "Tính đến ngày"
COL_VALUE = "Giá trị"
COL_NOTE = "Ghi chú"
RECORD_HEADERS = [
    COL_UNIT,
    COL_UNIT_NAME,
    COL_SET,
    COL_INDICATOR,
    COL_INDICATOR_NAME,
    COL_TARGET,
    COL_AS_OF,
    COL_VALUE,
    COL_NOTE,
]
RECORD_REQUIRED = [COL_UNIT, COL_SET, COL_INDICATOR, COL_AS_OF, COL_VALUE]
# The record export adds the workflow columns, so an export loads back with its statuses; the
# template leaves them out (a row without a status gets the importing user's, see imported_status).
COL_STATUS = "Trạng thái"
COL_RETURN_REASON = "Lý do trả lại"
COL_VERIFIER = "Người duyệt"  # for information: the importing user is recorded as verifier
WORKFLOW_HEADERS = [COL_STATUS, COL_RETURN_REASON, COL_VERIFIER]
EXPORT_HEADERS = RECORD_HEADERS + WORKFLOW_HEADERS
YES, NO = "Đạt", "Không đạt"
# The words the record template offers in its value list for a yes/no indicator: what the import
# writes back (`value_text`) and reads (`parse_yes_no`), in that order.
YES_NO_WORDS = (YES, NO)

PROGRESS_EVERY = 1000


def value_text(value_bool, value_number, value_items=""):
    """How a record's value is written in a spreadsheet cell and the preview: Đạt / Không đạt, a
    number, or an any-of indicator's met items ("a; c", and 0 for none)."""
    if value_bool is not None:
        return YES if value_bool else NO
    if value_items:
        return value_items
    if value_number is None:
        return ""
    return Decimal(value_number).normalize()


@dataclass(frozen=True)
class RecordChange:
    """One row that will create or change a record."""

    row: int
    unit: AdministrativeUnit
    indicator: Indicator
    as_of: object
    old: object  # the value in force on that date before the import, or None
    new: object
    is_met: bool
    created: bool


@dataclass
class RecordImportResult:
    """The preview (or outcome) of a record import."""

    rows_read: int = 0
    changes: list[RecordChange] = field(default_factory=list)
    unchanged: int = 0
    blank: int = 0
    errors: list[RowError] = field(default_factory=ErrorList)
    saved: bool = False

    @property
    def ok(self):
        return not self.errors

    @property
    def created_count(self):
        return sum(c.created for c in self.changes)

    @property
    def updated_count(self):
        return len(self.changes) - self.created_count

    @property
    def units(self):
        """The units whose figures the import changes, by code."""
        return sorted({c.unit.code for c in self.changes})


def _allowed_units(user, unit, codes):
    """{code: unit} of the units among `codes` whose records `user` may import, within `unit` (one
    query; only the file's units are read, not every unit in scope)."""
    if not access.may_import_records(user):
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem, không được nhập số liệu."))
    units = AdministrativeUnit.objects.all() if unit is None else AdministrativeUnit.objects.within(unit)
    units = units.filter(code__in=codes)
    if user is not None:
        units = units.filter(pk__in=editable_units(user).values("pk"))
    return {u.code: u for u in units.select_related("parent")}


def imported_status(user):
    """District staff, administrators and the command line write verified records, as they would
    by hand; a commune officer's file is submitted and counts once the district verifies it."""
    if user is None or is_site_admin(user) or is_district_staff(user):
        return RecordStatus.VERIFIED
    return RecordStatus.SUBMITTED


@functools.cache
def _status_labels():
    """{status: its Vietnamese label}, read once."""
    with translation.override("vi"):
        return {status: str(label) for status, label in RecordStatus.choices}


def status_text(status):
    """How a record's status is written in the export: its Vietnamese label, whatever the language."""
    return _status_labels()[status]


def _read_status(raw, default, may_verify):
    """The status a row asks for: its Trạng thái cell (label or code), else `default`."""
    if is_blank(raw):
        return default
    wanted = text(raw).lower()
    status = next((s for s, label in _status_labels().items() if wanted in (s, label.lower())), None)
    if status is None:
        choices = ", ".join(f"“{label}”" for label in _status_labels().values())
        raise CellError(
            _("Trạng thái “%(value)s” không hợp lệ: ghi một trong %(choices)s.")
            % {"value": text(raw), "choices": choices}
        )
    if not may_verify and status not in (RecordStatus.DRAFT, RecordStatus.SUBMITTED):
        raise CellError(_("Tài khoản của bạn chỉ lưu nháp hoặc gửi duyệt được."))
    return status


def _read_value(indicator, raw):
    """(value_bool, value_number, value_items) of a value cell, as the indicator's kind reads it."""
    if indicator.kind == IndicatorKind.BOOLEAN:
        return parse_yes_no(raw), None, ""
    if indicator.kind == IndicatorKind.ANY_OF:
        try:
            codes, count = indicator.any_of_value(raw)
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None
        return None, Decimal(count), codes
    if isinstance(raw, str) and text(raw).lower() in {"đạt", "không đạt"}:
        raise CellError(
            _("Chỉ tiêu %(code)s cần một giá trị số, không phải “%(value)s”.")
            % {"code": indicator.code, "value": text(raw)}
        )
    return None, parse_decimal(raw), ""


class _Catalogue:
    """Everything the rows refer to, fetched once: sets, indicators, thresholds, existing records."""

    def __init__(self, table, units, unit_codes):
        set_codes = {_code_or_blank(cells[COL_SET]) for _, cells in table}
        self.sets = {s.code: s for s in CriteriaSet.objects.filter(code__in=set_codes)}
        indicators = list(
            Indicator.objects.filter(criterion__criteria_set__in=self.sets.values()).select_related("criterion")
        )
        prefetch_items(indicators)
        self.indicators = {(i.criterion.criteria_set_id, i.code): i for i in indicators}
        self.codes = {}  # set id -> its indicator codes, to read a code cell Excel stored as a number
        for indicator in indicators:
            self.codes.setdefault(indicator.criterion.criteria_set_id, []).append(indicator.code)
        # (unit id, set id) -> the unit's commune group in the set's period (None: the unit's own).
        self.enrolled = Enrolment.objects.filter(
            criteria_set__in=self.sets.values(), unit__code__in=unit_codes
        ).commune_groups()
        self.thresholds = {}
        numeric = [i.pk for i in indicators if i.kind == IndicatorKind.NUMERIC]
        for threshold in Threshold.objects.filter(indicator__in=numeric):
            self.thresholds.setdefault(threshold.indicator_id, []).append(threshold)
        self.units = units
        self.scope = None  # the unit the import is bounded to (None: the whole database)
        self.outside_scope = set()  # codes in the file the user may import, but not under `scope`
        self.existing = {}  # (unit_id, indicator_id) -> [verified record], oldest first
        self.verified = {}  # (unit_id, indicator_id, as_of) -> the verified record of that date
        self.pending = {}  # (unit_id, indicator_id, as_of) -> the draft, submitted or returned record
        self.rounds = {}  # as_of -> reporting rounds of that date over these units

    def load_existing(self, unit_ids, indicator_ids, latest_day):
        if not unit_ids or latest_day is None:
            return
        records = (
            AchievementRecord.objects.filter(unit__in=unit_ids, indicator__in=indicator_ids, as_of__lte=latest_day)
            .only(
                "id",
                "unit_id",
                "indicator_id",
                "as_of",
                "value_bool",
                "value_number",
                "value_items",
                "is_met",
                "note",
                "status",
                "return_reason",
                "version",
                "reporting_round_id",
            )
            .order_by("as_of", "pk")
        )
        for record in records.iterator(chunk_size=5000):
            if record.status == RecordStatus.VERIFIED:
                self.existing.setdefault((record.unit_id, record.indicator_id), []).append(record)
                self.verified[(record.unit_id, record.indicator_id, record.as_of)] = record
            else:
                self.pending[(record.unit_id, record.indicator_id, record.as_of)] = record
        units = AdministrativeUnit.objects.filter(pk__in=unit_ids)
        for reporting_round in ReportingRound.objects.visible_to(units).select_related("unit"):
            self.rounds.setdefault(reporting_round.as_of, []).append(reporting_round)

    def in_force(self, unit, indicator, day):
        """The verified record in force on `day` before the import, or None."""
        found = None
        for record in self.existing.get((unit.pk, indicator.pk), ()):
            if record.as_of > day:
                break
            found = record
        return found

    def round_for(self, unit, day):
        """The reporting round of `day` that covers `unit` (its organiser is the unit or above it)."""
        ancestors = {unit.pk, unit.parent_id, unit.parent.parent_id if unit.parent_id else None}
        return next((r for r in self.rounds.get(day, ()) if r.unit_id in ancestors), None)


def _code_or_blank(value):
    try:
        return parse_code(value)
    except CellError:
        return ""


class _Row(NamedTuple):
    """One checked row of a record file."""

    unit: AdministrativeUnit
    indicator: Indicator
    as_of: object
    value_bool: bool | None
    value_number: Decimal | None
    value_items: str
    note: str
    is_met: bool
    status: str
    return_reason: str
    verifier: str  # as the file names it: kept in the audit trail, never trusted as the verifier


def _check_row(number, cells, catalogue, seen, errors, default_status, may_verify):
    """The checked `_Row`, or None with its errors added to `errors`."""
    before = len(errors)

    def fail(column, message):
        errors.append(RowError(number, column, message))

    def code_in(column, known=None):
        try:
            return parse_code(cells[column], known=known)
        except CellError as error:
            fail(column, str(error))
            return None

    unit_code, set_code = code_in(COL_UNIT), code_in(COL_SET)
    unit = catalogue.units.get(unit_code)
    if unit_code == "":
        fail(COL_UNIT, _("Chưa ghi mã đơn vị."))
    elif unit_code is not None and unit is None and unit_code in catalogue.outside_scope:
        # The page's "Nhập cho" bounds the file: say so, it is the usual cause.
        fail(
            COL_UNIT,
            _("Đơn vị “%(code)s” không có hoặc không thuộc %(scope)s, đơn vị đã chọn ở ô “Nhập cho”.")
            % {"code": unit_code, "scope": catalogue.scope.display_name},
        )
    elif unit_code is not None and unit is None:
        fail(
            COL_UNIT,
            _("Đơn vị “%(code)s” không có hoặc không thuộc phạm vi bạn được nhập số liệu.") % {"code": unit_code},
        )
    criteria_set = catalogue.sets.get(set_code)
    if set_code is not None and criteria_set is None:
        fail(COL_SET, _("Không có bộ tiêu chí mã “%(code)s”.") % {"code": set_code})
    if unit is not None and criteria_set is not None and (unit.pk, criteria_set.pk) not in catalogue.enrolled:
        fail(
            COL_SET,
            _(
                "Đơn vị “%(unit)s” chưa đăng ký thực hiện bộ tiêu chí “%(set)s”, nên dòng này không được lưu. Đăng ký "
                "đơn vị vào bộ tiêu chí trước, hoặc bỏ dòng này."
            )
            % {"unit": unit_code, "set": set_code},
        )
    indicator = None
    if criteria_set is not None:
        code = code_in(COL_INDICATOR, known=catalogue.codes.get(criteria_set.pk, []))
        indicator = catalogue.indicators.get((criteria_set.pk, code))
        if code is not None and indicator is None:
            fail(
                COL_INDICATOR,
                _("Bộ tiêu chí “%(set)s” không có chỉ tiêu mã “%(code)s”.") % {"set": set_code, "code": code},
            )
    try:
        as_of = parse_date(cells[COL_AS_OF])
    except CellError as error:
        fail(COL_AS_OF, str(error))
        as_of = None
    value_bool = value_number = None
    value_items = ""
    if indicator is not None:
        try:
            value_bool, value_number, value_items = _read_value(indicator, cells[COL_VALUE])
        except CellError as error:
            fail(COL_VALUE, str(error))
    try:
        status = _read_status(cells.get(COL_STATUS), default_status, may_verify)
    except CellError as error:
        fail(COL_STATUS, str(error))
        status = None
    return_reason = text(cells.get(COL_RETURN_REASON)) if status == RecordStatus.RETURNED else ""
    if status == RecordStatus.RETURNED and not return_reason:
        fail(COL_RETURN_REASON, _("Hãy ghi lý do trả lại để xã biết cần sửa gì."))
    if len(errors) > before:
        return None
    # A date holds one verified and one pending record (docs/workflow.md): an export lists both.
    key = (unit.pk, indicator.pk, as_of, status == RecordStatus.VERIFIED)
    if key in seen:
        fail(COL_INDICATOR, _("Trùng với dòng %(row)d (cùng đơn vị, chỉ tiêu và ngày).") % {"row": seen[key]})
        return None
    seen[key] = number
    try:
        is_met = record_evaluate(
            unit=unit,
            indicator=indicator,
            value_bool=value_bool,
            value_number=value_number,
            value_items=value_items,
            thresholds=catalogue.thresholds.get(indicator.pk, []),
            commune_group=catalogue.enrolled.get((unit.pk, criteria_set.pk)),
        )
    except ValidationError as error:
        fail(COL_VALUE, " ".join(error.messages))
        return None
    verifier = text(cells.get(COL_VERIFIER)) if status == RecordStatus.VERIFIED else ""
    return _Row(
        unit,
        indicator,
        as_of,
        value_bool,
        value_number,
        value_items,
        free_text(cells.get(COL_NOTE)),
        is_met,
        status,
        return_reason,
        verifier,
    )


def _same(record, new, note):
    """Whether `record` already holds the row's value (and its note, when the row gives one)."""
    return (
        record is not None
        and value_text(record.value_bool, record.value_number, record.value_items) == new
        and (not note or note == record.note)
    )


def _record_sheet(sheets):
    if RECORD_SHEET in sheets:
        return sheets[RECORD_SHEET]
    return next(iter(sheets.values()), [])


def _pick_record_sheet(titles):
    """Only the record sheet is read: “Kết quả”, else the first one."""
    return [RECORD_SHEET] if RECORD_SHEET in titles else titles[:1]


def records_import(*, file, user, unit, dry_run, max_bytes=None, max_rows=None, progress=None):
    """Check an uploaded record file and, unless `dry_run` or anything is wrong, save it all.

    `unit` bounds the import (a commune, or a district and everything under it; None for the
    whole database, used by the command line) and `user` (None on the command line) must be allowed
    to import there. `max_bytes` and `max_rows` default to the upload limits; 0 lifts them.
    Returns a `RecordImportResult`; `saved` says whether anything was written.
    """
    result = RecordImportResult()
    try:
        sheets = read_sheets(
            data=file.read(),
            filename=getattr(file, "name", ""),
            max_bytes=max_bytes,
            max_rows=max_rows,
            pick=_pick_record_sheet,
        )
    except SpreadsheetError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    table, errors = read_table(
        _record_sheet(sheets),
        required=RECORD_REQUIRED,
        optional=[COL_UNIT_NAME, COL_INDICATOR_NAME, COL_TARGET, COL_NOTE, *WORKFLOW_HEADERS],
    )
    result.errors += errors
    if errors:
        return result
    result.rows_read = len(table)

    unit_codes = {_code_or_blank(cells[COL_UNIT]) for _, cells in table}
    units = _allowed_units(user, unit, unit_codes)
    catalogue = _Catalogue(table, units, unit_codes)
    catalogue.scope = unit
    outside = unit_codes - set(units) - {""}
    if unit is not None and outside:  # rows the user may import, only not under the chosen unit
        editable = editable_units(user) if user is not None else AdministrativeUnit.objects.all()
        catalogue.outside_scope = set(editable.filter(code__in=outside).values_list("code", flat=True))
    to_check = []
    for number, cells in table:
        if is_blank(cells[COL_VALUE]):
            result.blank += 1  # a template row left empty: nothing to record
            continue
        to_check.append((number, cells))
    default_status = imported_status(user)
    may_verify = default_status == RecordStatus.VERIFIED
    seen, parsed = {}, []
    for done, (number, cells) in enumerate(to_check, start=1):
        if result.errors.full:
            result.errors.stop(number)
            break
        row = _check_row(number, cells, catalogue, seen, result.errors, default_status, may_verify)
        if row is not None:
            parsed.append((number, row))
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(to_check)):
            progress(done, len(to_check), _("Kiểm tra"))
    if result.errors:
        return result

    catalogue.load_existing(
        {row.unit.pk for _, row in parsed},
        {row.indicator.pk for _, row in parsed},
        max((row.as_of for _, row in parsed), default=None),
    )
    to_write = []
    for number, row in parsed:
        unit_, indicator, as_of = row.unit, row.indicator, row.as_of
        note, status, reason = row.note, row.status, row.return_reason
        key = (unit_.pk, indicator.pk, as_of)
        reporting_round = catalogue.round_for(unit_, as_of)
        if not may_verify and reporting_round is not None and not reporting_round.is_open:
            result.errors.append(
                RowError(
                    number,
                    COL_AS_OF,
                    _("Đợt báo cáo “%(round)s” đã đóng; chỉ %(committee)s mở lại được.")
                    % {
                        "round": reporting_round.name,
                        "committee": access.verifier_words(reporting_round.unit).committee,
                    },
                )
            )
            continue
        new = value_text(row.value_bool, row.value_number, row.value_items)
        # The record this row replaces: the verified or the pending record of the same unit,
        # indicator and date, never one of another date. A row is unchanged only when that record
        # already says the same, so the figures do not depend on the order files arrive in, and a
        # row confirmed for a round is stored for the round's date.
        if status == RecordStatus.VERIFIED:
            record = catalogue.verified.get(key)
            unchanged = _same(record, new, note)
        else:
            record = catalogue.pending.get(key)
            if record is None:  # restating the counted value of that date is no correction
                unchanged = _same(catalogue.verified.get(key), new, note)
            else:
                unchanged = _same(record, new, note) and (record.status, record.return_reason) == (status, reason)
        if unchanged:
            result.unchanged += 1
            continue
        current = catalogue.in_force(unit_, indicator, as_of)
        result.changes.append(
            RecordChange(
                row=number,
                unit=unit_,
                indicator=indicator,
                as_of=as_of,
                old=value_text(current.value_bool, current.value_number, current.value_items) if current else None,
                new=new,
                is_met=row.is_met,
                # A correction of a date that has a record is a change, even as a new pending one.
                created=key not in catalogue.verified and key not in catalogue.pending,
            )
        )
        # The checked row as it is, with the record it replaces and its round.
        to_write.append(ImportedRow(record=record, reporting_round=reporting_round, **row._asdict()))
    if result.errors:
        result.changes = []
        return result
    if not dry_run and to_write:
        records_import_write(rows=to_write, user=user, progress=progress)
        result.saved = True
    return result
