"""Đăng ký thực hiện in bulk: every commune under a province or district in a set, from one form
or one file (preview, then confirm), saved in one transaction or not at all.

This module knows nothing of accounts: the caller passes the units the user may enrol (`allowed`).
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Enrolment
from shared.spreadsheets import SheetLayout, SpreadsheetError, read_sheets, write_xlsx
from shared.tabular import CellError, ErrorList, RowError, is_blank, parse_code, parse_int, read_table

ENROLMENT_COLUMNS = {
    "unit": "Mã đơn vị",
    "criteria_set": "Mã bộ tiêu chí",
    "target_year": "Năm phấn đấu đạt chuẩn",
    # Optional: the commune's group (1-3) in the set's period; a file without the column keeps it.
    "commune_group": "Nhóm xã",
}
KEEP = None  # a row's commune group when the file has no group column: the stored one stays
ENROLMENT_SHEET = "Đăng ký thực hiện"
YEARS = (2000, 2100)
TEMPLATE_ROWS = 500  # rows of the template that carry the value lists


@dataclass
class EnrolmentResult:
    """The preview (or outcome) of a bulk enrolment: rows added and changed, or the errors."""

    added: list = field(default_factory=list)  # EnrolmentRow
    changed: list = field(default_factory=list)
    # (unit, set) whose commune group changes: their records are judged again against its targets.
    regrouped: list = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=ErrorList)
    saved: bool = False

    @property
    def ok(self):
        return not self.errors


class EnrolmentRow(NamedTuple):
    unit: AdministrativeUnit
    criteria_set: CriteriaSet
    target_year: int | None
    commune_group: object = KEEP  # 1-3, NO_GROUP, or KEEP


NO_GROUP = 0  # a blank group cell: the unit's own group applies from now on


def _sort(rows, result):
    """Split rows into added, changed and unchanged against what is stored."""
    existing = {
        (e.unit_id, e.criteria_set_id): e
        for e in Enrolment.objects.filter(unit__in=[r.unit.pk for r in rows]).select_related("unit")
    }
    for row in rows:
        current = existing.get((row.unit.pk, row.criteria_set.pk))
        group = _stored_group(row.commune_group, current)
        if current is None:
            result.added.append(row._replace(commune_group=group))
        elif current.target_year != row.target_year or group != current.commune_group:
            result.changed.append(row._replace(commune_group=group))
            if group != current.commune_group:
                result.regrouped.append((row.unit, row.criteria_set))
        else:
            result.unchanged += 1


def _stored_group(cell, current):
    if cell is KEEP:
        return current.commune_group if current is not None else None
    return None if cell == NO_GROUP else cell


def _save(result, reevaluate):
    with transaction.atomic():
        for row in result.added + result.changed:
            Enrolment.objects.update_or_create(
                unit=row.unit,
                criteria_set=row.criteria_set,
                defaults={"target_year": row.target_year, "commune_group": row.commune_group},
            )
        for unit, criteria_set in result.regrouped:
            reevaluate(unit, criteria_set)
    result.saved = True


def enrol_under(*, parent, criteria_set, target_year, allowed, dry_run=False):
    """Enrol every current unit of the set's level under `parent` (among `allowed`) in the set."""
    units = (
        AdministrativeUnit.objects.within(parent, include_self=False)
        .at_level(criteria_set.level)
        .filter(pk__in=allowed.values("pk"), valid_to__isnull=True)
        .order_by("code")
    )
    result = EnrolmentResult()
    rows = [EnrolmentRow(unit, criteria_set, target_year) for unit in units]
    if not rows:
        result.errors.append(RowError(0, "", _("Không có đơn vị nào thuộc cấp của bộ tiêu chí này để đăng ký.")))
        return result
    _sort(rows, result)
    if not dry_run:
        _save(result, reevaluate=None)
    return result


def enrolment_template(*, units, criteria_sets):
    """The enrolment file to fill in (.xlsx): the columns the import reads (codes as text, so
    06913 keeps its zero), value lists for Mã bộ tiêu chí and Nhóm xã, a guide, and the `units`
    and `criteria_sets` a row may name, on sheets of their own that the import does not read."""
    c = ENROLMENT_COLUMNS
    rows = range(1, TEMPLATE_ROWS + 1)
    set_codes = [s.code for s in criteria_sets]
    choices = [(c["commune_group"], ["1", "2", "3"], rows)]
    if set_codes and len(",".join(set_codes)) <= 253:  # an Excel value list's limit
        choices.append((c["criteria_set"], set_codes, rows))
    layout = SheetLayout(
        widths={c["unit"]: 14, c["criteria_set"]: 24, c["target_year"]: 24, c["commune_group"]: 10},
        freeze_header=True,
        choices=tuple(choices),
    )
    guide = [
        [_("Mỗi dòng một đơn vị đăng ký thực hiện một bộ tiêu chí; đơn vị đã đăng ký bộ đó thì được cập nhật.")],
        [_("Mã đơn vị: mã trên trang (đơn vị nạp từ tệp đơn vị: mã ĐVHC), xem trang “Đơn vị”.")],
        [_("Mã bộ tiêu chí: xem trang “Bộ tiêu chí”; bộ tiêu chí cấp xã cho xã, cấp huyện cho huyện.")],
        [_("Năm phấn đấu đạt chuẩn: năm có bốn chữ số, có thể để trống.")],
        [
            _(
                "Nhóm xã (bộ tiêu chí 2026-2030): 1, 2 hoặc 3 trong giai đoạn của bộ tiêu chí; để trống thì dùng nhóm ghi ở đơn vị. Xoá cả cột thì nhóm đã lưu được giữ nguyên."
            )
        ],
        [_("Tệp có lỗi thì không dòng nào được lưu; nạp lại cùng một tệp không thay đổi gì.")],
    ]
    # The codes under the headers the enrolment sheet reads, to copy from one to the other.
    unit_headers = [c["unit"], _("Tên đơn vị"), _("Cấp")]
    set_headers = [c["criteria_set"], _("Tên bộ tiêu chí"), _("Áp dụng cho")]
    return write_xlsx(
        [
            (ENROLMENT_SHEET, list(c.values()), [], [c["unit"], c["criteria_set"]], layout),
            (
                _("Đơn vị"),
                unit_headers,
                [[u.code, u.display_name, u.get_kind_display()] for u in units],
                [unit_headers[0]],
                SheetLayout(widths={unit_headers[1]: 36}),
            ),
            (
                _("Bộ tiêu chí"),
                set_headers,
                [[s.code, s.name, s.get_level_display()] for s in criteria_sets],
                [set_headers[0]],
                SheetLayout(widths={set_headers[1]: 80}),
            ),
            (_("Hướng dẫn"), [_("Hướng dẫn")], guide, (), SheetLayout(widths={_("Hướng dẫn"): 110})),
        ]
    )


def enrolments_import(*, file, allowed, dry_run, reevaluate):
    """Check a file of enrolments; save them all when every row is right and not `dry_run`.

    `reevaluate(unit, criteria_set)` judges a unit's records again when its commune group in the
    set changes, in the same transaction (records.services passes its writer)."""
    result = EnrolmentResult()
    try:
        sheets = read_sheets(data=file.read(), filename=getattr(file, "name", ""), pick=_pick_sheet)
    except SpreadsheetError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    rows = sheets.get(ENROLMENT_SHEET, next(iter(sheets.values()), []))
    c = ENROLMENT_COLUMNS
    table, errors = read_table(
        rows, required=[c["unit"], c["criteria_set"]], optional=[c["target_year"], c["commune_group"]]
    )
    has_groups = any(c["commune_group"] in cells for _row, cells in table)
    result.errors.extend(errors)
    units = {u.code: u for u in allowed}
    sets = {s.code: s for s in CriteriaSet.objects.all()}
    pairs, seen = [], {}
    for row, cells in table:
        before = len(result.errors)
        unit_code, set_code = _code(cells, c["unit"], row, result), _code(cells, c["criteria_set"], row, result)
        unit, criteria_set = units.get(unit_code), sets.get(set_code)
        if unit_code and unit is None:
            result.errors.append(
                RowError(
                    row,
                    c["unit"],
                    _("Không có đơn vị “%(code)s” trong phạm vi quản lý của bạn.") % {"code": unit_code},
                )
            )
        if set_code and criteria_set is None:
            result.errors.append(
                RowError(row, c["criteria_set"], _("Không có bộ tiêu chí “%(code)s”.") % {"code": set_code})
            )
        if unit and criteria_set and unit.level != criteria_set.level:
            result.errors.append(
                RowError(
                    row,
                    c["criteria_set"],
                    _("Bộ tiêu chí “%(set)s” áp dụng cho %(level)s, không áp dụng cho %(unit)s.")
                    % {"set": set_code, "level": criteria_set.get_level_display().lower(), "unit": unit.display_name},
                )
            )
        year = None
        raw_year = cells.get(c["target_year"])
        if not is_blank(raw_year):
            try:
                year = parse_int(raw_year, minimum=YEARS[0], maximum=YEARS[1])
            except CellError as error:
                result.errors.append(RowError(row, c["target_year"], str(error)))
        group = _group(cells, row, result) if has_groups else KEEP
        key = (unit_code, set_code)
        if key in seen and len(result.errors) == before:
            result.errors.append(
                RowError(
                    row,
                    c["unit"],
                    _("Đơn vị “%(unit)s” đã đăng ký bộ tiêu chí “%(set)s” ở dòng %(row)d.")
                    % {"unit": unit_code, "set": set_code, "row": seen[key]},
                )
            )
        seen.setdefault(key, row)
        if len(result.errors) == before:
            pairs.append(EnrolmentRow(unit, criteria_set, year, group))
    if result.errors:
        return result
    _sort(pairs, result)
    if not dry_run:
        _save(result, reevaluate)
    return result


def _pick_sheet(titles):
    """The enrolment sheet, else the first: the template's lists of units and sets are not read."""
    return [ENROLMENT_SHEET] if ENROLMENT_SHEET in titles else titles[:1]


def _group(cells, row, result):
    column = ENROLMENT_COLUMNS["commune_group"]
    raw = cells.get(column)
    if is_blank(raw):
        return NO_GROUP
    try:
        return parse_int(raw, minimum=1, maximum=3)
    except CellError as error:
        result.errors.append(RowError(row, column, str(error)))
        return KEEP


def _code(cells, column, row, result):
    try:
        value = parse_code(cells.get(column))
    except CellError as error:
        result.errors.append(RowError(row, column, str(error)))
        return ""
    if not value:
        result.errors.append(RowError(row, column, _("Chưa ghi “%(col)s”.") % {"col": column}))
    return value
