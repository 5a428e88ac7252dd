"""Real, incomplete data: every page, export, chart, brief and API endpoint works on the messy
district (tests/messy.py), for every role, and shows the figures an oracle computes here in plain
Python from the rows the district was built with (the oracle never calls reports.engine).

The walk GETs every URL pattern of the project (tests/urlwalk.py) filled with every unit's values
as each role: district staff, a leader, the officer of the commune with gaps, the officer of the
commune with nothing, a superuser. Report pages are also asked for a date before any record, a
date between rounds and the default date, and for each unit. No answer may be a server error.
"""

import csv
import io
import json
import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests import messy
from tests.urlwalk import bindings_from_db, routes, urls_for

ROLES = ["staff", "leader", "officer_gaps", "officer_empty", "admin"]
BEFORE_ANY, BETWEEN_ROUNDS = date(2023, 6, 30), date(2024, 3, 15)
# Report pages and endpoints that read ?date= and ?unit=, walked with each.
REPORT_ROUTES = {
    "reports:overview",
    "reports:unit",
    "brief:page",
    "brief:xlsx",
    "reports:api_summary",
    "reports:api_detail",
    "reports:criteria_sets",
    "reports:criteria_set",
    "io:summary_export",
    "io:records_export",
    "io:index",
    "io:record_template",
    "steering:plans",
    "steering:commune_plan",
    "steering:dossier",
    "steering:dossiers",
    "steering:works",
}
DATE_VARIANTS = [{}, {"date": BEFORE_ANY.isoformat()}, {"date": BETWEEN_ROUNDS.isoformat()}]
# Days the figures are checked on: before any record, each record date, between them, the merger
# day, and after the last.
CHECK_DAYS = [BEFORE_ANY, messy.D1, BETWEEN_ROUNDS, messy.D2, messy.MERGED_ON, messy.D3, date(2025, 6, 30)]
KIND_NAMES = {"tinh": "Tỉnh", "huyen": "Huyện", "xa": "Xã"}


@pytest.fixture
def district(db, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.NTM_IMPORT_TMP_DIR = tmp_path / "uploads"
    return messy.build()


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _walk_paths():
    """Every (route, path) the walk asks for: each pattern filled from every binding, and report
    pages again per date and per unit."""
    unit_codes = sorted(messy.UNITS) + [messy.DISTRICT, messy.PROVINCE]
    paths = []
    bindings = bindings_from_db(per_model=2)
    for route in routes():
        filled = urls_for(route, bindings)
        for path in filled:
            paths.append((route.label, path))
            if route.name in REPORT_ROUTES:
                for variant in DATE_VARIANTS[1:]:
                    paths.append((route.label, f"{path}?date={variant['date']}"))
                if not route.params:
                    for code in unit_codes:
                        for variant in DATE_VARIANTS:
                            query = "&".join(f"{k}={v}" for k, v in {"unit": code, **variant}.items())
                            paths.append((route.label, f"{path}?{query}"))
    return paths


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_without_a_server_error_for_every_role(district, role, capsys):
    client = _client(district.users[role])
    paths = _walk_paths()
    failures = []
    for label, path in paths:
        response = client.get(path)
        if response.status_code >= 500:
            failures.append((response.status_code, label, path))
    with capsys.disabled():
        print(f"\nmessy walk as {role}: {len(paths)} requests, {len({label for label, _ in paths})} routes")
    assert not failures, sorted({(s, label) for s, label, _ in failures})


# The oracle.


def _met(set_code, code, unit_code, value):
    comparator = dict(messy.SETS[set_code][2][int(code.split(".")[0])])[code]
    if comparator is None:
        return value is True
    _name, _kind, region, group, _valid_to = messy.UNITS[unit_code]
    fitting = [
        (bool(r) * 2 + (g is not None), target)
        for r, g, target in messy.THRESHOLDS[(set_code, code)]
        if r in ("", region) and g in (None, group)
    ]
    target = max(fitting)[1]
    number = Decimal(value.replace(",", "."))
    return number >= target if comparator == ">=" else number <= target


def _counted(day, include_submitted):
    """{(unit, set, indicator): value} of the latest counted row dated on or before `day`; on one
    date a submitted correction, written after the verified row, wins."""
    statuses = {"verified", "submitted"} if include_submitted else {"verified"}
    latest = {}
    for order, (unit, set_code, code, when, value, status) in enumerate(messy.RECORDS):
        if status in statuses and when <= day:
            key = (unit, set_code, code)
            if key not in latest or (when, order) > latest[key][0]:
                latest[key] = ((when, order), value)
    return {key: value for key, (_when, value) in latest.items()}


def _valid(code, day):
    valid_to = messy.UNITS[code][4] if code in messy.UNITS else None
    return valid_to is None or valid_to > day


def _under(code):
    if code == messy.PROVINCE:
        return [code, messy.DISTRICT, *messy.UNITS]
    if code == messy.DISTRICT:
        return [code, *messy.UNITS]
    return [code]


def _name(code):
    if code in messy.UNITS:
        return f"Xã {messy.UNITS[code][0]}"
    return {messy.DISTRICT: "Huyện Lộn Xộn", messy.PROVINCE: "Tỉnh Thử"}[code]


def _unit_standing(unit, set_code, counted, day):
    structure = messy.SETS[set_code][2]
    criteria_met = indicators_met = missing = 0
    unmet = []
    for number, indicators in structure.items():
        met_here = 0
        for code, _comparator in indicators:
            if (unit, set_code, code) not in counted:
                missing += 1
            elif _met(set_code, code, unit, counted[(unit, set_code, code)]):
                met_here += 1
        indicators_met += met_here
        if indicators and met_here == len(indicators):
            criteria_met += 1
        else:
            unmet.append(number)
    recognised = any(u == unit and s == set_code and on <= day for u, s, on in messy.RECOGNITIONS)
    return {
        "code": unit,
        "name": _name(unit),
        "criteria_met": criteria_met,
        "indicators_met": indicators_met,
        "indicators_missing": missing,
        "standard_met": criteria_met == len(structure),
        "recognised": recognised,
        "unmet_criteria": unmet,
    }


def _average(total, count):
    return Decimal(math.floor(Fraction(total, count) * 100)) / 100 if count else Decimal(0)


def _percent(part, whole):
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP) if whole else Decimal(0)


def oracle(code, day, include_submitted=False):
    """The summary of `code` and the units under it on `day`, shaped as the API's JSON."""
    counted = _counted(day, include_submitted)
    units = [u for u in _under(code) if _valid(u, day)]
    sets = []
    order = {"basic": 0, "advanced": 1, "model": 2}
    for set_code, (_level, _tier, structure) in sorted(
        messy.SETS.items(), key=lambda s: (s[1][0] != "commune", order[s[1][1]], s[0])
    ):
        enrolled = sorted(u for u, s in messy.ENROLMENTS if s == set_code and u in units)
        if not enrolled:
            continue
        results = [_unit_standing(u, set_code, counted, day) for u in enrolled]
        criteria_total, indicators_total = len(structure), sum(len(i) for i in structure.values())
        criteria_sum = sum(r["criteria_met"] for r in results)
        indicators_sum = sum(r["indicators_met"] for r in results)
        sets.append(
            {
                "code": set_code,
                "name": f"Bộ tiêu chí thử {set_code}",
                "is_illustrative": False,
                "unit_count": len(results),
                "criteria_total": criteria_total,
                "indicators_total": indicators_total,
                "criteria_met_sum": criteria_sum,
                "indicators_met_sum": indicators_sum,
                "indicators_missing_sum": sum(r["indicators_missing"] for r in results),
                "average_criteria": float(_average(criteria_sum, len(results))),
                "average_indicators": float(_average(indicators_sum, len(results))),
                "percent_criteria": float(_percent(criteria_sum, len(results) * criteria_total)),
                "percent_indicators": float(_percent(indicators_sum, len(results) * indicators_total)),
                "units_meeting_standard": sum(r["standard_met"] for r in results),
                "units_recognised": sum(r["recognised"] for r in results),
                "units": results,
            }
        )
    return {"unit": {"code": code, "name": _name(code)}, "as_of": day.isoformat(), "sets": sets}


def _vi(number):
    """17.87 -> '17,87', 2.0 -> '2' (no grouping needed for these small figures)."""
    text = f"{Decimal(str(number)):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def paragraph(code, s):
    """The committee's sentence for one set, written from the oracle's numbers."""
    noun = "huyện" if messy.SETS[s["code"]][0] == "district" else "xã"
    figures = (
        f"{_vi(s['average_criteria'])}/{s['criteria_total']} tiêu chí ({_vi(s['percent_criteria'])}%); "
        f"{_vi(s['average_indicators'])}/{s['indicators_total']} chỉ tiêu ({_vi(s['percent_indicators'])}%)"
    )
    if s["unit_count"] == 1:
        (only,) = s["units"]
        name = only["name"][0].lower() + only["name"][1:]
        text = f"Thực hiện {s['name']}, {name} đạt {figures}."
        text += (
            " Đã đạt đủ tiêu chí."
            if only["standard_met"]
            else f" Còn {s['criteria_total'] - only['criteria_met']} tiêu chí chưa đạt."
        )
        return text + (" Đã được công nhận đạt chuẩn." if only["recognised"] else "")
    return (
        f"Thực hiện {s['name']}, có {s['unit_count']} {noun} đạt bình quân {figures}. Số {noun} đạt đủ "
        f"{s['criteria_total']}/{s['criteria_total']} tiêu chí: {s['units_meeting_standard']}/{s['unit_count']}; "
        f"đã được công nhận: {s['units_recognised']}."
    )


def test_the_oracle_reads_the_messy_rows_as_the_committee_would(db):
    # xã Đủ meets everything at D2 (2.1 = 60 against the northern mountains' 50), loses 1.1 at D3.
    at_d2 = oracle("xa-du", messy.D2)["sets"][0]["units"][0]
    assert (at_d2["criteria_met"], at_d2["indicators_met"], at_d2["standard_met"]) == (3, 5, True)
    assert oracle("xa-du", messy.D3)["sets"][0]["units"][0]["unmet_criteria"] == [1]
    # xã Thiếu at D2: 1.1 not met (D1), 1.2 met, 2.1 = 65 < 70, 3.1 met, 3.2 = 14 <= group 3's 15.
    thieu = next(u for u in oracle("xa-thieu", messy.D2)["sets"][0]["units"])
    assert (thieu["criteria_met"], thieu["indicators_met"], thieu["indicators_missing"]) == (1, 3, 0)
    with_submitted = oracle("xa-thieu", messy.D2, include_submitted=True)["sets"][0]["units"][0]
    assert with_submitted["indicators_met"] == 2  # the submitted correction of 1.2
    # The district at D3: xã Sáp Nhập has merged; four units pursue the basic set before, three after.
    basic = {d: oracle(messy.DISTRICT, d)["sets"][0]["unit_count"] for d in (messy.D2, messy.D3)}
    assert basic == {messy.D2: 4, messy.D3: 3}
    assert _vi(_average(7, 3)) == "2,33" and _vi(_percent(7, 9)) == "77,8" and _vi(2.0) == "2"


def _summary_units():
    return [messy.PROVINCE, messy.DISTRICT, *sorted(messy.UNITS)]


@pytest.mark.parametrize("include_submitted", [False, True], ids=["verified", "with submitted"])
def test_the_api_summary_and_ntm_report_json_equal_the_oracle_on_every_day(district, include_submitted):
    client = _client(district.users["admin"])
    for code in _summary_units():
        for day in CHECK_DAYS:
            query = {"date": day.isoformat(), **({"submitted": "1"} if include_submitted else {})}
            expected = oracle(code, day, include_submitted)
            api = client.get(reverse("reports:api_summary", args=[code]), query).json()
            assert _committee_figures(api) == expected, (code, day)
            out = io.StringIO()
            flags = ["--include-submitted"] if include_submitted else []
            call_command(
                "ntm_report", "--as-of", day.isoformat(), "--unit", code, "--format", "json", *flags, stdout=out
            )
            assert _committee_figures(json.loads(out.getvalue())) == expected, (code, day)


# The distribution, statuses and averages as provinces write them have their own oracle
# (reports/tests/test_distribution.py); here their sums and counts must be the oracle's.
STANDING_KEYS = ("average", "distribution", "statuses")


def _committee_figures(summary):
    for s in summary["sets"]:
        standing = {key: s.pop(key) for key in STANDING_KEYS}
        assert standing["average"]["criteria"]["sum"] == s["criteria_met_sum"]
        assert standing["average"]["indicators"]["count"] == s["unit_count"]
        assert sum(b["count"] for b in standing["distribution"]) == s["unit_count"]
    return summary


def test_the_overview_and_the_brief_say_the_oracles_paragraphs(district):
    client = _client(district.users["leader"])
    for code in (messy.DISTRICT, "xa-thieu", "xa-trong", "xa-sap-nhap"):
        for day in CHECK_DAYS:
            query = {"unit": code, "date": day.isoformat()}
            expected = [paragraph(code, s) for s in oracle(code, day)["sets"]]
            for name in ("reports:overview", "brief:page"):
                page = client.get(reverse(name), query).content.decode()
                for text in expected:
                    assert text in page, (name, code, day, text)
                if not expected:
                    assert "Thực hiện Bộ tiêu chí" not in page, (name, code, day)


def test_the_summary_exports_hold_the_oracles_figures(district):
    client = _client(district.users["staff"])
    for day in CHECK_DAYS:
        expected = oracle(messy.DISTRICT, day)
        query = {"unit": messy.DISTRICT, "date": day.isoformat()}
        sets_csv = client.get(reverse("io:summary_export", args=["csv"]), query).content.decode("utf-8-sig")
        # The first 13 columns; the sums, rule and statuses after them are tested in reports/tests.
        rows = [row[:13] for row in csv.reader(io.StringIO(sets_csv))][1:]
        assert rows == [
            [
                s["code"],
                s["name"],
                str(s["unit_count"]),
                str(s["criteria_total"]),
                _vi(s["average_criteria"]),
                _vi(s["percent_criteria"]),
                str(s["indicators_total"]),
                _vi(s["average_indicators"]),
                _vi(s["percent_indicators"]),
                str(s["units_meeting_standard"]),
                str(s["units_recognised"]),
                str(s["indicators_missing_sum"]),
                "Không",
            ]
            for s in expected["sets"]
        ], day
        units_csv = client.get(reverse("io:summary_export", args=["csv"]), {**query, "table": "units"}).content.decode(
            "utf-8-sig"
        )
        assert list(csv.reader(io.StringIO(units_csv)))[1:] == [
            [
                s["code"],
                u["code"],
                u["name"],
                str(u["criteria_met"]),
                str(s["criteria_total"]),
                str(u["indicators_met"]),
                str(s["indicators_total"]),
                str(u["indicators_missing"]),
                "Có" if u["standard_met"] else "Không",
                "Có" if u["recognised"] else "Không",
                ", ".join(map(str, u["unmet_criteria"])),
            ]
            for s in expected["sets"]
            for u in s["units"]
        ], day


def _unit_detail(unit, day):
    """Per set the unit pursues: criteria met, indicators met and each indicator's status."""
    counted = _counted(day, False)
    details = {}
    for unit_code, set_code in messy.ENROLMENTS:
        if unit_code != unit:
            continue
        standing = _unit_standing(unit, set_code, counted, day)
        statuses = {}
        for indicators in messy.SETS[set_code][2].values():
            for code, _comparator in indicators:
                value = counted.get((unit, set_code, code))
                statuses[code] = (
                    "missing" if value is None else ("met" if _met(set_code, code, unit, value) else "unmet")
                )
        details[set_code] = (standing, statuses)
    return details


def test_the_unit_page_and_the_api_detail_show_each_indicators_status_including_missing(district):
    client = _client(district.users["staff"])
    for unit in sorted(messy.UNITS) + [messy.DISTRICT]:
        for day in CHECK_DAYS:
            expected = _unit_detail(unit, day)
            page = client.get(reverse("reports:unit", args=[unit]), {"date": day.isoformat()})
            assert page.status_code == 200, (unit, day)
            html = page.content.decode()
            detail = client.get(reverse("reports:api_detail", args=[unit]), {"date": day.isoformat()}).json()
            assert [s["code"] for s in detail["sets"]] == list(expected), (unit, day)
            for shown in detail["sets"]:
                standing, statuses = expected[shown["code"]]
                assert (shown["criteria_met"], shown["indicators_met"]) == (
                    standing["criteria_met"],
                    standing["indicators_met"],
                )
                assert {i["code"]: i["status"] for c in shown["criteria"] for i in c["indicators"]} == statuses
                section = html.split(f'id="{shown["code"]}"', 1)[1].split("</section>", 1)[0]
                criteria_total = len(messy.SETS[shown["code"]][2])
                assert f'<span class="big">{standing["criteria_met"]}/{criteria_total}</span>' in section, (unit, day)
                assert f'<span class="big">{standing["indicators_met"]}/{len(statuses)}</span>' in section, (unit, day)
                missing = sum(s == "missing" for s in statuses.values())
                assert section.count('<span class="status missing">Chưa có số liệu</span>') == missing, (unit, day)
            if not expected:
                assert "chưa đăng ký thực hiện bộ tiêu chí nào" in html


def test_a_dossier_summary_downloads_for_a_unit_that_has_no_dossier_yet(district):
    client = _client(district.users["staff"])
    response = client.get(reverse("steering:dossier_xlsx", args=["xa-trong", messy.BASIC]))
    assert response.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ["Trạng thái", "Chưa đủ điều kiện"] in [[c.value for c in row][:2] for row in sheet.iter_rows()]


def test_an_enrolments_history_opens_in_the_admin(district):
    from criteria.models import Enrolment

    client = _client(district.users["admin"])
    enrolment = Enrolment.objects.order_by("pk").first()
    assert client.get(reverse("admin:criteria_enrolment_history", args=[enrolment.pk])).status_code == 200


QUANG_TAN_PAGES = [
    "/?unit=xa-quang-tan",
    "/don-vi/xa-quang-tan/",
    "/bao-cao-nhanh/?unit=xa-quang-tan",
    "/bao-cao-nhanh/xlsx/?unit=xa-quang-tan",
    "/api/v1/units/xa-quang-tan/summary/",
    "/api/v1/units/xa-quang-tan/detail/",
    "/nhap-lieu/xa-quang-tan/",
    "/nhap-lieu/xa-quang-tan/{set}/17/",
    "/du-lieu/ket-qua/mau/?pair=xa-quang-tan|{set}",
    "/du-lieu/xuat/ket-qua.xlsx?unit=xa-quang-tan",
    "/du-lieu/xuat/tong-hop.csv?unit=xa-quang-tan",
    "/chi-dao/ke-hoach/xa-quang-tan/",
    "/chi-dao/ho-so/xa-quang-tan/{set}/",
    "/chi-dao/ho-so/xa-quang-tan/{set}/tong-hop.xlsx",
    "/",
    "/bao-cao-nhanh/",
]


@pytest.mark.parametrize("username", ["xa_quangtan", "bcd", "lanhdao"])
def test_on_the_demo_without_quang_tans_17_3_every_page_answers_and_shows_it_missing(demo_accounts, username):
    from devdata.demo import ADVANCED, BASIC
    from records.models import AchievementRecord

    AchievementRecord.objects.filter(unit__code="xa-quang-tan", indicator__code="17.3").delete()
    client = _client(demo_accounts[username])
    for set_code in (BASIC, ADVANCED):
        for path in QUANG_TAN_PAGES:
            path = path.format(set=set_code)
            assert client.get(path).status_code == 200, path
        unit_page = client.get("/don-vi/xa-quang-tan/").content.decode()
        section = unit_page.split(f'id="{set_code}"', 1)[1].split("</section>", 1)[0]
        row = section.split("<td>17.3 (Môi trường và an toàn thực phẩm)</td>", 1)[1].split("</tr>", 1)[0]
        assert '<span class="status missing">Chưa có số liệu</span>' in row and "<td>—</td>" in row
        plan = (
            client.get("/chi-dao/ke-hoach/xa-quang-tan/").content.decode().split(f'data-testid="set-{set_code}"', 1)[1]
        )
        assert (
            "<td>17.3 (Môi trường và an toàn thực phẩm)</td>\n        <td>Chưa có số liệu</td>"
            in plan.split("</section>", 1)[0]
        )
    detail = client.get("/api/v1/units/xa-quang-tan/detail/").json()
    assert {
        s["code"]: [i["status"] for c in s["criteria"] for i in c["indicators"] if i["code"] == "17.3"]
        for s in detail["sets"]
        if s["code"] in (BASIC, ADVANCED)
    } == {BASIC: ["missing"], ADVANCED: ["missing"]}
    brief = client.get("/bao-cao-nhanh/?unit=xa-quang-tan").content.decode()
    assert "chưa có số liệu 17.3" in brief
