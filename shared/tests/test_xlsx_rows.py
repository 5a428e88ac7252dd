"""The fast sheet reader gives exactly the values openpyxl's read-only reader gives."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.spreadsheets import SpreadsheetError, _openpyxl_reader, read_sheets
from shared.xlsx_rows import EntitiesForbidden, _SheetParser, sheet_values

cell_values = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12),
    st.sampled_from(["Đạt", "Không đạt", " 17.10 ", "=1+1", "-5", "x005F_a"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 12, 31)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
)
# Rows of cells, each row possibly missing (a gap) and each cell possibly missing (sparse).
grids = st.lists(
    st.one_of(st.none(), st.lists(st.one_of(st.just("skip"), cell_values), max_size=8)),
    max_size=12,
)


def _workbook(grid, write_only):
    """An .xlsx of `grid`: write-only files store text inline, ordinary ones in shared strings."""
    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet("Kết quả") if write_only else book.active
    for r, row in enumerate(grid, start=1):
        if write_only:
            sheet.append([None if v == "skip" else v for v in (row or [])])
            continue
        for c, value in enumerate(row or [], start=1):
            if value != "skip":
                sheet.cell(row=r, column=c, value=value)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _both(data):
    """(what openpyxl's read-only sheet gives, what sheet_values gives) for each sheet of `data`,
    as tuples (openpyxl gives a missing row as an empty list)."""
    reader = _openpyxl_reader()(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    book = reader.wb
    pairs = [([tuple(r) for r in ws.iter_rows(values_only=True)], list(sheet_values(ws))) for ws in book.worksheets]
    book.close()
    return pairs


@settings(max_examples=60, deadline=None)
@given(grid=grids, write_only=st.booleans())
def test_rows_read_fast_are_the_rows_openpyxl_reads(grid, write_only):
    for expected, fast in _both(_workbook(grid, write_only)):
        assert fast == expected


def _sheet_xml(body, root='<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', prolog=""):
    """A one-sheet workbook whose sheet XML is `body` inside `root`, as other programs write them."""
    stream = io.BytesIO()
    openpyxl.Workbook().save(stream)
    source = zipfile.ZipFile(io.BytesIO(stream.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                end = root.split()[0].replace("<", "</") + ">"
                data = ('<?xml version="1.0" encoding="UTF-8"?>' + prolog + root + body + end).encode()
            target.writestr(item, data)
    return out.getvalue()


HANDWRITTEN = [
    # cells without references, rows without numbers, a repeated row number, rich text inline
    "<sheetData><row><c><v>1</v></c><c t='str'><v>a</v></c></row><row r='3'><c r='C3' t='b'><v>1</v></c></row>"
    "<row r='3'><c r='A3'><v>9</v></c></row><row r='4'><c r='B4' t='inlineStr'><is><r><t>Đ</t></r><r><t>ạt</t>"
    "</r></is></c><c r='D4' t='e'><v>#N/A</v></c><c r='E4' t='inlineStr'/><c r='F4'><v></v></c></row>"
    "<row r='5.0'><c r='A5'><f>1+1</f><v>2</v></c><c r='B5' t='d'><v>2025-07-01T00:00:00</v></c></row></sheetData>",
]


@pytest.mark.parametrize("body", HANDWRITTEN)
def test_handwritten_sheets_read_as_openpyxl_reads_them(body):
    for expected, fast in _both(_sheet_xml(body)):
        assert fast == expected
        assert fast  # the sheet has rows: the comparison is not of two empty lists


def test_a_sheet_with_a_namespace_prefix_is_read():
    body = "<x:sheetData><x:row r='1'><x:c r='A1' t='inlineStr'><x:is><x:t>Mã đơn vị</x:t></x:is></x:c></x:row></x:sheetData>"
    root = '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    expected, fast = _both(_sheet_xml(body, root))[0]
    assert fast == expected == [("Mã đơn vị",)]


def test_a_sheet_declaring_entities_is_refused_as_a_damaged_file():
    bomb = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    body = "<sheetData><row r='1'><c r='A1' t='str'><v>&b;</v></c></row></sheetData>"
    with pytest.raises(SpreadsheetError, match="hỏng"):
        read_sheets(data=_sheet_xml(body, prolog=bomb), filename="bom.xlsx")
    # The workbook's opening refuses it already (defusedxml); the row reader does too on its own.
    parser = _SheetParser([], None, set(), set())
    with pytest.raises(EntitiesForbidden):
        parser.feed(zipfile.ZipFile(io.BytesIO(_sheet_xml(body, prolog=bomb))).read("xl/worksheets/sheet1.xml"), True)
