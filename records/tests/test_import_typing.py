"""Spreadsheets as Vietnamese offices fill them: every import reads what they type as they mean it,
and refuses, with the row and a message saying how to fix it, what it cannot read for certain."""

import io
import unicodedata
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from criteria.models import CriteriaSet, Enrolment
from devdata.demo import BASIC, MODEL
from records.imports import RECORD_HEADERS, records_import
from records.models import AchievementRecord
from records.services import criteria_set_import
from reports.exports import criteria_set_workbook, record_template
from tests.factories import CommuneFactory, EnrolmentFactory, NumericIndicatorFactory, ThresholdFactory
from tests.io_helpers import MEETING, csv_file, record_file, record_row, record_snapshot, upload

pytestmark = pytest.mark.django_db


def _record(unit, code, set_code=BASIC, day=MEETING):
    return AchievementRecord.objects.get(
        unit__code=unit, indicator__criterion__criteria_set__code=set_code, indicator__code=code, as_of=day
    )


def _staff_import(demo_accounts, file, dry_run=False):
    staff = demo_accounts["bcd"]
    return records_import(file=file, user=staff, unit=staff.profile.unit, dry_run=dry_run)


@pytest.fixture
def numeric_commune(db):
    """A commune enrolled in a made-up set with one numeric indicator (target ≥ 50)."""
    commune = CommuneFactory(code="xa-so")
    indicator = NumericIndicatorFactory(code="6.1")
    ThresholdFactory(indicator=indicator, value=50)
    EnrolmentFactory(unit=commune, criteria_set=indicator.criterion.criteria_set)
    return indicator.criterion.criteria_set.code


# --- text -----------------------------------------------------------------------------------------


def test_yes_no_typed_in_unikeys_combining_mode_or_with_double_spaces_is_read(demo_accounts):
    combining = unicodedata.normalize("NFD", "Không đạt")
    result = _staff_import(
        demo_accounts,
        record_file(
            [
                record_row("xa-quang-tan", BASIC, "2.1", combining),
                record_row("xa-quang-tan", BASIC, "3.1", "Không  đạt"),
            ]
        ),
    )
    assert result.saved, result.errors
    assert _record("xa-quang-tan", "2.1").is_met is False
    assert _record("xa-quang-tan", "3.1").is_met is False


def test_headers_typed_with_odd_spacing_or_combining_accents_are_recognised(demo_accounts):
    headers = [unicodedata.normalize("NFD", h).replace(" ", "  ") for h in RECORD_HEADERS]
    result = _staff_import(
        demo_accounts, record_file([record_row("xa-quang-tan", BASIC, "2.1", "Không đạt")], headers=headers)
    )
    assert result.saved, result.errors


# --- dates ----------------------------------------------------------------------------------------


def test_a_text_date_is_read_day_first(demo_accounts):
    result = _staff_import(
        demo_accounts, record_file([record_row("xa-quang-tan", BASIC, "2.1", "Không đạt", as_of="01/07/2025")])
    )
    assert result.saved, result.errors
    assert _record("xa-quang-tan", "2.1", day=date(2025, 7, 1)).is_met is False


def test_a_date_an_english_excel_may_have_written_month_first_is_refused(demo_accounts):
    before = record_snapshot()
    result = _staff_import(
        demo_accounts, csv_file([record_row("xa-quang-tan", BASIC, "2.1", "Không đạt", as_of="7/1/2025")])
    )
    [error] = result.errors
    assert (error.row, error.column) == (2, "Tính đến ngày")
    assert "không rõ là ngày 7 tháng 1 hay ngày 1 tháng 7" in error.message
    assert record_snapshot() == before


def test_an_impossible_date_is_refused_naming_the_cell(demo_accounts):
    result = _staff_import(
        demo_accounts, record_file([record_row("xa-quang-tan", BASIC, "2.1", "Đạt", as_of="31/02/2025")])
    )
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "Tính đến ngày", "Ngày “31/02/2025” không có thật.")
    ]


# --- numbers --------------------------------------------------------------------------------------


def test_a_number_with_thousands_dots_is_read_as_thousands(numeric_commune):
    result = records_import(
        file=record_file([record_row("xa-so", numeric_commune, "6.1", "1.250")]), user=None, unit=None, dry_run=False
    )
    assert result.saved, result.errors
    assert AchievementRecord.objects.get(unit__code="xa-so").value_number == Decimal("1250")


def test_a_number_with_a_comma_before_three_digits_is_refused_as_ambiguous(numeric_commune):
    result = records_import(
        file=record_file([record_row("xa-so", numeric_commune, "6.1", "1,250")]), user=None, unit=None, dry_run=False
    )
    [error] = result.errors
    assert error.column == "Giá trị" and "không rõ" in error.message and "Ghi 1.250 nếu là số nghìn" in error.message
    assert not AchievementRecord.objects.exists()


def test_an_english_decimal_point_is_refused_with_the_vietnamese_way_to_write_it(numeric_commune):
    result = records_import(
        file=record_file([record_row("xa-so", numeric_commune, "6.1", "12.5")]), user=None, unit=None, dry_run=False
    )
    [error] = result.errors
    assert "dấu phẩy (,) đứng trước phần thập phân" in error.message
    assert not AchievementRecord.objects.exists()


def test_a_number_too_long_for_the_database_is_an_error_not_a_crash(numeric_commune):
    result = records_import(
        file=record_file([record_row("xa-so", numeric_commune, "6.1", "1" + "0" * 40)]),
        user=None,
        unit=None,
        dry_run=True,
    )
    assert [e.column for e in result.errors] == ["Giá trị"] and "quá lớn" in result.errors[0].message


# --- codes ----------------------------------------------------------------------------------------


def test_an_indicator_code_excel_stored_as_a_number_that_could_be_two_codes_is_refused(demo_accounts):
    before = record_snapshot()
    result = _staff_import(
        demo_accounts, record_file([record_row("xa-quang-tan", BASIC, 17.1, "Không đạt")])
    )  # 17.1 or 17.10?
    [error] = result.errors
    assert (error.row, error.column) == (2, "Mã chỉ tiêu") and "17.1 hay 17.10" in error.message
    assert record_snapshot() == before


def test_an_indicator_code_stored_as_a_number_with_one_reading_is_accepted(demo_accounts):
    result = _staff_import(
        demo_accounts, record_file([record_row("xa-quang-tan", BASIC, 2.1, "Không đạt")])
    )  # no 2.10 in the set
    assert result.saved, result.errors
    assert _record("xa-quang-tan", "2.1").is_met is False


def _code_cells(data, sheet, header):
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet]
    column = [c.value for c in ws[1]].index(header) + 1
    letter = openpyxl.utils.get_column_letter(column)
    return ws.column_dimensions[letter].number_format, [ws.cell(row=r, column=column) for r in range(2, ws.max_row + 1)]


def test_the_record_template_writes_codes_as_text_cells_in_text_columns(demo):
    from communes.models import AdministrativeUnit

    data = record_template(
        unit=AdministrativeUnit.objects.get(code="xa-quang-tan"),
        criteria_set=CriteriaSet.objects.get(code=BASIC),
        as_of=MEETING,
    )
    for header in ("Mã đơn vị", "Mã bộ tiêu chí", "Mã chỉ tiêu"):
        column_format, cells = _code_cells(data, "Kết quả", header)
        assert column_format == "@", header
        assert cells and all(c.number_format == "@" and c.data_type == "s" for c in cells), header
    _format, codes = _code_cells(data, "Kết quả", "Mã chỉ tiêu")
    assert "17.10" in [c.value for c in codes]


def test_the_criteria_set_workbook_writes_codes_as_text_even_when_empty(demo):
    for data in (criteria_set_workbook(), criteria_set_workbook(CriteriaSet.objects.get(code=BASIC))):
        for sheet, header in (
            ("Bộ tiêu chí", "Mã bộ tiêu chí"),
            ("Chỉ tiêu", "Mã chỉ tiêu"),
            ("Mức đạt", "Mã chỉ tiêu"),
        ):
            column_format, cells = _code_cells(data, sheet, header)
            assert column_format == "@", (sheet, header)
            assert all(c.number_format == "@" for c in cells)


def test_a_criteria_set_workbook_with_an_indicator_code_stored_as_a_number_is_refused(db):
    from criteria.tests.test_import_sets import set_file, synthetic_set_rows

    rows = synthetic_set_rows()
    rows["indicators"][0][1] = 1.1  # typed 1.10 in a General cell?
    result = criteria_set_import(file=set_file(rows), dry_run=False)
    assert [(e.column, "Văn bản (Text)" in e.message) for e in result.errors] == [("Mã chỉ tiêu", True)]
    assert not CriteriaSet.objects.exists()


# --- files ----------------------------------------------------------------------------------------


def test_a_semicolon_separated_csv_from_a_vietnamese_excel_is_read(demo_accounts, numeric_commune):
    rows = [record_row("xa-so", numeric_commune, "6.1", "12,5", as_of="19/08/2022")]
    result = records_import(file=csv_file(rows, delimiter=";"), user=None, unit=None, dry_run=False)
    assert result.saved, result.errors
    assert AchievementRecord.objects.get(unit__code="xa-so").value_number == Decimal("12.5")


def test_a_csv_saved_in_windows_1258_gets_a_message_naming_the_cause(demo_accounts):
    before = record_snapshot()
    result = _staff_import(
        demo_accounts,
        csv_file([record_row("xa-quang-tan", BASIC, "2.1", "Không đạt", as_of="19/08/2022")], encoding="cp1258"),
    )
    [error] = result.errors
    assert "không được lưu bằng bảng mã UTF-8" in error.message and "Windows-1258" in error.message
    assert "CSV UTF-8 (Comma delimited)" in error.message
    assert record_snapshot() == before


def test_an_ods_file_is_refused_by_name(demo_accounts):
    import tablib

    dataset = tablib.Dataset(
        record_row("xa-quang-tan", BASIC, "2.1", "Không đạt", as_of="19/08/2022"), headers=RECORD_HEADERS
    )
    result = _staff_import(demo_accounts, upload(dataset.export("ods"), "ket-qua.ods"))
    [error] = result.errors
    assert "Chưa nhận tệp .ods" in error.message and "Excel 2007-365 (.xlsx)" in error.message


def test_an_old_xls_file_is_refused_by_name_even_when_renamed_xlsx(demo_accounts):
    for name in ("ket-qua.xls", "ket-qua.xlsx"):
        result = _staff_import(demo_accounts, upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, name))
        assert "Chưa nhận tệp Excel 97-2003 (.xls)" in result.errors[0].message, name


# --- enrolment ------------------------------------------------------------------------------------


def test_rows_for_a_commune_not_enrolled_in_the_set_are_listed_and_nothing_is_saved(demo_accounts):
    enrolled = set(Enrolment.objects.filter(criteria_set__code=MODEL).values_list("unit__code", flat=True))
    outsider = next(
        code
        for code in ("xa-quang-an", "xa-dai-binh", "xa-duc-yen", "xa-quang-lam", "xa-tan-binh")
        if code not in enrolled
    )
    before = record_snapshot()
    result = _staff_import(
        demo_accounts,
        record_file(
            [
                record_row(sorted(enrolled)[0], MODEL, "2.1", "Đạt"),
                record_row(outsider, MODEL, "2.1", "Đạt"),
            ]
        ),
        dry_run=True,
    )
    [error] = result.errors
    assert (error.row, error.column) == (3, "Mã bộ tiêu chí")
    assert f"Đơn vị “{outsider}” chưa đăng ký thực hiện bộ tiêu chí “{MODEL}”" in error.message
    assert result.changes == [] and record_snapshot() == before


def test_a_tab_separated_csv_is_read(numeric_commune):
    rows = [record_row("xa-so", numeric_commune, "6.1", "60", as_of="19/08/2022")]
    result = records_import(file=csv_file(rows, delimiter="\t"), user=None, unit=None, dry_run=False)
    assert result.saved, result.errors
