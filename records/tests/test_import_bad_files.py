"""Bad files get a clear Vietnamese message and change nothing: one test per case."""

import io
import zipfile

import openpyxl
import pytest

from criteria.models import CriteriaSet
from devdata.demo import BASIC
from records.imports import RECORD_HEADERS, records_import
from records.services import criteria_set_import
from tests.io_helpers import record_file, record_row, record_snapshot, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(demo_accounts):
    return demo_accounts["xa_quangtan"]


def _import(officer, file):
    before = record_snapshot()
    result = records_import(file=file, user=officer, unit=officer.profile.unit, dry_run=False)
    assert not result.saved and not result.ok
    assert record_snapshot() == before, "a refused file must not change any record"
    return result.errors


def _messages(errors):
    return " | ".join(e.message for e in errors)


def test_a_file_that_is_not_a_spreadsheet_is_refused(officer):
    errors = _import(officer, upload(b"%PDF-1.4 not a table", "bao-cao.pdf"))
    assert _messages(errors) == "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."


def test_a_corrupt_xlsx_is_refused(officer):
    errors = _import(officer, upload(b"PK\x03\x04 this is not really a zip", "hong.xlsx"))
    assert "Tệp Excel bị hỏng" in _messages(errors)


def test_a_truncated_xlsx_is_refused(officer):
    good = record_file([record_row("xa-quang-tan", BASIC, "2.1", "Đạt")]).getvalue()
    errors = _import(officer, upload(good[: len(good) // 2], "cat-doi.xlsx"))
    assert "Tệp Excel bị hỏng" in _messages(errors)


def test_a_zip_bomb_is_refused_before_it_is_opened(officer):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 30_000_000)  # 30 MB of zeros, ~30 kB packed
    assert len(stream.getvalue()) < 100_000
    errors = _import(officer, upload(stream.getvalue(), "bom.xlsx"))
    assert "giải nén ra quá lớn" in _messages(errors)


def test_an_xlsx_expanding_past_the_total_limit_is_refused(officer, settings):
    settings.NTM_IMPORT_MAX_UNCOMPRESSED_BYTES = 1_000
    file = record_file([record_row("xa-quang-tan", BASIC, f"2.{k}", "Đạt") for k in range(1, 6)])
    errors = _import(officer, file)
    assert "giải nén ra quá lớn" in _messages(errors)


def test_a_file_over_the_size_limit_is_refused(officer, settings):
    settings.NTM_IMPORT_MAX_BYTES = 2_000
    file = record_file([record_row("xa-quang-tan", BASIC, "2.1", "Đạt", note="x" * 3_000)], name="lon.csv")
    errors = _import(officer, file)
    assert "Tệp quá lớn" in _messages(errors) and "giới hạn là 0,002 MB" in _messages(errors)


def test_an_empty_sheet_is_refused(officer):
    book = openpyxl.Workbook()
    stream = io.BytesIO()
    book.save(stream)
    errors = _import(officer, upload(stream.getvalue(), "trong.xlsx"))
    assert "Trang tính trống" in _messages(errors)


def test_a_sheet_with_headers_but_no_rows_is_refused(officer):
    errors = _import(officer, record_file([]))
    assert _messages(errors) == "Trang tính không có dòng dữ liệu nào."


def test_missing_columns_are_named(officer):
    headers = [h for h in RECORD_HEADERS if h != "Giá trị"]
    errors = _import(
        officer, record_file([["xa-quang-tan", "", BASIC, "2.1", "", "", "19/08/2022", ""]], headers=headers)
    )
    assert [(e.row, e.column, e.message) for e in errors] == [(1, "Giá trị", "Thiếu cột “Giá trị”.")]


def test_a_renamed_column_is_named(officer):
    headers = ["Mã xã" if h == "Mã đơn vị" else h for h in RECORD_HEADERS]
    errors = _import(officer, record_file([record_row("xa-quang-tan", BASIC, "2.1", "Đạt")], headers=headers))
    assert {(e.column, e.message) for e in errors} == {
        ("Mã xã", "Cột “Mã xã” không có trong mẫu (có thể đã bị đổi tên)."),
        ("Mã đơn vị", "Thiếu cột “Mã đơn vị”."),
    }


def test_wrong_value_types_are_listed_with_row_and_column(officer):
    errors = _import(
        officer,
        record_file(
            [
                record_row("xa-quang-tan", BASIC, "2.1", "có lẽ"),
                record_row("xa-quang-tan", BASIC, "2.2", "Đạt", as_of="hôm qua"),
                record_row("xa-quang-tan", BASIC, "2.3", 42),
            ]
        ),
    )
    assert [(e.row, e.column) for e in errors] == [(2, "Giá trị"), (3, "Tính đến ngày"), (4, "Giá trị")]
    assert "“có lẽ” không hợp lệ: ghi “Đạt” hoặc “Không đạt”." == errors[0].message
    assert "không phải là ngày" in errors[1].message


def test_text_in_a_numeric_indicator_is_an_error(db):
    from tests.factories import CommuneFactory, EnrolmentFactory, NumericIndicatorFactory, ThresholdFactory

    commune = CommuneFactory(code="xa-so")
    indicator = NumericIndicatorFactory(code="6.1")
    ThresholdFactory(indicator=indicator, value=50)
    EnrolmentFactory(unit=commune, criteria_set=indicator.criterion.criteria_set)
    result = records_import(
        file=record_file([record_row("xa-so", indicator.criterion.criteria_set.code, "6.1", "nhiều")]),
        user=None,
        unit=None,
        dry_run=False,
    )
    assert [(e.row, e.column, e.message) for e in result.errors] == [(2, "Giá trị", "“nhiều” không phải là số.")]


def test_unknown_indicator_codes_are_errors(officer):
    errors = _import(
        officer,
        record_file(
            [record_row("xa-quang-tan", BASIC, "99.9", "Đạt"), record_row("xa-quang-tan", "bo-khong-co", "1.1", "Đạt")]
        ),
    )
    assert [(e.row, e.column) for e in errors] == [(2, "Mã chỉ tiêu"), (3, "Mã bộ tiêu chí")]
    assert "không có chỉ tiêu mã “99.9”" in errors[0].message


def test_duplicate_rows_are_errors(officer):
    errors = _import(
        officer,
        record_file(
            [
                record_row("xa-quang-tan", BASIC, "2.1", "Đạt"),
                record_row("xa-quang-tan", BASIC, "2.2", "Không đạt"),
                record_row("xa-quang-tan", BASIC, "2.1", "Không đạt"),
            ]
        ),
    )
    assert [(e.row, e.message) for e in errors] == [(4, "Trùng với dòng 2 (cùng đơn vị, chỉ tiêu và ngày).")]


def test_a_csv_not_in_utf8_is_refused(officer):
    data = "Mã đơn vị,Giá trị\nxa-quang-tan,Không đạt\n".encode("utf-16")
    errors = _import(officer, upload(data, "ket-qua.csv"))
    message = _messages(errors)
    assert (
        message.startswith("Tệp CSV không được lưu bằng bảng mã UTF-8")
        and "“CSV UTF-8 (Comma delimited) (*.csv)”" in message
    )


def test_one_bad_row_among_good_ones_saves_nothing(officer):
    rows = [record_row("xa-quang-tan", BASIC, f"2.{k}", "Không đạt") for k in range(1, 5)] + [
        record_row("xa-quang-tan", BASIC, "2.9", "Đạt")
    ]
    errors = _import(officer, record_file(rows))
    assert [e.row for e in errors] == [6]


def test_a_criteria_set_workbook_missing_a_sheet_is_refused(db):
    stream = io.BytesIO()
    openpyxl.Workbook().save(stream)
    result = criteria_set_import(file=upload(stream.getvalue(), "bo.xlsx"), dry_run=False)
    assert "Thiếu trang tính “Bộ tiêu chí”." in _messages(result.errors)
    assert not CriteriaSet.objects.exists()


def test_a_criteria_set_file_of_the_wrong_type_is_refused(db):
    result = criteria_set_import(file=upload(b"hello", "bo.docx"), dry_run=False)
    assert _messages(result.errors) == "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."
    assert not CriteriaSet.objects.exists()
