"""Reading and writing spreadsheets safely: the one place that opens an uploaded file or writes one.

Reading refuses, with a Vietnamese message, anything that is not a small, sound .xlsx or .csv:
the zip's declared uncompressed size and compression ratio are checked before openpyxl parses it
(openpyxl itself parses XML through defusedxml, which is installed). Rows are read one at a time
and reading stops once a file has more than NTM_IMPORT_MAX_ROWS data rows, so a small file of
many rows cannot hold a worker. A CSV may be separated by commas or by semicolons (what Excel
writes under a Vietnamese or European locale) and must be UTF-8. .ods and .xls are refused by
name. Writing stores every text cell that a spreadsheet would run as a formula (= + - @, tab,
carriage return) as plain text, and code columns as text cells. `needs_neutralising` is the one
test for such text, `xlsx_cell` and `escape_csv` the one way to write it (every workbook the site
writes, the brief's and the dossier's included, goes through them).
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from shared.cells import text
from shared.xlsx_rows import sheet_values

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CSV_DELIMITERS = (",", ";", "\t")
TEXT_FORMAT = "@"  # Excel's "Text" number format
DATE_FORMAT = "dd/mm/yyyy"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003) and other old Office files
ZIP_MAGIC = b"PK\x03\x04"
# Blank rows are read but do not count towards the row limit, up to this many times the limit.
BLANK_ROW_ALLOWANCE = 2
# The largest share of NTM_IMPORT_MAX_UNCOMPRESSED_BYTES one part of an .xlsx other than a sheet may take.
PART_SHARE = 1 / 3


class SpreadsheetError(Exception):
    """A file that cannot be read as a table; the message is for the user, in Vietnamese."""


def max_upload_bytes():
    return settings.NTM_IMPORT_MAX_BYTES


def _vi_count(number):
    return f"{number:,}".replace(",", ".")


# ---------------------------------------------------------------------------------------------
# Reading


def _ods_refused():
    return SpreadsheetError(
        _(
            "Chưa nhận tệp .ods (LibreOffice, OpenOffice). Trong LibreOffice chọn Tệp › Lưu thành… › kiểu "
            "“Excel 2007-365 (.xlsx)” rồi tải lên tệp .xlsx."
        )
    )


def _xls_refused():
    return SpreadsheetError(
        _(
            "Chưa nhận tệp Excel 97-2003 (.xls). Mở tệp bằng Excel, chọn Lưu thành (Save As) › “Excel Workbook "
            "(*.xlsx)” rồi tải lên tệp .xlsx."
        )
    )


def _check_zip(data):
    """Refuse a corrupt .xlsx, or one that would expand far beyond its size (a zip bomb)."""
    if data.startswith(OLE2_MAGIC):
        raise _xls_refused()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetError(_("Tệp Excel bị hỏng hoặc không phải tệp .xlsx.")) from None
    total = sum(m.file_size for m in members)
    limit = settings.NTM_IMPORT_MAX_UNCOMPRESSED_BYTES
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    # Shared strings and styles are parsed whole before the first row (about 10 µs a string), so
    # they get a share of the limit: the sheets' rows are the only part read against the row limit.
    parts = max((m.file_size for m in members if not m.filename.startswith("xl/worksheets/")), default=0)
    if total > limit or parts > limit * PART_SHARE or ratio > settings.NTM_IMPORT_MAX_COMPRESSION_RATIO:
        raise SpreadsheetError(_("Tệp Excel giải nén ra quá lớn (có thể là tệp độc hại); hệ thống không mở tệp này."))
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names and "mimetype" in names:
            raise _ods_refused()
        raise SpreadsheetError(_("Tệp Excel bị hỏng hoặc không phải tệp .xlsx."))


class _RowBudget:
    """Counts the data rows (after each sheet's header) read from one file and stops past the limit."""

    def __init__(self, limit):
        self.limit = limit
        self.data_rows = 0
        self.all_rows = 0

    def check_declared(self, rows, title):
        """A sheet that says it has far more rows than allowed is refused before it is read."""
        if self.limit and rows is not None and rows - 1 > self.limit * BLANK_ROW_ALLOWANCE:
            raise SpreadsheetError(
                _(
                    "Trang tính “%(sheet)s” có %(rows)s dòng; mỗi lần chỉ nhập được tối đa %(limit)s dòng dữ liệu. Hãy "
                    "chia thành nhiều tệp nhỏ hơn."
                )
                % {"sheet": title, "rows": _vi_count(rows), "limit": _vi_count(self.limit)}
            )

    def take(self, rows):
        """`rows` (an iterator) as a list, the header row first; SpreadsheetError past the limit."""
        taken = []
        for row in rows:
            if taken:
                self.all_rows += 1
                if any(v is not None and (not isinstance(v, str) or v.strip()) for v in row):
                    self.data_rows += 1
                if self.limit and self.data_rows > self.limit:
                    raise SpreadsheetError(
                        _(
                            "Tệp có hơn %(limit)s dòng dữ liệu; mỗi lần chỉ nhập được tối đa %(limit)s dòng dữ liệu. "
                            "Hãy chia thành nhiều tệp nhỏ hơn."
                        )
                        % {"limit": _vi_count(self.limit)}
                    )
                if self.limit and self.all_rows > self.limit * BLANK_ROW_ALLOWANCE:
                    raise SpreadsheetError(
                        _(
                            "Trang tính có hơn %(rows)s dòng (kể cả dòng trống); mỗi lần chỉ nhập được tối đa %(limit)s "
                            "dòng dữ liệu. Hãy chia thành nhiều tệp nhỏ hơn và xoá các dòng trống ở cuối trang tính."
                        )
                        % {"rows": _vi_count(self.limit * BLANK_ROW_ALLOWANCE), "limit": _vi_count(self.limit)}
                    )
            taken.append(tuple(row))
        return taken


def _openpyxl_reader():
    """An openpyxl workbook reader whose read-only sheets read their size from the top of the sheet.

    openpyxl looks for a sheet's <dimension> with end-of-element events, so a sheet without one
    (openpyxl's own write-only files) is parsed in full just to open the workbook: 240,000 rows
    took 7 s before the first row. Here the search stops where the rows begin, and the size found
    is used only to refuse an oversized sheet early; rows are then read until the sheet's end, so a
    wrong <dimension> cannot hide rows.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    dimension_tag, rows_tag = f"{{{SHEET_MAIN_NS}}}dimension", f"{{{SHEET_MAIN_NS}}}sheetData"

    class Sheet(ReadOnlyWorksheet):
        declared_rows = None

        def _get_size(self):
            with self._get_source() as source:
                for _event, element in iterparse(source, events=("start",)):
                    if element.tag == rows_tag:
                        break
                    if element.tag == dimension_tag:
                        try:
                            self.declared_rows = range_boundaries(element.get("ref", ""))[3]
                        except (TypeError, ValueError):
                            pass
                        break

    class Reader(ExcelReader):
        def read_worksheets(self):
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    self.wb._sheets.append(Sheet(self.wb, sheet.name, rel.target, self.shared_strings))

    return Reader


def _xlsx_sheets(data, budget, pick):
    _check_zip(data)
    try:
        reader = _openpyxl_reader()(io.BytesIO(data), read_only=True, data_only=True)
        reader.read()
        book = reader.wb
        by_title = {text(ws.title): ws for ws in book.worksheets}
        sheets = {}
        for title in pick(list(by_title)) if pick else list(by_title):
            sheet = by_title[title]
            budget.check_declared(sheet.declared_rows, title)
            sheets[title] = budget.take(sheet_values(sheet))
        book.close()
    except SpreadsheetError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise SpreadsheetError(_("Tệp Excel bị hỏng hoặc không đọc được.")) from None
    return sheets


def _csv_delimiter(first_line):
    """The separator that splits the header row into the most columns (comma on a tie)."""
    widths = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in CSV_DELIMITERS}
    return max(CSV_DELIMITERS, key=lambda d: (widths[d], d == ","))


def _csv_sheets(data, budget):
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise SpreadsheetError(
            _("Tệp có đuôi .csv nhưng là tệp Excel; hãy tải lên với đuôi .xlsx, hoặc lưu lại dạng CSV UTF-8.")
        )
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _(
                "Tệp CSV không được lưu bằng bảng mã UTF-8 (có thể là Windows-1258 hoặc một bảng mã cũ khác), nên chữ "
                "tiếng Việt sẽ bị đọc sai. Trong Excel chọn Lưu thành (Save As) › kiểu “CSV UTF-8 (Comma delimited) "
                "(*.csv)”, hoặc tải lên tệp .xlsx."
            )
        ) from None
    if "\x00" in content:
        raise SpreadsheetError(_("Tệp CSV bị hỏng hoặc không phải tệp văn bản."))
    delimiter = _csv_delimiter(content.partition("\n")[0])
    try:
        rows = csv.reader(io.StringIO(content), delimiter=delimiter)
        table = budget.take(tuple(unescape_csv(cell) if cell != "" else None for cell in row) for row in rows)
    except csv.Error:
        raise SpreadsheetError(_("Tệp CSV bị hỏng hoặc không đọc được.")) from None
    return {"": table}


def read_sheets(*, data, filename, max_bytes=None, max_rows=None, pick=None):
    """The sheets of an uploaded file as {title: [row tuples]}; a CSV gives one sheet titled ''.

    `max_bytes` defaults to NTM_IMPORT_MAX_BYTES and `max_rows` (data rows in all sheets read) to
    NTM_IMPORT_MAX_ROWS; 0 means no limit (the command line). `pick(titles)` names the sheets to
    read (default: all), so a workbook's other sheets are never parsed.
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if limit and len(data) > limit:
        raise SpreadsheetError(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {
                "size": f"{len(data) / 1_000_000:.1f}".replace(".", ","),
                "limit": f"{limit / 1_000_000:g}".replace(".", ","),
            }
        )
    budget = _RowBudget(settings.NTM_IMPORT_MAX_ROWS if max_rows is None else max_rows)
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _xlsx_sheets(data, budget, pick)
    if name.endswith(".csv"):
        return _csv_sheets(data, budget)
    if name.endswith(".ods"):
        raise _ods_refused()
    if name.endswith(".xls"):
        raise _xls_refused()
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
    """The one test for formula injection: text a spreadsheet would run as a formula, starting
    with = + - @, a tab or a carriage return. Numbers, -1 included, are never neutralised."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def escape_csv(value):
    """A CSV cell a spreadsheet will show as text: a leading apostrophe before = + - @ tab CR.

    CSV has no cell types, so the apostrophe is the only way; an .xlsx needs none (`xlsx_cell`)."""
    return "'" + value if needs_neutralising(value) else value


def unescape_csv(value):
    """Undo `escape_csv` when reading our own CSV back."""
    if value.startswith("'") and needs_neutralising(value[1:]):
        return value[1:]
    return value


@dataclass(frozen=True)
class SheetLayout:
    """How a sheet someone fills in is laid out: column widths by header, the header row frozen,
    and value lists (Excel's data validation): (header, allowed words, data row numbers from 1)."""

    widths: dict = field(default_factory=dict)
    freeze_header: bool = False
    choices: tuple = ()


def _add_choices(sheet, headers, choices):
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for header, words, rows in choices:
        if not rows:
            continue
        # An Excel list is one quoted, comma-separated formula of at most 255 characters.
        if any("," in w or '"' in w for w in words) or len(",".join(words)) > 253:
            raise ValueError(f"not an Excel value list: {words!r}")
        letter = get_column_letter(headers.index(header) + 1)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(words) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Giá trị không hợp lệ"),
            error=_("Chọn một giá trị trong danh sách: %(words)s.") % {"words": " / ".join(words)},
        )
        for row in rows:
            validation.add(f"{letter}{row + 1}")
        sheet.data_validations.append(validation)


def write_xlsx(sheets):
    """An .xlsx file from [(title, headers, rows)], [(title, headers, rows, text_columns)] or
    [(title, headers, rows, text_columns, layout)]: formula-like text is stored as text, and the
    columns named in `text_columns` (codes such as 17.10) are text-formatted cells and columns, so
    Excel neither shortens them nor turns them into numbers or dates when someone types in them;
    a `SheetLayout` gives widths, a frozen header row and value lists."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)
    for title, headers, rows, *rest in sheets:
        text_columns = set(rest[0]) if rest else set()
        layout = rest[1] if len(rest) > 1 else SheetLayout()
        sheet = book.create_sheet(title=title[:31])
        as_text = [header in text_columns for header in headers]
        for index, header in enumerate(headers, start=1):
            if header in text_columns or header in layout.widths:
                dimension = sheet.column_dimensions[get_column_letter(index)]
                dimension.width = layout.widths.get(header, 16)
            if header in text_columns:
                dimension.number_format = TEXT_FORMAT
        if layout.freeze_header:
            sheet.freeze_panes = "A2"
        _add_choices(sheet, headers, layout.choices)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(
                [
                    _xlsx_text_cell(sheet, value, WriteOnlyCell)
                    if k < len(as_text) and as_text[k]
                    else xlsx_cell(sheet, value)
                    for k, value in enumerate(row)
                ]
            )
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def xlsx_cell(sheet, value):
    """`value` as `sheet.append` takes it, in any openpyxl sheet (write-only or not): a date as
    dd/mm/yyyy, formula-like text (`needs_neutralising`) as a text cell, anything else as is.

    The text is stored unchanged, with no apostrophe: a string cell is never calculated, and its
    quotePrefix style keeps it text when someone edits it in Excel, which shows no apostrophe in the
    cell. (A carriage return comes back from any XML reader as a line feed; the cell is text all
    the same.)"""
    is_date = isinstance(value, datetime.date)
    if not is_date and not needs_neutralising(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if is_date:
        cell.number_format = DATE_FORMAT
    else:
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _xlsx_text_cell(sheet, value, cell_class):
    cell = cell_class(sheet, value=None if value is None else str(value))
    cell.number_format = TEXT_FORMAT
    if needs_neutralising(cell.value):
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
# django-import-export formats for the admin: only .xlsx and .csv, read and written as above.
# The admin checks and saves row by row (about 5 ms a row), so its row limit is its own, lower one.


def _dataset_rows(dataset):
    return [list(row) for row in dataset]


def _admin_dataset(data, filename):
    """The first sheet of an admin upload as a tablib Dataset, with every limit of `read_sheets`."""
    import tablib

    data = data if isinstance(data, bytes) else data.encode("utf-8")
    sheets = read_sheets(
        data=data, filename=filename, max_rows=settings.NTM_ADMIN_IMPORT_MAX_ROWS, pick=lambda titles: titles[:1]
    )
    rows = trim_rows(next(iter(sheets.values()), []))
    dataset = tablib.Dataset()
    if rows:
        dataset.headers = [text(h) for h in rows[0]]
        width = len(rows[0])
        for row in rows[1:]:
            dataset.append((list(row) + [None] * width)[:width])
    return dataset


class SafeXLSX(base_formats.XLSX):
    """XLSX for the admin: size, zip-bomb and row checks on import, formula-like text as text on export."""

    def create_dataset(self, in_stream):
        return _admin_dataset(in_stream, "admin.xlsx")

    def export_data(self, dataset, **kwargs):
        return write_xlsx([(dataset.title or "Du lieu", dataset.headers or [], _dataset_rows(dataset))])


class SafeCSV(base_formats.CSV):
    """CSV for the admin, read as bytes so that the encoding and separator are checked as on the
    site; formula-like text escaped with a leading apostrophe on export."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return _admin_dataset(in_stream, "admin.csv")

    def export_data(self, dataset, **kwargs):
        return write_csv(dataset.headers or [], _dataset_rows(dataset))


SAFE_FORMATS = [SafeXLSX, SafeCSV]
