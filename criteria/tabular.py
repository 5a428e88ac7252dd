"""Shared parsing of uploaded tables: headers checked against a template, cells read as values.

Every problem becomes a `RowError` (row number as the spreadsheet shows it, column header, what is
wrong) in Vietnamese, so an import can list them all instead of stopping at the first.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .spreadsheets import trim_rows

HEADER_ROW = 1


@dataclass(frozen=True)
class RowError:
    """One thing wrong in an uploaded file; `row` 0 means the file as a whole."""

    row: int
    column: str
    message: str


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(rows, *, required, optional=(), sheet_label=""):
    """Check the header row and return ([(row_number, {header: value})], errors).

    `required` and `optional` are header texts. A missing required header, or a header the
    template does not have (a renamed column), is an error on row 1.
    """
    rows = trim_rows(rows)
    where = f"{sheet_label}: " if sheet_label else ""
    if not rows:
        return [], [RowError(0, "", where + _("Trang tính trống: không có dòng tiêu đề và dữ liệu."))]
    headers = [str(h).strip() if not is_blank(h) else "" for h in rows[0]]
    known = set(required) | set(optional)
    errors = [
        RowError(HEADER_ROW, header, where + _("Cột “%(col)s” không có trong mẫu (có thể đã bị đổi tên).") % {"col": header})
        for header in headers
        if header and header not in known
    ]
    errors += [
        RowError(HEADER_ROW, header, where + _("Thiếu cột “%(col)s”.") % {"col": header})
        for header in required
        if header not in headers
    ]
    seen = set()
    for header in headers:
        if header and header in seen:
            errors.append(RowError(HEADER_ROW, header, where + _("Cột “%(col)s” xuất hiện hai lần.") % {"col": header}))
        seen.add(header)
    if errors:
        return [], errors
    index = [(i, h) for i, h in enumerate(headers) if h]
    table = []
    for number, row in enumerate(rows[1:], start=HEADER_ROW + 1):
        cells = {h: (row[i] if i < len(row) else None) for i, h in index}
        if all(is_blank(v) for v in cells.values()):
            continue
        table.append((number, cells))
    if not table:
        errors.append(RowError(0, "", where + _("Trang tính không có dòng dữ liệu nào.")))
    return table, errors


def text(value):
    """A cell as stripped text ('' when blank); whole numbers read from Excel lose their '.0'."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value):
    """A date from an Excel date cell, '19/08/2022' or '2022-08-19'."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” không phải là ngày (ghi theo dạng 19/08/2022).") % {"value": raw})


def parse_decimal(value, *, places=4, max_digits=14):
    """A number from a numeric cell or Vietnamese text ('1.234,5'); CellError otherwise."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” không phải là số.") % {"value": value})
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        raw = text(value).replace(" ", "").replace("\u00a0", "")
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise CellError(_("“%(value)s” không phải là số.") % {"value": text(value)}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” không phải là số.") % {"value": text(value)})
    number = number.quantize(Decimal(1).scaleb(-places))
    if number.adjusted() >= max_digits - places:
        raise CellError(_("Số “%(value)s” quá lớn.") % {"value": text(value)})
    return number


_YES = {"đạt", "có", "co", "dat", "x", "1", "true", "yes", "y"}
_NO = {"không đạt", "không", "khong dat", "khong", "chưa đạt", "chua dat", "0", "false", "no", "n"}


def parse_yes_no(value):
    """Đạt / Không đạt (also có / không, 1 / 0) from a cell."""
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(_("“%(value)s” không hợp lệ: ghi “Đạt” hoặc “Không đạt”.") % {"value": text(value)})


def parse_int(value, *, minimum=None, maximum=None):
    """A whole number within [minimum, maximum]; 2.5 or 'hai' is a CellError."""
    try:
        exact = parse_decimal(value)
    except CellError:
        exact = None
    if exact is None or exact != exact.to_integral_value():
        raise CellError(_("“%(value)s” không phải là số nguyên.") % {"value": text(value)})
    number = int(exact)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise CellError(_("“%(value)s” nằm ngoài khoảng cho phép.") % {"value": text(value)})
    return number
