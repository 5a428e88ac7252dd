"""Reading and writing spreadsheets safely: the one place that opens an uploaded file or writes one.

Reading refuses, with a Vietnamese message, anything that is not a small, sound .xlsx or UTF-8 .csv:
the zip's declared uncompressed size and compression ratio are checked before openpyxl parses it
(openpyxl itself parses XML through defusedxml, which is installed). Writing stores every text
cell that a spreadsheet would run as a formula (= + - @, tab, carriage return) as plain text.
"""

import csv
import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats import base_formats

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


class SpreadsheetError(Exception):
    """A file that cannot be read as a table; the message is for the user, in Vietnamese."""


def max_upload_bytes():
    return settings.NTM_IMPORT_MAX_BYTES


# ---------------------------------------------------------------------------------------------
# Reading


def _check_zip(data):
    """Refuse a corrupt .xlsx, or one that would expand far beyond its size (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetError(_("Tệp Excel bị hỏng hoặc không phải tệp .xlsx.")) from None
    total = sum(m.file_size for m in members)
    limit = settings.NTM_IMPORT_MAX_UNCOMPRESSED_BYTES
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if total > limit or ratio > settings.NTM_IMPORT_MAX_COMPRESSION_RATIO:
        raise SpreadsheetError(
            _("Tệp Excel giải nén ra quá lớn (có thể là tệp độc hại); hệ thống không mở tệp này.")
        )
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise SpreadsheetError(_("Tệp Excel bị hỏng hoặc không phải tệp .xlsx."))


def _xlsx_sheets(data):
    import openpyxl

    _check_zip(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
        book.close()
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise SpreadsheetError(_("Tệp Excel bị hỏng hoặc không đọc được.")) from None
    return sheets


def _csv_sheets(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from None
    if "\x00" in text:
        raise SpreadsheetError(_("Tệp CSV bị hỏng hoặc không phải tệp văn bản."))
    try:
        rows = [tuple(unescape_csv(cell) if cell != "" else None for cell in row) for row in csv.reader(io.StringIO(text))]
    except csv.Error:
        raise SpreadsheetError(_("Tệp CSV bị hỏng hoặc không đọc được.")) from None
    return {"": rows}


def read_sheets(*, data, filename, max_bytes=None):
    """Every sheet of an uploaded file as {title: [row tuples]}; a CSV gives one sheet titled ''.

    `max_bytes` defaults to NTM_IMPORT_MAX_BYTES; the command line passes 0 for no limit.
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if limit and len(data) > limit:
        raise SpreadsheetError(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {"size": f"{len(data) / 1_000_000:.1f}".replace(".", ","), "limit": f"{limit / 1_000_000:g}".replace(".", ",")}
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _xlsx_sheets(data)
    if name.endswith(".csv"):
        return _csv_sheets(data)
    raise SpreadsheetError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))


def trim_rows(rows):
    """Drop trailing empty cells and wholly empty rows at the end of a sheet."""
    rows = [tuple(row) for row in rows]
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    return rows


# ---------------------------------------------------------------------------------------------
# Writing


def needs_neutralising(value):
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def escape_csv(value):
    """A CSV cell a spreadsheet will show as text: a leading apostrophe before = + - @ tab CR."""
    return "'" + value if needs_neutralising(value) else value


def unescape_csv(value):
    """Undo `escape_csv` when reading our own CSV back."""
    if value.startswith("'") and needs_neutralising(value[1:]):
        return value[1:]
    return value


def write_xlsx(sheets):
    """An .xlsx file from [(title, headers, rows)]: formula-like text is stored as text."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value, WriteOnlyCell) for value in row])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _xlsx_cell(sheet, value, cell_class):
    if not needs_neutralising(value):
        return value
    cell = cell_class(sheet, value=value)
    # A string cell is never calculated; quotePrefix keeps it text when someone edits it in Excel.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def write_csv(headers, rows):
    """A UTF-8 CSV (with BOM, so Excel reads Vietnamese) with formula-like text escaped."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else escape_csv(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# django-import-export formats for the admin: only .xlsx and .csv, reading and writing as above.


def _dataset_rows(dataset):
    return [list(row) for row in dataset]


class SafeXLSX(base_formats.XLSX):
    """XLSX for the admin: size and zip-bomb checks on import, formula-like text as text on export."""

    def create_dataset(self, in_stream):
        import tablib

        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode()
        if len(data) > max_upload_bytes():
            raise SpreadsheetError(_("Tệp quá lớn."))
        sheets = _xlsx_sheets(data)
        rows = trim_rows(next(iter(sheets.values()), []))
        dataset = tablib.Dataset()
        if rows:
            dataset.headers = list(rows[0])
            for row in rows[1:]:
                dataset.append(list(row) + [None] * (len(rows[0]) - len(row)))
        return dataset

    def export_data(self, dataset, **kwargs):
        return write_xlsx([(dataset.title or "Du lieu", dataset.headers or [], _dataset_rows(dataset))])


class SafeCSV(base_formats.CSV):
    """CSV for the admin: formula-like text escaped with a leading apostrophe on export."""

    def export_data(self, dataset, **kwargs):
        return write_csv(dataset.headers or [], _dataset_rows(dataset)).decode("utf-8")


SAFE_FORMATS = [SafeXLSX, SafeCSV]
