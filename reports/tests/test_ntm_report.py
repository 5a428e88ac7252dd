import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _report(*args):
    out = StringIO()
    call_command("ntm_report", *args, stdout=out)
    return out.getvalue()


def test_text_report_speaks_the_committees_language(demo):
    text = _report("--as-of", "2022-08-19", "--unit", "dam-ha")
    assert (
        "Thực hiện Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025, có 8 xã đạt bình quân "
        "17,87/19 tiêu chí (94,1%); 55,75/57 chỉ tiêu (97,8%)." in text
    )
    assert "có 6 xã đạt bình quân 15,16/19 tiêu chí (79,8%); 69,16/75 chỉ tiêu (92,2%)." in text
    assert "có 4 xã đạt bình quân 2/4 tiêu chí (50%); 5/10 chỉ tiêu (50%)." in text
    assert "huyện Đầm Hà đạt 7/9 tiêu chí (77,8%); 33/38 chỉ tiêu (86,8%)." in text
    assert text.splitlines()[0] == "Huyện Đầm Hà — kết quả thực hiện đến ngày 19/08/2022"


def test_text_report_marks_illustrative_sets(demo):
    text = _report("--as-of", "2022-08-19", "--unit", "dam-ha")
    assert "nông thôn mới nâng cao giai đoạn 2021-2025 (*)" in text
    assert "xã nông thôn mới giai đoạn 2021-2025 (*)" not in text
    assert text.rstrip().endswith("chưa đối chiếu với văn bản chính thức.")


def test_text_report_without_unit_covers_every_top_level_unit(demo):
    text = _report("--as-of", "2022-08-19")
    assert text.startswith("Tỉnh Quảng Ninh — kết quả thực hiện đến ngày 19/08/2022")
    assert "17,87/19 tiêu chí (94,1%)" in text


def test_json_report_gives_the_same_figures_as_numbers(demo):
    data = json.loads(_report("--as-of", "2022-08-19", "--unit", "dam-ha", "--format", "json"))
    basic = next(s for s in data["sets"] if s["code"] == "xa-ntm-2021-2025")
    assert data["as_of"] == "2022-08-19"
    assert basic["unit_count"] == 8
    assert basic["criteria_met_sum"] == 143
    assert basic["indicators_met_sum"] == 446
    assert basic["average_criteria"] == 17.87
    assert basic["average_indicators"] == 55.75
    assert basic["percent_criteria"] == 94.1
    assert basic["percent_indicators"] == 97.8
    assert basic["units_meeting_standard"] == 3
    assert len(basic["units"]) == 8


def test_unknown_unit_is_a_clear_error(demo):
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị có mã “khong-co”"):
        _report("--as-of", "2022-08-19", "--unit", "khong-co")


@pytest.mark.parametrize("bad", ["19/08/2022", "2022-02-30", "hôm nay"])
def test_malformed_date_is_a_clear_error(db, bad):
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        _report("--as-of", bad)


def test_errors_exit_non_zero_from_the_shell(db):
    # Run as a user would: the process must fail, not print a traceback and exit 0.
    result = subprocess.run(
        [sys.executable, "manage.py", "ntm_report", "--as-of", "not-a-date"],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "ntm_dashboard.settings_test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "Ngày không hợp lệ" in result.stderr
    assert "Traceback" not in result.stderr
