"""Shared parsing of uploaded tables: headers checked against a template, cells read as values.

Every problem becomes a `RowError` (row number as the spreadsheet shows it, column header, what is
wrong) in Vietnamese, so an import can list them instead of stopping at the first; an `ErrorList`
shows the first MAX_ERRORS of them. Cells are read by `shared.cells`, re-exported here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from shared.cells import (
    CellError,
    fold,
    free_text,
    is_blank,
    parse_code,
    parse_date,
    parse_decimal,
    parse_int,
    parse_yes_no,
    text,
)
from shared.spreadsheets import trim_rows

__all__ = [
    "CellError",
    "ErrorList",
    "RowError",
    "fold",
    "free_text",
    "is_blank",
    "parse_code",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_yes_no",
    "read_table",
    "text",
]

HEADER_ROW = 1
# Errors listed for one file; past this a record import stops checking, and pages count the rest.
MAX_ERRORS = 200


@dataclass(frozen=True)
class RowError:
    """One thing wrong in an uploaded file; `row` 0 means the file as a whole."""

    row: int
    column: str
    message: str


class ErrorList(list):
    """The errors of one file. Pages and the command line show the first MAX_ERRORS (`shown`) and
    the count of the rest (`hidden`); an import that stops checking once the list is `full`
    records the row it stopped at (`stop`)."""

    stopped_at = None

    @property
    def full(self):
        """True once MAX_ERRORS errors are listed."""
        return len(self) >= MAX_ERRORS

    @property
    def shown(self):
        """The errors a page or the command line lists."""
        return self[:MAX_ERRORS]

    @property
    def hidden(self):
        """How many errors are found but not listed."""
        return max(len(self) - MAX_ERRORS, 0)

    def stop(self, row):
        """Record that checking stopped at `row`, before it."""
        self.stopped_at = row


def read_table(rows, *, required, optional=(), sheet_label=""):
    """Check the header row and return ([(row_number, {header: value})], errors).

    `required` and `optional` are header texts. A missing required header, or a header the
    template does not have (a renamed column), is an error on row 1.
    """
    rows = trim_rows(rows)
    where = f"{sheet_label}: " if sheet_label else ""
    if not rows:
        return [], [RowError(0, "", where + _("Trang tính trống: không có dòng tiêu đề và dữ liệu."))]
    headers = [text(h) for h in rows[0]]
    known = set(required) | set(optional)
    errors = [
        RowError(
            HEADER_ROW, header, where + _("Cột “%(col)s” không có trong mẫu (có thể đã bị đổi tên).") % {"col": header}
        )
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
