"""The Đầm Hà 2022 demo must reproduce every figure of the 19/08/2022 meeting report."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from criteria.models import Recognition
from records.models import AchievementRecord
from reports.engine import summarise
from shared.formatting import vi_number, vi_percent

MEETING = date(2022, 8, 19)

# set code: (units, average criteria, criteria total, average indicators, indicators total, % criteria, % indicators)
REPORTED = {
    "xa-ntm-2021-2025": (8, "17,87", 19, "55,75", 57, "94,1%", "97,8%"),
    "xa-ntm-nang-cao-2021-2025": (6, "15,16", 19, "69,16", 75, "79,8%", "92,2%"),
    "xa-ntm-kieu-mau-2021-2025": (4, "2", 4, "5", 10, "50%", "50%"),
    "huyen-ntm-nang-cao-2021-2025": (1, "7", 9, "33", 38, "77,8%", "86,8%"),
}


@pytest.mark.parametrize("set_code", REPORTED)
def test_demo_reproduces_the_meeting_report(demo, set_code):
    summary = summarise(demo["dam-ha"], MEETING)
    s = next(s for s in summary.sets if s.criteria_set.code == set_code)
    units, avg_c, total_c, avg_i, total_i, pct_c, pct_i = REPORTED[set_code]

    assert s.unit_count == units
    assert (vi_number(s.average_criteria), s.criteria_total) == (avg_c, total_c)
    assert (vi_number(s.average_indicators), s.indicators_total) == (avg_i, total_i)
    assert (vi_percent(s.percent_criteria), vi_percent(s.percent_indicators)) == (pct_c, pct_i)


def test_demo_district_report_covers_exactly_the_four_sets(demo):
    codes = [s.criteria_set.code for s in summarise(demo["dam-ha"], MEETING).sets]
    assert codes == list(REPORTED)


def test_demo_records_are_consistent_criterion_met_exactly_when_all_indicators_are(demo):
    for s in summarise(demo["dam-ha"], MEETING).sets:
        for unit in s.units:
            for c in unit.criteria:
                assert c.recorded_count == c.indicator_count  # nothing missing in the demo
                assert c.met == (c.met_count == c.indicator_count)


def test_demo_recognised_units_meet_their_standard(demo):
    summary = summarise(demo["dam-ha"], MEETING)
    recognised = [(u.unit.code, u.standard_met) for s in summary.sets for u in s.units if u.recognised]
    assert sorted(recognised) == [("xa-dam-ha", True), ("xa-tan-lap", True)]


def test_demo_shows_progress_since_the_end_of_2021(demo):
    earlier = {s.criteria_set.code: s for s in summarise(demo["dam-ha"], date(2021, 12, 31)).sets}
    later = {s.criteria_set.code: s for s in summarise(demo["dam-ha"], MEETING).sets}
    for code in REPORTED:
        assert earlier[code].indicators_met_sum < later[code].indicators_met_sum


def test_demo_keeps_the_merged_commune_as_history(demo):
    quang_loi = demo["xa-quang-loi"]
    assert quang_loi.valid_to == date(2020, 1, 1)
    assert list(quang_loi.successors.values_list("code", flat=True)) == ["xa-quang-tan"]


def test_load_demo_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))
    counts = (AchievementRecord.objects.count(), Recognition.objects.count(), get_user_model().objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (AchievementRecord.objects.count(), Recognition.objects.count(), get_user_model().objects.count()) == counts
    assert counts[2] == 4


def test_load_demo_refuses_accounts_when_debug_is_off(db, settings, capsys):
    settings.DEBUG = False
    call_command("load_demo")
    assert get_user_model().objects.count() == 0
    assert AchievementRecord.objects.exists()
    assert "Không tạo tài khoản demo" in capsys.readouterr().err


def test_demo_accounts_log_in_with_password_demo(demo_accounts, client):
    for username in ["bcd", "lanhdao", "xa_quangtan", "xa_tanlap"]:
        assert client.login(username=username, password="demo"), username
