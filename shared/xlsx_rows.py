"""The values of an .xlsx sheet's rows, read fast: what `iter_rows(values_only=True)` of an openpyxl
read-only sheet gives, in a fifth of the time.

openpyxl builds an element tree for each row and a dict for each cell before it keeps the value
(about 90 µs a row of nine cells: 1.8-3.3 s of a 20,000-row record file, more than the checks and
the writes together). Here expat calls back on each tag and only the values are kept. The workbook
is still opened by openpyxl (shared strings, which styles are dates, the 1900 or 1904 epoch), and
the values are those openpyxl gives for a workbook opened with `data_only=True`: a formula's cached
value, a date-styled number as a datetime, padding with None and empty rows where cells or rows are
missing (`shared/tests/test_xlsx_rows.py` compares the two). As with defusedxml, which openpyxl
uses, a sheet that declares entities is refused.
"""

from xml.parsers import expat

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

CHUNK = 1 << 16


class EntitiesForbidden(ValueError):
    """A sheet that declares an entity (a billion-laughs or external-entity attack)."""


def _refuse(*_args):
    raise EntitiesForbidden("entities are not allowed in a sheet")


def _number(raw):
    # openpyxl's _cast_number: a float when written with a point or an exponent, else an int.
    if "." in raw or "E" in raw or "e" in raw:
        return float(raw)
    return int(raw)


class _SheetParser:
    """Expat callbacks collecting (row number, [(column, value)]) for each <row> of a sheet."""

    def __init__(self, shared_strings, epoch, date_formats, timedelta_formats):
        self.shared_strings = shared_strings
        self.epoch = epoch
        self.date_formats = date_formats
        self.timedelta_formats = timedelta_formats
        self.rows = []  # rows parsed since the caller last took them
        self.columns = {}  # column letters -> index, so each cell's reference is not parsed in full
        self.row_number = 0
        self.cells = None
        self.path = []  # the tags open inside the current cell, the cell first
        self.text = None  # the text being collected (a <v>, or an inline string's <t>), or None
        # Without expat's namespace processing (which takes twice as long as the rest of the
        # parse): tags are matched with the prefix the root element binds to the sheet namespace.
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start_root
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters
        self.parser.EntityDeclHandler = _refuse
        self.parser.UnparsedEntityDeclHandler = _refuse
        self.parser.ExternalEntityRefHandler = _refuse
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def feed(self, data, final=False):
        self.parser.Parse(data, final)

    def start_root(self, tag, attrs):
        prefix = next(
            (name[6:] + ":" for name, uri in attrs.items() if name.startswith("xmlns:") and uri == SHEET_MAIN_NS), None
        )
        if attrs.get("xmlns") == SHEET_MAIN_NS:
            prefix = ""
        names = ("row", "c", "v", "is", "t", "r")
        if prefix is None:  # not a sheet of this namespace: no rows, as openpyxl finds none
            names = ("{}" + name for name in names)
            prefix = ""
        self.row_tag, self.cell_tag, self.value_tag, self.inline_tag, self.text_tag, self.run_tag = (
            prefix + name for name in names
        )
        self.parser.StartElementHandler = self.start

    def start(self, tag, attrs):
        path = self.path
        if path:
            path.append(tag)
            depth = len(path)
            if depth == 2 and tag == self.value_tag and self.value is None:
                self.text = []
            elif depth == 2 and tag == self.inline_tag and self.inline is None:
                self.inline = []
            elif self.inline is not None and tag == self.text_tag and self._in_inline_text(depth):
                self.text = []
        elif tag == self.cell_tag and self.cells is not None:
            path.append(tag)
            self.kind = attrs.get("t", "n")
            self.style = attrs.get("s")
            self.reference = attrs.get("r")
            self.value = self.inline = None
        elif tag == self.row_tag:
            number = attrs.get("r")
            if number is None:
                self.row_number += 1
            else:
                try:
                    self.row_number = int(number)
                except ValueError:
                    as_float = float(number)
                    if not as_float.is_integer():
                        raise ValueError(f"{number} is not a valid row number") from None
                    self.row_number = int(as_float)
            self.cells = []
            self.column = 0

    def _in_inline_text(self, depth):
        # openpyxl's Text.content: the <t> of the <is>, then the <t> of each rich-text run <r>.
        path = self.path
        return path[1] == self.inline_tag and (depth == 3 or (depth == 4 and path[2] == self.run_tag))

    def characters(self, data):
        if self.text is not None:
            self.text.append(data)

    def end(self, tag):
        path = self.path
        if path:
            depth = len(path)
            if depth == 1:
                self._end_cell()
            elif self.text is not None:
                if depth == 2 and tag == self.value_tag:
                    self.value = "".join(self.text)
                    self.text = None
                elif tag == self.text_tag:
                    self.inline.append("".join(self.text))
                    self.text = None
            path.pop()
        elif tag == self.row_tag and self.cells is not None:
            self.rows.append((self.row_number, self.cells))
            self.cells = None

    def _column_of(self, reference):
        letters = reference.rstrip("0123456789")
        column = self.columns.get(letters)
        if column is None:
            column = self.columns[letters] = coordinate_to_tuple(reference)[1]
        return column

    def _end_cell(self):
        if self.reference:
            self.column = self._column_of(self.reference)
        else:
            self.column += 1
        kind, raw = self.kind, self.value or None
        if kind == "inlineStr":
            value = None if self.inline is None else "".join(self.inline)
        elif raw is None:
            value = None
        elif kind == "n":
            value = _number(raw)
            style = int(self.style) if self.style else 0
            if style in self.date_formats:
                try:
                    value = from_excel(value, self.epoch, timedelta=style in self.timedelta_formats)
                except (OverflowError, ValueError):
                    value = "#VALUE!"  # as openpyxl: a date serial out of range reads as an error
        elif kind == "s":
            value = self.shared_strings[int(raw)]
        elif kind == "b":
            value = bool(int(raw))
        elif kind == "d":
            value = from_ISO8601(raw)
        else:  # "str" (a formula's text), "e" (an error such as #N/A)
            value = raw
        self.cells.append((self.column, value))


def sheet_values(sheet):
    """Each row of `sheet` (an openpyxl read-only worksheet of a workbook opened with
    `data_only=True`) as a tuple of values, from row 1, as `sheet.iter_rows(values_only=True)`
    gives them for a sheet whose size is not read from its <dimension>."""
    book = sheet.parent
    parser = _SheetParser(sheet._shared_strings, book.epoch, book._date_formats, book._timedelta_formats)
    expected = 1  # the next row number to give; rows the sheet skips come out empty
    with sheet._get_source() as source:
        while True:
            chunk = source.read(CHUNK)
            parser.feed(chunk, final=not chunk)
            rows, parser.rows = parser.rows, []
            for number, cells in rows:
                while expected < number:
                    expected += 1
                    yield ()
                if expected > number:  # a row number repeated or going back: openpyxl skips it
                    continue
                expected += 1
                if not cells:
                    yield ()
                    continue
                width = cells[-1][0]
                values = [None] * width
                for column, value in cells:
                    if 1 <= column <= width:
                        values[column - 1] = value
                yield tuple(values)
            if not chunk:
                break
