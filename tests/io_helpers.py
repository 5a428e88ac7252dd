"""Building upload files for the import tests."""

import io
from datetime import date

from records.imports import RECORD_HEADERS, RECORD_SHEET
from shared.spreadsheets import write_csv, write_xlsx

MEETING = date(2022, 8, 19)


def upload(data, name="ket-qua.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return f


def record_row(unit, set_code, code, value, as_of=MEETING, note=""):
    return [unit, "", set_code, code, "", "", as_of, value, note]


def record_file(rows, headers=RECORD_HEADERS, name="ket-qua.xlsx"):
    if name.endswith(".csv"):
        return upload(write_csv(headers, rows), name)
    return upload(write_xlsx([(RECORD_SHEET, headers, rows)]), name)


def record_snapshot():
    """Every record as comparable tuples, to show a failed import changed nothing."""
    from records.models import AchievementRecord

    return sorted(
        AchievementRecord.objects.values_list(
            "unit_id", "indicator_id", "as_of", "value_bool", "value_number", "is_met", "note"
        )
    )


def csv_file(rows, headers=RECORD_HEADERS, *, delimiter=",", encoding="utf-8-sig", name="ket-qua.csv"):
    """A CSV upload as Excel writes one: `delimiter` ';' under a Vietnamese locale, `encoding`
    'cp1258' for "CSV (Comma delimited)" on a Vietnamese Windows."""
    import csv

    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    content = stream.getvalue()
    return upload(_windows_1258(content) if encoding == "cp1258" else content.encode(encoding), name)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258(content):
    """Bytes as Windows writes Vietnamese in code page 1258: letters with their vowel marks
    (ă â ê ô ơ ư đ) as one byte, the tone mark as a combining byte after them."""
    import unicodedata

    out = []
    for char in content:
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        out.append(base + "".join(c for c in decomposed if c in _TONES))
    return "".join(out).encode("cp1258")


def many_rows_xlsx(rows, *, dimension=True):
    """The security review's file: `rows` rows in a small .xlsx (240,000 rows in 0.8 MB), built
    as XML directly so that the test stays fast. With `dimension` the sheet declares its size, as
    Excel writes it; without, it does not, as openpyxl's write-only mode writes it."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    strings = (
        RECORD_HEADERS + ["xa-quang-tan", "xa-ntm-2021-2025", "19/08/2022", "Đạt"] + [f"{n}.1" for n in range(1, 20)]
    )
    header = "".join(f'<c t="s"><v>{i}</v></c>' for i in range(len(RECORD_HEADERS)))
    body = [f'<row r="1">{header}</row>']
    # Unit, set and indicator code: about 90 bytes of XML a row, so 240,000 rows stay inside the
    # uncompressed limit too.
    body += [
        f'<row r="{n}"><c t="s"><v>9</v></c><c/><c t="s"><v>10</v></c><c t="s"><v>{13 + n % 19}</v></c></row>'
        for n in range(2, rows + 2)
    ]
    size = f'<dimension ref="A1:I{rows + 1}"/>' if dimension else ""
    files = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="{RECORD_SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}">{size}<sheetData>{"".join(body)}</sheetData></worksheet>',
    }
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return upload(stream.getvalue(), "nhieu-dong.xlsx")
