"""A large subtree's overview and brief: one row per unit one level down, with links, cached as HTML."""

import csv
import io
import json
import re

import pytest
from django.core.cache import cache

from accounts.services import account_create
from criteria.models import CriteriaSet, Enrolment, Indicator
from records.models import AchievementRecord
from reports.engine import summarise
from reports.exports import summary_export
from reports.models import BasicStandardThreshold, ReportSettings
from shared.formatting import vi_number
from tests.factories import (
    DISTRICT_DAY,
    DISTRICT_EARLIER,
    CommuneFactory,
    DistrictFactory,
    ProvinceFactory,
    build_set,
)

pytestmark = pytest.mark.django_db


def _province(districts, per_district):
    """A province of `districts` districts of `per_district` communes; commune k of a district
    misses indicator 1.1 when k is odd (on both dates), and its leader `tinh`."""
    province = ProvinceFactory(code="tinh-thu", name="Thử")
    criteria_set = build_set([2, 1], code="bo-thu", name="Bộ tiêu chí thử")
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set))
    records = []
    for d in range(districts):
        district = DistrictFactory(parent=province, code=f"huyen-{d}", name=f"Huyện số {d}")
        communes = [
            CommuneFactory(parent=district, code=f"xa-{d}-{k:03d}", name=f"Xã {d}-{k}") for k in range(per_district)
        ]
        Enrolment.objects.bulk_create(Enrolment(unit=c, criteria_set=criteria_set) for c in communes)
        for k, commune in enumerate(communes):
            for day in (DISTRICT_EARLIER, DISTRICT_DAY):
                for indicator in indicators:
                    met = not (k % 2 and indicator.code == "1.1")
                    records.append(
                        AchievementRecord(
                            unit=commune, indicator=indicator, as_of=day, value_bool=met, is_met=met, status="verified"
                        )
                    )
    AchievementRecord.objects.bulk_create(records)
    return province, account_create(username="tinh", password="x", role="leader", unit=province)


@pytest.fixture
def small_threshold(settings):
    settings.NTM_PER_UNIT_MAX_UNITS = 20


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _rows(html, code="bo-thu"):
    table = re.search(rf'<table data-testid="children-{code}">(.*?)</table>', html, re.S).group(1)
    return re.findall(
        r'<tr><td><a href="([^"]+)">([^<]+)</a></td><td class="num">([^<]+)</td>\s*<td class="num">([^<]+)</td>', table
    )


def test_a_large_province_shows_a_row_per_district_with_the_districts_figures(small_threshold, client):
    province, user = _province(3, 9)
    client.force_login(user)
    html = _page(client, f"/?unit={province.code}")

    rows = _rows(html)
    assert [name for _, name, _, _ in rows] == ["Huyện Huyện số 0", "Huyện Huyện số 1", "Huyện Huyện số 2"]
    for url, _name, units, average in rows:
        code = re.search(r"unit=([\w-]+)", url).group(1)
        (s,) = summarise(province.__class__.objects.get(code=code), DISTRICT_DAY).sets
        assert units == str(s.unit_count) == "9"
        assert average.startswith(f"{vi_number(s.average_criteria)}/2")
    assert "chart-heatmap" not in html  # no heatmap of 27 communes
    assert "Xã 0-1<" not in html  # nor a row per commune


def test_a_districts_row_leads_to_its_overview_which_shows_its_communes(small_threshold, client):
    province, user = _province(3, 9)
    client.force_login(user)
    url = _rows(_page(client, f"/?unit={province.code}"))[0][0].replace("&amp;", "&")
    html = _page(client, url)
    assert "Huyện Huyện số 0" in html
    assert "chart-heatmap-bo-thu" in html  # 9 communes: the heatmap per commune
    assert "Xã 0-1<" in html


@pytest.mark.parametrize("per_district", [8, 40])
def test_a_large_overview_costs_the_same_queries_whatever_the_number_of_communes(
    small_threshold, client, django_assert_num_queries, per_district
):
    province, user = _province(3, per_district)
    client.force_login(user)
    # session, user, profile, its unit, the unit asked for, report dates, units under it (per child?),
    # rollup: sets, indicators, counts per child, per indicator and per date (one statement), child
    # units; succession links for the series-break note; unit picker
    with django_assert_num_queries(13):
        html = _page(client, f"/?unit={province.code}")
    assert len(_rows(html)) == 3


def test_the_nation_rows_are_the_provinces_and_their_links_open_the_province(small_threshold, client):
    from communes.models import Kind
    from tests.factories import UnitFactory

    nation = UnitFactory(kind=Kind.COUNTRY, code="vn", name="Việt Nam")
    province, _ = _province(3, 9)
    province.parent = nation
    province.save()
    from communes.services import unit_paths_rebuild

    unit_paths_rebuild()
    admin = account_create(username="tw", password="x", role="leader", unit=nation)
    client.force_login(admin)
    ((url, name, units, _),) = _rows(_page(client, "/?unit=vn"))
    assert (name, units) == ("Tỉnh Thử", "27")
    assert "unit=tinh-thu" in url
    assert len(_rows(_page(client, url.replace("&amp;", "&")))) == 3


def _chart(html):
    return json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S).group(1))


def test_large_brief_shows_a_row_per_district(small_threshold, client):
    province, user = _province(3, 9)
    client.force_login(user)
    html = _page(client, f"/bao-cao-nhanh/?unit={province.code}")
    assert "Huyện Huyện số 2" in html
    assert "Xã 0-1<" not in html
    assert len(_chart(html)["bars"][0]["units"]) == 3
    # One section starts a printed page after the tables (brief.css): the due plan items follow
    # the indicators least often met instead of printing alone on a page of their own.
    assert html.count('class="brief-gaps"') == 1
    assert html.index("Chỉ tiêu chưa đạt nhiều nhất") < html.index('data-testid="due-items"')


class TestCache:
    @pytest.fixture(autouse=True)
    def caching_on(self, settings):
        settings.NTM_CACHE_SUMMARIES = True
        cache.clear()

    def test_a_cached_overview_costs_fewer_queries_and_shows_the_same_figures(
        self, small_threshold, client, django_assert_max_num_queries
    ):
        province, user = _province(3, 9)
        client.force_login(user)
        first = _page(client, f"/?unit={province.code}")
        # session, user, profile, its unit, the unit asked for, data version (report dates),
        # data version (figures), unit picker: no engine query
        with django_assert_max_num_queries(8):
            again = _page(client, f"/?unit={province.code}")
        assert _rows(again) == _rows(first)

    def test_a_record_write_shows_at_once_on_the_cached_overview(self, small_threshold, client):
        province, user = _province(3, 9)
        client.force_login(user)
        before = _rows(_page(client, f"/?unit={province.code}"))
        # Every commune of district 0 now meets indicator 1.1: its average rises from 1,55 to 2.
        AchievementRecord.objects.filter(unit__parent__code="huyen-0", as_of=DISTRICT_DAY).update(
            is_met=True, value_bool=True
        )
        after = _rows(_page(client, f"/?unit={province.code}"))
        assert before != after
        assert after[0][1] == "Huyện Huyện số 0"
        assert after[0][3].startswith("2/2")

    def test_the_cached_figures_follow_the_language(self, small_threshold, client):
        province, user = _province(3, 9)
        client.force_login(user)
        vi = _page(client, f"/?unit={province.code}")
        client.cookies["django_language"] = "en"
        en = _page(client, f"/?unit={province.code}")
        assert "Bình quân tiêu chí" in vi and "Average criteria" not in vi
        assert "Average criteria" in en

    def test_a_cached_brief_reads_no_figures_and_follows_a_write(
        self, small_threshold, client, django_assert_max_num_queries
    ):
        province, user = _province(3, 9)
        client.force_login(user)
        url = f"/bao-cao-nhanh/?unit={province.code}"
        first = _page(client, url)
        # session, user, profile, its unit, the unit asked for, data version (report dates), due
        # plan items, data version (figures), unit picker: no engine query
        with django_assert_max_num_queries(9):
            again = _page(client, url)
        assert _brief_rows(again) == _brief_rows(first)
        AchievementRecord.objects.filter(unit__parent__code="huyen-0", as_of=DISTRICT_DAY).update(
            is_met=True, value_bool=True
        )
        assert _brief_rows(_page(client, url)) != _brief_rows(first)

    def test_a_province_changing_its_rule_sees_it_at_once_on_the_cached_per_child_pages(self, small_threshold, client):
        province, user = _one_decimal_province()
        client.force_login(user)
        overview, brief = f"/?unit={province.code}", f"/bao-cao-nhanh/?unit={province.code}"
        assert _rows(_page(client, overview))[0][3].startswith("1,6/2")
        assert _brief_rows(_page(client, brief))[0][2] == "1,6/2"
        ReportSettings.objects.filter(unit=province).update(average_rule="truncate2")
        assert _rows(_page(client, overview))[0][3].startswith("1,55/2")
        assert _brief_rows(_page(client, brief))[0][2] == "1,55/2"


def _brief_rows(html):
    return re.findall(r"<tr><td>(Huyện [^<]+)</td><td class=\"num\">(\d+)</td><td class=\"num\">([^<]+)</td>", html)


def _one_decimal_province(per_district=9, threshold=1):
    """`_province(3, per_district)` writing one decimal, with cơ bản đạt chuẩn from `threshold`
    criteria. Per district of 9: five communes meet both criteria, four only the second (14/9 =
    1,555… criteria: 1,6 at one decimal; 1,55 truncated); the province 42/27."""
    province, user = _province(3, per_district)
    written = ReportSettings.objects.create(unit=province, average_rule="one_decimal")
    BasicStandardThreshold.objects.create(
        settings=written, criteria_set=CriteriaSet.objects.get(code="bo-thu"), min_criteria=threshold
    )
    return province, user


def _cells(html, testid):
    table = re.search(rf'<table[^>]*data-testid="{testid}">(.*?)</table>', html, re.S).group(1)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def test_a_province_writing_one_decimal_sees_one_decimal_on_its_per_child_overview(small_threshold, client):
    province, user = _one_decimal_province()
    client.force_login(user)
    html = _page(client, f"/?unit={province.code}")

    assert [average for _, _, _, average in _rows(html)] == ["1,6/2 (77,8%)"] * 3
    footer = _cells(html, "children-bo-thu")[-1]
    assert footer[:3] == ["Tỉnh Thử", "27", "1,6/2 (77,8%)"]
    averages = html.split('data-testid="averages-bo-thu">', 1)[1].split("</p>", 1)[0]
    assert "<strong>1,6</strong> tiêu chí/xã = 42 / 27" in averages
    assert "Một chữ số thập phân, làm tròn (17,9)" in averages


def test_the_per_child_overview_gives_the_whole_units_bins_and_statuses_over_their_base(small_threshold, client):
    province, user = _one_decimal_province()
    client.force_login(user)
    html = _page(client, f"/?unit={province.code}")

    card = html.split('data-testid="distribution-bo-thu"', 1)[1]
    bins, statuses = card.split("</table>", 2)[:2]
    assert "Tỷ lệ trên tổng số 27 xã thực hiện bộ tiêu chí." in bins
    assert '<td>đạt 2 tiêu chí</td><td class="num">15/27</td><td class="num">55,6%</td></tr>' in bins
    assert '<td>dưới 2 tiêu chí</td><td class="num">12/27</td><td class="num">44,4%</td></tr>' in bins
    assert "Cơ bản đạt chuẩn (đạt từ 1/2 tiêu chí, ngưỡng của tỉnh)" in statuses
    assert '<td class="num">12/27</td>\n      <td>27 xã thực hiện</td>' in statuses
    assert "Xã 0-1" not in card  # counted, not named: the note says where the names are
    assert "nên không liệt kê tên từng xã" in card
    # Per district: the bins, then đạt đủ, cơ bản đạt chuẩn, recognised, recognised but not maintaining.
    rows = _cells(html, "children-standing-bo-thu")
    assert rows[0][2:] == ["đạt 2 tiêu chí", "dưới 2 tiêu chí"] + [
        "Đạt đủ 2/2 tiêu chí",
        "Cơ bản đạt chuẩn (đạt từ 1/2 tiêu chí, ngưỡng của tỉnh)",
        "Đã được công nhận đạt chuẩn",
        "Đã được công nhận nhưng chưa duy trì chuẩn",
    ]
    assert [row[1:] for row in rows[1:4]] == [["9", "5", "4", "5", "4", "0", "0"]] * 3
    assert rows[-1] == ["Tỉnh Thử", "27", "15", "12", "15", "12", "0", "0"]


def test_a_province_writing_one_decimal_sees_one_decimal_on_its_per_child_brief(small_threshold, client):
    province, user = _one_decimal_province()
    client.force_login(user)
    html = _page(client, f"/bao-cao-nhanh/?unit={province.code}")

    assert [average for _, _, average in _brief_rows(html)] == ["1,6/2"] * 3
    rows = _cells(html, "brief-children-bo-thu")
    assert rows[-1] == ["Bình quân", "27", "1,6/2", "2,6/3", "15", "12", "0", "0"]
    standing = html.split('data-testid="standing">', 1)[1].split("</p>", 1)[0]
    assert "Phân theo số tiêu chí đạt (trên tổng số 27 xã): đạt 2 tiêu chí: 15 xã; dưới 2 tiêu chí: 12 xã." in standing
    assert "cơ bản đạt chuẩn (đạt từ 1/2 tiêu chí, ngưỡng của tỉnh): 12/27 xã (44,4%)" in standing
    assert "nên không liệt kê tên từng xã" in html


def test_the_export_and_api_of_a_one_decimal_province_carry_the_sum_and_count(small_threshold, client):
    province, user = _one_decimal_province()
    client.force_login(user)
    data = client.get(f"/api/v1/units/{province.code}/summary/?date={DISTRICT_DAY.isoformat()}").json()
    (s,) = data["sets"]
    assert data["rows"] == "children"
    assert s["average"]["criteria"] == {"sum": 42, "count": 27, "rule": "one_decimal", "value": 1.6, "text": "1,6"}
    assert s["average_criteria"] == 1.6
    child = s["children"][0]
    assert (child["criteria_met_sum"], child["unit_count"], child["average_criteria"]) == (14, 9, 1.6)
    assert child["average"]["criteria"]["sum"] == 14

    text = summary_export(unit=province, as_of=DISTRICT_DAY, fmt="csv").decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))[:2]
    values = dict(zip(header, row, strict=True))
    assert values["Bình quân tiêu chí đạt"] == "1,6"
    assert values["Tổng số tiêu chí đạt của các đơn vị"] == "42"
    assert values["Số đơn vị"] == "27"
