"""A large subtree's overview and brief: one row per unit one level down, with links, cached as HTML."""

import json
import re

import pytest
from django.core.cache import cache

from accounts.services import account_create
from criteria.models import Enrolment, Indicator
from records.models import AchievementRecord
from reports.engine import summarise
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


def _brief_rows(html):
    return re.findall(r"<tr><td>(Huyện [^<]+)</td><td class=\"num\">(\d+)</td><td class=\"num\">([^<]+)</td>", html)
