"""Imports cannot hold a worker: rows are read one at a time up to NTM_IMPORT_MAX_ROWS, the file of
the security review (240,000 rows in 0.8 MB) is refused at once, and checking stops after
MAX_ERRORS errors, saying so."""

import time

import pytest
from django.core.management import CommandError, call_command

from devdata.demo import BASIC
from records.imports import records_import
from records.services import criteria_set_import
from shared import tabular
from tests.io_helpers import csv_file, many_rows_xlsx, record_file, record_row, record_snapshot

pytestmark = pytest.mark.django_db

# The preview must answer well inside gunicorn's 30 s; these files must be refused in far less.
REFUSAL_BUDGET_SECONDS = 5


def _staff_preview(demo_accounts, file):
    staff = demo_accounts["bcd"]
    started = time.perf_counter()
    result = records_import(file=file, user=staff, unit=staff.profile.unit, dry_run=True)
    return result, time.perf_counter() - started


def _inside_every_byte_limit(file, settings):
    import io
    import zipfile

    data = file.getvalue()
    members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert len(data) < settings.NTM_IMPORT_MAX_BYTES
    assert sum(m.file_size for m in members) < settings.NTM_IMPORT_MAX_UNCOMPRESSED_BYTES
    assert max(m.file_size / m.compress_size for m in members) < settings.NTM_IMPORT_MAX_COMPRESSION_RATIO


def test_the_security_reviews_240000_row_file_is_refused_at_once(demo_accounts, settings):
    file = many_rows_xlsx(240_000)
    assert len(file.getvalue()) < 1_000_000
    _inside_every_byte_limit(file, settings)
    before = record_snapshot()
    result, seconds = _staff_preview(demo_accounts, file)
    [error] = result.errors
    assert error.message == (
        "Trang tính “Kết quả” có 240.001 dòng; mỗi lần chỉ nhập được tối đa 20.000 dòng dữ liệu. "
        "Hãy chia thành nhiều tệp nhỏ hơn."
    )
    assert seconds < REFUSAL_BUDGET_SECONDS
    assert record_snapshot() == before


def test_the_same_file_without_a_declared_size_stops_reading_at_the_row_limit(demo_accounts, settings):
    file = many_rows_xlsx(240_000, dimension=False)
    _inside_every_byte_limit(file, settings)
    result, seconds = _staff_preview(demo_accounts, file)
    [error] = result.errors
    assert error.message == (
        "Tệp có hơn 20.000 dòng dữ liệu; mỗi lần chỉ nhập được tối đa 20.000 dòng dữ liệu. Hãy chia thành nhiều tệp nhỏ hơn."
    )
    assert seconds < REFUSAL_BUDGET_SECONDS


@pytest.mark.parametrize("make", [record_file, csv_file], ids=["xlsx", "csv"])
def test_a_file_at_the_row_limit_is_read_and_one_row_more_is_refused(demo_accounts, settings, make):
    settings.NTM_IMPORT_MAX_ROWS = 3
    rows = [record_row("xa-quang-tan", BASIC, f"2.{k}", "Không đạt", as_of="19/08/2022") for k in range(1, 5)]
    result, _seconds = _staff_preview(demo_accounts, make(rows[:3]))
    assert result.ok and len(result.changes) == 3
    result, _seconds = _staff_preview(demo_accounts, make(rows))
    assert [e.message for e in result.errors] == [
        "Tệp có hơn 3 dòng dữ liệu; mỗi lần chỉ nhập được tối đa 3 dòng dữ liệu. Hãy chia thành nhiều tệp nhỏ hơn."
    ]


def test_blank_rows_do_not_count_towards_the_limit_up_to_twice_the_limit(demo_accounts, settings):
    settings.NTM_IMPORT_MAX_ROWS = 3
    row = record_row("xa-quang-tan", BASIC, "2.1", "Không đạt")
    result, _seconds = _staff_preview(demo_accounts, record_file([row] + [[None] * 9] * 4))
    assert result.ok, result.errors
    result, _seconds = _staff_preview(demo_accounts, record_file([row] + [[None] * 9] * 6))
    assert "Trang tính có hơn 6 dòng (kể cả dòng trống)" in result.errors[0].message


def test_a_second_sheet_full_of_rows_is_not_read(demo_accounts, settings):
    from records.imports import RECORD_HEADERS, RECORD_SHEET
    from shared.spreadsheets import write_xlsx
    from tests.io_helpers import upload

    settings.NTM_IMPORT_MAX_ROWS = 3
    data = write_xlsx(
        [
            (RECORD_SHEET, RECORD_HEADERS, [record_row("xa-quang-tan", BASIC, "2.1", "Không đạt")]),
            ("Khác", ["x"], [[n] for n in range(100)]),
        ]
    )
    result, _seconds = _staff_preview(demo_accounts, upload(data))
    assert result.ok and len(result.changes) == 1


def test_checking_stops_after_the_error_limit_and_says_where(demo_accounts, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ERRORS", 5)
    rows = [record_row("xa-quang-tan", BASIC, f"99.{k}", "Đạt") for k in range(1, 21)]
    result, _seconds = _staff_preview(demo_accounts, record_file(rows))
    assert len(result.errors) == 5 and [e.row for e in result.errors] == [2, 3, 4, 5, 6]
    assert result.errors.stopped_at == 7


def test_the_preview_page_says_that_checking_stopped(demo_accounts, client, monkeypatch, settings, tmp_path):
    settings.NTM_IMPORT_TMP_DIR = tmp_path
    monkeypatch.setattr(tabular, "MAX_ERRORS", 5)
    client.force_login(demo_accounts["bcd"])
    rows = [record_row("xa-quang-tan", BASIC, f"99.{k}", "Đạt") for k in range(1, 21)]
    response = client.post("/du-lieu/ket-qua/nhap/", {"unit": "dam-ha", "file": record_file(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tệp có ít nhất 5 lỗi; chưa lưu gì." in page
    assert "Đã dừng kiểm tra ở dòng 7 sau 5 lỗi; các dòng sau chưa được kiểm tra." in page
    assert page.count("không có chỉ tiêu mã") == 5


def test_a_set_workbook_with_many_errors_shows_the_first_and_counts_the_rest(db, monkeypatch):
    from criteria.tests.test_import_sets import set_file, synthetic_set_rows

    monkeypatch.setattr(tabular, "MAX_ERRORS", 5)
    rows = synthetic_set_rows()
    for indicator in rows["indicators"]:
        indicator[3] = "không rõ"  # an unknown kind on every one of the 47 rows
    result = criteria_set_import(file=set_file(rows), dry_run=True)
    assert len(result.errors.shown) == 5 and result.errors.hidden > 0


def test_the_command_line_has_no_row_limit(demo, tmp_path, settings, capsys):
    settings.NTM_IMPORT_MAX_ROWS = 1
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(
        record_file([record_row("xa-quang-tan", BASIC, f"2.{k}", "Không đạt") for k in range(1, 4)]).getvalue()
    )
    call_command("import_records", str(path), "--dry-run")
    assert "3 dòng: 0 kết quả mới, 3 sửa" in capsys.readouterr().out


def test_the_command_line_lists_the_first_errors_and_says_it_stopped(demo, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tabular, "MAX_ERRORS", 2)
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(record_file([record_row("xa-quang-tan", BASIC, f"99.{k}", "Đạt") for k in range(1, 6)]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_records", str(path))
    out = capsys.readouterr().out
    assert out.count("không có chỉ tiêu mã") == 2 and "Đã dừng kiểm tra ở dòng 4 sau 2 lỗi" in out
