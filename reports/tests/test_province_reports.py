"""The distribution, statuses and averages reach every output (command, API, overview, brief,
exports), follow the province's settings, and a province's staff set them on the site."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from accounts.models import Role
from accounts.services import account_create
from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet
from reports.exports import summary_export
from reports.models import BasicStandardThreshold, ReportSettings
from tests.io_helpers import MEETING

BASIC = "xa-ntm-2021-2025"


def _report(*args):
    out = StringIO()
    call_command("ntm_report", "--as-of", "2022-08-19", "--unit", "dam-ha", *args, stdout=out)
    return out.getvalue()


def _quang_ninh_writes(rule="", threshold=None, illustrative=True):
    settings = ReportSettings.objects.create(
        unit=AdministrativeUnit.objects.get(code="quang-ninh"), average_rule=rule, is_illustrative=illustrative
    )
    if threshold is not None:
        BasicStandardThreshold.objects.create(
            settings=settings, criteria_set=CriteriaSet.objects.get(code=BASIC), min_criteria=threshold
        )
    return settings


def test_the_command_lists_bins_statuses_and_the_average_with_its_sum_and_count(demo):
    text = _report()
    assert "có 8 xã đạt bình quân 17,87/19 tiêu chí (94,1%); 55,75/57 chỉ tiêu (97,8%)." in text
    assert (
        "  - Phân theo số tiêu chí đạt (trên tổng số 8 xã): đạt 19 tiêu chí: 3 xã (Đầm Hà, Quảng Tân, Tân Lập); "
        "đạt 15-18 tiêu chí: 5 xã (Đại Bình, Dực Yên, Quảng An, Quảng Lâm, Tân Bình); đạt 10-14 tiêu chí: 0; "
        "đạt 5-9 tiêu chí: 0; dưới 5 tiêu chí: 0." in text
    )
    assert (
        "Số xã đạt đủ 19/19 tiêu chí: 3/8 xã (37,5%) (Đầm Hà, Quảng Tân, Tân Lập); cơ bản đạt chuẩn: tỉnh chưa quy định ngưỡng;"
        in text
    )
    assert "đã được công nhận nhưng chưa duy trì chuẩn: 0/1 xã đã được công nhận (0%)." in text
    assert "Bình quân 17,87 tiêu chí/xã (143 tiêu chí đạt / 8 xã; hai chữ số thập phân, bỏ phần sau)" in text


def test_the_provinces_rule_and_threshold_change_the_command_and_its_json(demo):
    _quang_ninh_writes(rule="one_decimal", threshold=15)
    text = _report()
    assert "có 8 xã đạt bình quân 17,9/19 tiêu chí (94,1%); 55,8/57 chỉ tiêu (97,8%)." in text
    assert "cơ bản đạt chuẩn (đạt từ 15/19 tiêu chí, ngưỡng minh hoạ): 5/8 xã (62,5%)" in text
    basic = next(s for s in json.loads(_report("--format", "json"))["sets"] if s["code"] == BASIC)
    assert basic["average_criteria"] == 17.9
    assert basic["average"]["criteria"] == {
        "sum": 143,
        "count": 8,
        "rule": "one_decimal",
        "value": 17.9,
        "text": "17,9",
    }
    status = next(s for s in basic["statuses"] if s["code"] == "basic")
    assert (status["threshold"], status["count"], status["base_count"], status["base"]) == (15, 5, 8, "pursuing")
    assert status["threshold_illustrative"] is True


def test_the_whole_number_rule_writes_18(demo):
    _quang_ninh_writes(rule="whole")
    assert "có 8 xã đạt bình quân 18/19 tiêu chí (94,1%)" in _report()


def test_the_api_gives_bins_statuses_with_codes_and_base_and_the_average(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    data = client.get("/api/v1/units/dam-ha/summary/?date=2022-08-19").json()
    basic = next(s for s in data["sets"] if s["code"] == BASIC)
    assert basic["average_criteria"] == 17.87
    assert basic["average"]["criteria"] == {
        "sum": 143,
        "count": 8,
        "rule": "truncate2",
        "value": 17.87,
        "text": "17,87",
    }
    assert [(b["bin"], b["count"], b["base_count"]) for b in basic["distribution"]] == [
        ("19", 3, 8),
        ("15-18", 5, 8),
        ("10-14", 0, 8),
        ("5-9", 0, 8),
        ("0-4", 0, 8),
    ]
    assert basic["distribution"][0]["units"] == ["xa-dam-ha", "xa-quang-tan", "xa-tan-lap"]
    statuses = {s["code"]: s for s in basic["statuses"]}
    assert list(statuses) == ["standard_met", "basic", "recognised", "not_maintained"]
    assert statuses["basic"]["count"] is None and statuses["basic"]["threshold"] is None
    assert (statuses["standard_met"]["count"], statuses["standard_met"]["percent"]) == (3, 37.5)
    advanced = next(s for s in data["sets"] if s["code"] == "xa-ntm-nang-cao-2021-2025")
    kept = next(s for s in advanced["statuses"] if s["code"] == "not_maintained")
    assert (kept["count"], kept["base"], kept["base_count"]) == (0, "recognised", 1)


def test_the_overview_shows_the_distribution_and_statuses_over_their_base(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/?unit=dam-ha&date=2022-08-19").content.decode()
    block = page.split(f'data-testid="distribution-{BASIC}"', 1)[1].split("</table>", 2)
    assert '<td>đạt 15-18 tiêu chí</td><td class="num">5/8</td><td class="num">62,5%</td>' in block[0]
    assert "Tỷ lệ trên tổng số 8 xã thực hiện bộ tiêu chí." in block[0]
    assert 'data-status="not_maintained"' in block[1]
    averages = page.split(f'data-testid="averages-{BASIC}">', 1)[1].split("</p>", 1)[0]
    assert "<strong>17,87</strong> tiêu chí/xã = 143 / 8" in averages
    assert "Hai chữ số thập phân, bỏ phần sau (17,87)" in averages


def test_the_brief_gives_the_bins_and_statuses_without_repeating_the_names(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bao-cao-nhanh/?unit=dam-ha&date=2022-08-19").content.decode()
    assert page.count('data-testid="standing"') == 3  # the three commune sets; not the district's own
    assert (
        "Phân theo số tiêu chí đạt (trên tổng số 8 xã): đạt 19 tiêu chí: 3 xã; đạt 15-18 tiêu chí: 5 xã; "
        "đạt 10-14 tiêu chí: 0; đạt 5-9 tiêu chí: 0; dưới 5 tiêu chí: 0." in page
    )
    workbook = load_workbook(BytesIO(client.get("/bao-cao-nhanh/xlsx/?unit=dam-ha&date=2022-08-19").content))
    summary_cells = [row[0] for row in workbook["Tóm tắt"].iter_rows(values_only=True)]
    assert any(str(c).startswith("Số xã đạt đủ 19/19 tiêu chí: 3/8 xã (37,5%)") for c in summary_cells)


def test_the_exports_carry_the_sums_counts_rule_and_a_distribution_sheet(demo):
    _quang_ninh_writes(threshold=15, illustrative=False)
    workbook = load_workbook(BytesIO(summary_export(unit=demo["dam-ha"], as_of=MEETING, fmt="xlsx")))
    sets = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    header, basic = sets[0], next(r for r in sets if r[0] == BASIC)
    row = dict(zip(header, basic))
    assert row["Bình quân tiêu chí đạt"] == 17.87 and row["Số đơn vị"] == 8
    assert row["Tổng số tiêu chí đạt của các đơn vị"] == 143
    assert row["Tổng số chỉ tiêu đạt của các đơn vị"] == 446
    assert row["Cách viết số bình quân"] == "hai chữ số thập phân, bỏ phần sau"
    assert (row["Ngưỡng cơ bản đạt chuẩn (số tiêu chí)"], row["Số đơn vị cơ bản đạt chuẩn"]) == (15, 5)
    rows = [r for r in workbook["Phân theo số tiêu chí đạt"].iter_rows(values_only=True) if r[0] == BASIC]
    assert rows[1][:7] == (BASIC, "Số tiêu chí đạt", "đạt 15-18 tiêu chí", 5, 8, "đơn vị thực hiện (xã)", 62.5)
    csv = summary_export(unit=demo["dam-ha"], as_of=MEETING, fmt="csv").decode("utf-8-sig")
    assert "143" in csv.splitlines()[1].split(",")


# --- The settings page ------------------------------------------------------------------------------


@pytest.fixture
def province_staff(demo):
    return account_create(
        username="bcd_tinh",
        password="x",
        role=Role.DISTRICT_STAFF,
        unit=AdministrativeUnit.objects.get(code="quang-ninh"),
    )


def _form(**fields):
    basic = CriteriaSet.objects.get(code=BASIC)
    return {"average_rule": "", f"basic_{basic.pk}": "", **fields}


def test_province_staff_set_their_provinces_rule_and_threshold(province_staff, client):
    client.force_login(province_staff)
    assert client.get("/cach-viet-bao-cao/").url == "/cach-viet-bao-cao/quang-ninh/"
    basic = CriteriaSet.objects.get(code=BASIC)
    response = client.post(
        "/cach-viet-bao-cao/quang-ninh/",
        {"average_rule": "one_decimal", f"basic_{basic.pk}": "15", "is_illustrative": "on"},
    )
    assert response.status_code == 302
    settings = ReportSettings.objects.get(unit__code="quang-ninh")
    assert (settings.average_rule, settings.is_illustrative) == ("one_decimal", True)
    assert list(settings.basic_thresholds.values_list("criteria_set__code", "min_criteria")) == [(BASIC, 15)]
    assert "17,9/19" in _report()
    # Blank again: the status is no longer reported.
    client.post("/cach-viet-bao-cao/quang-ninh/", {"average_rule": "", f"basic_{basic.pk}": ""})
    assert not BasicStandardThreshold.objects.exists()
    assert "17,87/19" in _report()


@pytest.mark.parametrize(
    "value, message", [("19", "nhỏ hơn số tiêu chí của bộ (19)"), ("0", "từ 1 tiêu chí"), ("mười", "số nguyên")]
)
def test_a_bad_threshold_is_refused_in_vietnamese_and_nothing_is_saved(province_staff, client, value, message):
    client.force_login(province_staff)
    response = client.post(
        "/cach-viet-bao-cao/quang-ninh/", _form(**{f"basic_{CriteriaSet.objects.get(code=BASIC).pk}": value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportSettings.objects.exists()


@pytest.mark.parametrize("username", ["bcd", "lanhdao", "xa_quangtan"])
def test_district_staff_leaders_and_officers_cannot_change_a_provinces_settings(demo_accounts, client, username):
    client.force_login(demo_accounts[username])
    assert client.post("/cach-viet-bao-cao/quang-ninh/", _form(average_rule="whole")).status_code == 403
    assert not ReportSettings.objects.exists()


def test_the_set_list_offers_the_settings_only_to_those_who_may_change_them(demo_accounts, province_staff, client):
    client.force_login(demo_accounts["bcd"])
    assert "/cach-viet-bao-cao/" not in client.get("/bo-tieu-chi/").content.decode()
    client.force_login(province_staff)
    assert "/cach-viet-bao-cao/" in client.get("/bo-tieu-chi/").content.decode()


def test_administrators_set_any_provinces_settings_but_never_a_districts(demo, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", password="x"))
    assert client.post("/cach-viet-bao-cao/quang-ninh/", _form(average_rule="whole")).status_code == 302
    assert ReportSettings.objects.get().unit.code == "quang-ninh"
    assert client.post("/cach-viet-bao-cao/dam-ha/", _form(average_rule="whole")).status_code == 403
    assert ReportSettings.objects.count() == 1
