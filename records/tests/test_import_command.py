"""`manage.py import_records FILE [--dry-run]`: the web import's rules, on the command line."""

import pytest
from django.core.management import CommandError, call_command

from devdata.demo import BASIC
from records.models import AchievementRecord
from tests.io_helpers import MEETING, record_file, record_row, record_snapshot

pytestmark = pytest.mark.django_db


def _write(tmp_path, rows, name="ket-qua.xlsx"):
    path = tmp_path / name
    path.write_bytes(record_file(rows, name=name).getvalue())
    return str(path)


def _met(code):
    return AchievementRecord.objects.get(
        unit__code="xa-quang-tan", indicator__criterion__criteria_set__code=BASIC, indicator__code=code, as_of=MEETING
    ).is_met


def test_dry_run_reports_the_changes_and_saves_nothing(demo, tmp_path, capsys):
    path = _write(tmp_path, [record_row("xa-quang-tan", BASIC, "2.1", "Không đạt")])
    call_command("import_records", path, "--dry-run")
    out, err = capsys.readouterr()
    assert "1 dòng: 0 kết quả mới, 1 sửa, 0 không đổi, 0 để trống; 0 lỗi." in out
    assert "chưa lưu gì" in out and "[" in err  # the progress bar goes to stderr
    assert _met("2.1") is True


def test_import_saves_every_row(demo, tmp_path, capsys):
    call_command("import_records", _write(tmp_path, [record_row("xa-quang-tan", BASIC, "2.1", "Không đạt")]))
    assert "Đã lưu toàn bộ thay đổi." in capsys.readouterr().out
    assert _met("2.1") is False


def test_a_bad_row_stops_the_command_and_saves_nothing(demo, tmp_path, capsys):
    before = record_snapshot()
    path = _write(
        tmp_path,
        [record_row("xa-quang-tan", BASIC, "2.1", "Không đạt"), record_row("xa-quang-tan", BASIC, "77.7", "Đạt")],
    )
    with pytest.raises(CommandError, match="Tệp có lỗi; không lưu dòng nào."):
        call_command("import_records", path)
    assert "dòng 3, cột “Mã chỉ tiêu”" in capsys.readouterr().out
    assert record_snapshot() == before


def test_unit_option_limits_the_rows_accepted(demo, tmp_path):
    path = _write(tmp_path, [record_row("xa-tan-lap", BASIC, "2.1", "Không đạt")])
    with pytest.raises(CommandError):
        call_command("import_records", path, "--unit", "xa-quang-tan")


def test_a_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_records", "/khong/co/tep.xlsx")
