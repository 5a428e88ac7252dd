"""The Quảng Ninh 2026 demo (`load_demo --scenario quang-ninh-2026`): the old Đầm Hà units end on
1/7/2025, the two new communes pursue the 2026-2030 set, and no report mixes the two sides."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Enrolment, Indicator, Recognition
from devdata.demo import REFORM
from devdata.quang_ninh_2026 import (
    NEW_COMMUNES,
    NEW_SET,
    OFFICIAL_CODES,
    RECORD_NOTE,
    load_quang_ninh_2026,
    load_quang_ninh_2026_accounts,
)
from records.models import AchievementRecord, RecordStatus, ReportingRound
from reports.engine import summarise

pytestmark = pytest.mark.django_db

NEW = ["xa-dam-ha-2025", "xa-quang-tan-2025"]
OLD = [
    "dam-ha",
    "tt-dam-ha",
    "xa-dai-binh",
    "xa-dam-ha",
    "xa-duc-yen",
    "xa-quang-an",
    "xa-quang-lam",
    "xa-quang-tan",
    "xa-tan-binh",
    "xa-tan-lap",
]
LATER = date(2026, 11, 30)
BEFORE_REFORM = date(2025, 6, 30)
# The committee's figures of 19/08/2022, as `ntm_report` writes them.
MEETING_FIGURES = [
    "17,87/19 tiêu chí (94,1%); 55,75/57 chỉ tiêu",
    "15,16/19 tiêu chí (79,8%); 69,16/75 chỉ tiêu",
    "2/4 tiêu chí (50%); 5/10 chỉ tiêu",
    "huyện Đầm Hà đạt 7/9 tiêu chí (77,8%); 33/38 chỉ tiêu",
]


@pytest.fixture
def quang_ninh():
    load_quang_ninh_2026()
    users = {u.username: u for u in load_quang_ninh_2026_accounts()}
    return users


def _snapshot():
    """Everything the scenario writes, keyed by codes and dates rather than ids, with versions
    and audit-trail rows (a second load must add neither)."""
    return (
        sorted(AdministrativeUnit.objects.values_list("code", "parent__code", "kind", "valid_from", "valid_to")),
        sorted(AdministrativeUnit.objects.filter(successors__isnull=False).values_list("code", "successors__code")),
        sorted(Enrolment.objects.values_list("unit__code", "criteria_set__code", "commune_group", "note")),
        sorted(
            AchievementRecord.objects.values_list(
                "unit__code",
                "indicator__code",
                "indicator__criterion__criteria_set__code",
                "as_of",
                "is_met",
                "version",
            )
        ),
        AchievementRecord.history.count(),
        sorted(ReportingRound.objects.values_list("unit__code", "as_of", "name")),
        sorted(Indicator.objects.values_list("criterion__criteria_set__code", "code")),
        sorted(Recognition.objects.values_list("unit__code", "criteria_set__code")),
    )


def _ntm_report(*args):
    out = StringIO()
    call_command("ntm_report", *args, stdout=out)
    return out.getvalue()


def test_the_scenario_loads_on_an_empty_database_with_the_new_communes_under_the_province():
    assert not AdministrativeUnit.objects.exists()
    load_quang_ninh_2026()

    province = AdministrativeUnit.objects.get(code="quang-ninh")
    new = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=NEW)}
    assert {(u.parent_id, u.valid_from, u.valid_to) for u in new.values()} == {(province.pk, REFORM, None)}
    for code, _name, predecessors in NEW_COMMUNES:
        assert sorted(new[code].predecessors.values_list("code", flat=True)) == sorted(predecessors)
    assert set(OFFICIAL_CODES) == set(NEW)
    # Every old unit ends on the reform date, and each went into exactly one new commune.
    old = AdministrativeUnit.objects.filter(code__in=OLD)
    assert {u.code: u.valid_to for u in old} == dict.fromkeys(OLD, REFORM)
    for unit in old.exclude(code="dam-ha"):
        assert unit.successors.filter(code__in=NEW).count() == 1, unit.code


def test_the_new_communes_pursue_the_2026_2030_set_with_illustrative_groups_and_records():
    load_quang_ninh_2026()

    enrolments = Enrolment.objects.filter(criteria_set__code=NEW_SET).select_related("unit")
    assert sorted(e.unit.code for e in enrolments) == NEW
    assert all(e.commune_group in (1, 2, 3) and "minh hoạ" in e.note for e in enrolments)
    criteria_set = CriteriaSet.objects.get(code=NEW_SET)
    assert criteria_set.is_illustrative and "minh hoạ" in criteria_set.note
    assert Indicator.objects.filter(criterion__criteria_set=criteria_set).count() == 47
    assert all(
        not name
        for name in Indicator.objects.filter(criterion__criteria_set=criteria_set).values_list("name", flat=True)
    )

    records = AchievementRecord.objects.filter(indicator__criterion__criteria_set=criteria_set)
    assert records.count() == 2 * 2 * 47
    assert set(records.values_list("status", "note", "version")) == {(RecordStatus.VERIFIED, RECORD_NOTE, 1)}
    assert "minh hoạ" in RECORD_NOTE
    assert set(records.values_list("as_of", flat=True)) == {date(2026, 6, 30), LATER}
    assert all(
        "minh hoạ" in name
        for name in ReportingRound.objects.filter(unit__code="quang-ninh").values_list("name", flat=True)
    )


def test_loading_twice_gives_the_same_data(settings):
    settings.DEBUG = True
    call_command("load_demo", "--scenario", "quang-ninh-2026", stdout=StringIO())
    first = _snapshot()
    users = sorted(get_user_model().objects.values_list("username", "email", "profile__role", "profile__unit__code"))
    call_command("load_demo", "--scenario", "quang-ninh-2026", stdout=StringIO())
    assert _snapshot() == first
    assert (
        sorted(get_user_model().objects.values_list("username", "email", "profile__role", "profile__unit__code"))
        == users
    )
    assert len(users) == 7


def test_the_meeting_figures_of_2022_are_unchanged_after_loading_both_scenarios(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", "--scenario", "dam-ha-2022", "--scenario", "quang-ninh-2026", stdout=out)
    assert "bcd_tinh" in out.getvalue() and "xa_quangtan" in out.getvalue()

    report = _ntm_report("--as-of", "2022-08-19", "--unit", "dam-ha")
    for figures in MEETING_FIGURES:
        assert figures in report
    # Before the reform the province's figures are the old units' (their latest records, of 2022).
    assert all(figures in _ntm_report("--as-of", "2025-06-30", "--unit", "quang-ninh") for figures in MEETING_FIGURES)


def test_after_the_reform_the_province_counts_only_the_new_communes(quang_ninh):
    summary = summarise(AdministrativeUnit.objects.get(code="quang-ninh"), LATER)
    assert [s.criteria_set.code for s in summary.sets] == [NEW_SET]
    assert sorted(u.unit.code for u in summary.sets[0].units) == NEW
    assert "có 2 xã đạt bình quân 8,5/10 tiêu chí (85%); 45,5/47 chỉ tiêu (96,8%)" in _ntm_report(
        "--as-of", "2026-11-30", "--unit", "quang-ninh"
    )


def _unit_links(response):
    return set(re.findall(r'href="/don-vi/([-\w]+)/', response.content.decode()))


def test_the_province_overview_shows_the_new_communes_after_the_reform_and_the_old_units_before(client, quang_ninh):
    client.force_login(quang_ninh["bcd_tinh"])

    after = client.get("/", {"unit": "quang-ninh", "date": "2026-11-30"})
    before = client.get("/", {"unit": "quang-ninh", "date": "2025-06-30"})

    assert after.status_code == before.status_code == 200
    assert _unit_links(after) == set(NEW)
    assert _unit_links(before) == set(OLD) - {"tt-dam-ha"}  # the town pursues no set
    # The series break: the 2021-2025 series end with the old units, the 2026-2030 one starts afresh.
    trend = {s["name"]: s["x"] for s in _chart_data(after)["trend"]["series"]}
    assert trend.pop("Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026-2030") == ["30/06/2026", "30/11/2026"]
    assert len(trend) == 4 and all(x == ["31/12/2021", "19/08/2022"] for x in trend.values())
    # ... and the page says so, naming the date and both sides.
    note = after.content.decode().split('data-testid="series-break"', 1)[1].split("</p>", 1)[0]
    assert "Chuỗi số liệu ngắt ngày 01/07/2025" in note
    assert "xã Tân Lập" in note and "thị trấn Đầm Hà" in note and "mới (xã Quảng Tân, xã Đầm Hà)" in note


def _chart_data(response):
    text = response.content.decode()
    return json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', text, re.S)[1])


def test_the_province_brief_answers_with_the_new_communes_and_the_illustrative_mark(client, quang_ninh):
    client.force_login(quang_ninh["bcd_tinh"])

    response = client.get("/bao-cao-nhanh/", {"unit": "quang-ninh", "date": "2026-11-30"})

    assert response.status_code == 200
    assert [s["summary"].criteria_set.code for s in response.context["sets"]] == [NEW_SET]
    assert sorted(u.unit.code for u, _change in response.context["sets"][0]["units"]) == NEW
    text = response.content.decode()
    assert "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026-2030 (*)" in text
    assert "(*) Bộ tiêu chí có số chỉ tiêu minh hoạ, chưa đối chiếu với văn bản chính thức." in text
    assert "Xã Quảng Tân" in text and "Xã Đầm Hà" in text
    before = client.get("/bao-cao-nhanh/", {"unit": "quang-ninh", "date": "2025-06-30"})
    assert {u.unit.code for s in before.context["sets"] for u, _c in s["units"]} == set(OLD) - {"tt-dam-ha"}


def test_the_province_brief_after_the_reform_names_no_old_unit(client, quang_ninh):
    client.force_login(quang_ninh["bcd_tinh"])
    text = client.get("/bao-cao-nhanh/", {"unit": "quang-ninh", "date": "2026-11-30"}).content.decode()
    assert "Tân Lập" not in text


@pytest.mark.parametrize(
    ("username", "own", "other"), [("xa_quangtan_moi", NEW[1], NEW[0]), ("xa_damha_moi", NEW[0], NEW[1])]
)
def test_an_officer_of_a_new_commune_opens_only_their_own_communes_entry_pages(
    client, quang_ninh, username, own, other
):
    client.force_login(quang_ninh[username])

    assert client.get(f"/nhap-lieu/{own}/").status_code == 200
    assert client.get(f"/nhap-lieu/{own}/{NEW_SET}/2/").status_code == 200
    assert client.get(f"/nhap-lieu/{other}/").status_code == 404
    assert client.get(f"/nhap-lieu/{other}/{NEW_SET}/2/").status_code == 404
    for old in ("xa-quang-tan", "xa-dam-ha"):
        assert client.get(f"/nhap-lieu/{old}/").status_code == 404


def test_the_new_communes_carry_their_official_codes_and_dated_lineage(quang_ninh):
    from communes.models import AdministrativeUnit, UnitSuccession

    assert dict(AdministrativeUnit.objects.filter(code__in=NEW).values_list("code", "official_code")) == {
        "xa-quang-tan-2025": "06913",
        "xa-dam-ha-2025": "06895",
    }
    links = UnitSuccession.objects.filter(successor__code__in=NEW)
    assert links.count() == 9
    assert {(link.effective_on, link.share) for link in links} == {(date(2025, 7, 1), "whole")}
    assert all("nguồn thứ cấp" in link.source for link in links)
