"""Đăng ký thực hiện in bulk: every commune under a province or district in a set, from one form
or one file (preview, then confirm), saved in one transaction or not at all.

This module knows nothing of accounts: the caller passes the units the user may enrol (`allowed`).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Enrolment
from shared.spreadsheets import SpreadsheetError, read_sheets
from shared.tabular import CellError, ErrorList, RowError, is_blank, parse_code, parse_int, read_table

ENROLMENT_COLUMNS = {
    "unit": "Mã đơn vị",
    "criteria_set": "Mã bộ tiêu chí",
    "target_year": "Năm phấn đấu đạt chuẩn",
}
ENROLMENT_SHEET = "Đăng ký thực hiện"
YEARS = (2000, 2100)


@dataclass
class EnrolmentResult:
    """The preview (or outcome) of a bulk enrolment: rows added and changed, or the errors."""

    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=ErrorList)
    saved: bool = False

    @property
    def ok(self):
        return not self.errors


def _sort(pairs, result):
    """Split (unit, set, year) into added, changed and unchanged against what is stored."""
    existing = {
        (e.unit_id, e.criteria_set_id): e
        for e in Enrolment.objects.filter(unit__in=[u.pk for u, _s, _y in pairs]).select_related("unit")
    }
    for unit, criteria_set, year in pairs:
        current = existing.get((unit.pk, criteria_set.pk))
        if current is None:
            result.added.append((unit, criteria_set, year))
        elif current.target_year != year:
            result.changed.append((unit, criteria_set, year))
        else:
            result.unchanged += 1


@transaction.atomic
def _save(result):
    for unit, criteria_set, year in result.added + result.changed:
        Enrolment.objects.update_or_create(unit=unit, criteria_set=criteria_set, defaults={"target_year": year})
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
    pairs = [(unit, criteria_set, target_year) for unit in units]
    if not pairs:
        result.errors.append(RowError(0, "", _("Không có đơn vị nào thuộc cấp của bộ tiêu chí này để đăng ký.")))
        return result
    _sort(pairs, result)
    if not dry_run:
        _save(result)
    return result


def enrolments_import(*, file, allowed, dry_run):
    """Check a file of enrolments; save them all when every row is right and not `dry_run`."""
    result = EnrolmentResult()
    try:
        sheets = read_sheets(data=file.read(), filename=getattr(file, "name", ""))
    except SpreadsheetError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    rows = sheets.get(ENROLMENT_SHEET, next(iter(sheets.values()), []))
    c = ENROLMENT_COLUMNS
    table, errors = read_table(rows, required=[c["unit"], c["criteria_set"]], optional=[c["target_year"]])
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
            pairs.append((unit, criteria_set, year))
    if result.errors:
        return result
    _sort(pairs, result)
    if not dry_run:
        _save(result)
    return result


def _code(cells, column, row, result):
    try:
        value = parse_code(cells.get(column))
    except CellError as error:
        result.errors.append(RowError(row, column, str(error)))
        return ""
    if not value:
        result.errors.append(RowError(row, column, _("Chưa ghi “%(col)s”.") % {"col": column}))
    return value
