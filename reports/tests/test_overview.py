import json
import re
from datetime import timedelta

import pytest

from tests.factories import DISTRICT_DAY as DAY

MEETING_FIGURES = ["17,87/19", "55,75/57", "15,16/19", "69,16/75", "2/4", "5/10", "7/9", "33/38"]


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _chart_data(html):
    match = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_anonymous_visitor_is_sent_to_the_login_page(db, client):
    for url in ["/", "/bao-cao-nhanh/", "/don-vi/xa-quang-tan/", "/bo-tieu-chi/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/login/").status_code == 200


def test_login_page_is_vietnamese_and_switches_to_english(db, client):
    assert "Đăng nhập" in client.get("/accounts/login/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page
    assert "Password" in page


def test_overview_shows_every_meeting_figure_for_the_latest_date(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = _page(client, "/")
    assert "19/08/2022" in page
    for figure in MEETING_FIGURES:
        assert figure in page, figure
    assert "94,1%" in page and "97,8%" in page and "79,8%" in page and "92,2%" in page
    assert "có 8 xã đạt bình quân 17,87/19 tiêu chí (94,1%); 55,75/57 chỉ tiêu (97,8%)." in page


def test_overview_offers_the_dates_with_data(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = _page(client, "/")
    assert 'href="?unit=dam-ha&amp;date=2021-12-31"' in page
    assert 'href="?unit=dam-ha&amp;date=2022-08-19" aria-current="true"' in page


def test_overview_for_another_date(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = _page(client, "/?date=2021-12-31")
    assert "Tính đến ngày <strong>31/12/2021</strong>" in page
    assert "15,87/19" in page


def test_overview_marks_illustrative_sets(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = _page(client, "/")
    assert page.count('class="card headline is-illustrative"') == 3
    assert "chưa đối chiếu với văn bản chính thức" in page


def test_overview_charts_get_the_engines_figures(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    data = _chart_data(_page(client, "/"))
    basic = next(s for s in data["sets"] if s["code"] == "xa-ntm-2021-2025")
    assert basic["bar"]["total"] == 19
    assert sorted(basic["bar"]["values"], reverse=True) == basic["bar"]["values"]
    assert sum(basic["bar"]["values"]) == 143
    assert basic["unmet"]["labels"][0] == "17.7 (Môi trường và an toàn thực phẩm)"
    assert basic["unmet"]["texts"][0] == "2/8"
    assert [line["x"] for line in data["trend"]["series"]][0] == ["31/12/2021", "19/08/2022"]
    assert data["trend"]["series"][0]["labels"][-1] == "17,87/19 tiêu chí (94,1%)"


def test_heatmap_cells_link_to_the_communes_criterion(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = _page(client, "/")
    data = _chart_data(page)
    basic = next(s for s in data["sets"] if s["code"] == "xa-ntm-2021-2025")
    row = basic["heatmap"]["units"].index("Xã Đại Bình")
    assert basic["heatmap"]["text"][row][12] == "Chưa đạt"
    assert basic["heatmap"]["urls"][row][12] == "/don-vi/xa-dai-binh/?date=2022-08-19#xa-ntm-2021-2025-tc-13"
    assert 'href="/don-vi/xa-dai-binh/?date=2022-08-19#xa-ntm-2021-2025-tc-13"' in page


def test_charts_name_criteria_and_indicators_instead_of_bare_codes(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = _page(client, "/")
    basic = next(s for s in _chart_data(page)["sets"] if s["code"] == "xa-ntm-2021-2025")
    assert basic["heatmap"]["criteria"][12] == "13. Tổ chức sản xuất và phát triển kinh tế nông thôn"
    assert not any(c.startswith("TC") for c in basic["heatmap"]["criteria"])
    assert basic["unmet"]["labels"][:2] == [
        "17.7 (Môi trường và an toàn thực phẩm)",
        "3.1 (Thủy lợi và phòng, chống thiên tai)",
    ]
    assert 'title="13. Tổ chức sản xuất và phát triển kinh tế nông thôn: ' in page  # the table's cells


def test_every_heatmap_cell_carries_its_mark_so_it_reads_without_colour(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    data = _chart_data(_page(client, "/"))
    basic = next(s for s in data["sets"] if s["code"] == "xa-ntm-2021-2025")["heatmap"]
    marks = {"Đạt": "✓", "Chưa đạt": "✗", "Chưa có số liệu": "?"}
    row = basic["units"].index("Xã Đại Bình")
    assert basic["marks"][row][12] == "✗"
    assert [[marks[t] for t in line] for line in basic["text"]] == basic["marks"]


def test_overview_refuses_a_unit_outside_the_users_scope(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    assert client.get("/?unit=xa-tan-lap").status_code == 404
    assert client.get("/?unit=dam-ha").status_code == 404
    assert client.get("/?unit=xa-quang-tan").status_code == 200


@pytest.mark.parametrize("bad", ["hôm-nay", "2022-02-30"])
def test_overview_with_a_malformed_date_says_so_in_vietnamese(demo_accounts, client, bad):
    client.force_login(demo_accounts["lanhdao"])
    response = client.get("/", {"date": bad})
    assert response.status_code == 400
    assert f"Ngày không hợp lệ: “{bad}”" in response.content.decode()


def test_user_without_a_unit_is_told_so(db, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("khach", password="x"))
    response = client.get("/")
    assert response.status_code == 403
    assert "chưa được gán đơn vị" in response.content.decode()


def test_overview_of_a_district_without_data_says_so(district_of, client):
    from accounts.services import account_create
    from tests.factories import DistrictFactory

    empty = DistrictFactory()
    client.force_login(account_create(username="moi", password="x", role="leader", unit=empty))
    page = _page(client, "/")
    assert "Chưa có số liệu nào cho đơn vị này." in page
    assert "Chưa có đơn vị nào đăng ký thực hiện bộ tiêu chí." in page


@pytest.mark.parametrize("communes", [10, 200])
def test_overview_query_count_does_not_grow_with_communes(
    district_of, client, django_assert_num_queries, communes, settings
):
    settings.NTM_PER_UNIT_MAX_UNITS = 1000  # one row per commune at both sizes (per child: test_overview_by_child.py)
    district, _, _, user = district_of(communes)
    client.force_login(user)
    # session, user, profile, its unit, report dates, unit picker, units under it (per commune?),
    # summarise_dates: enrolments, criteria, record counts (UNION), recognitions (UNION)
    # (the report date's summary is the trend's last date, not read again);
    # gaps of the summary's units: indicators, set standings
    with django_assert_num_queries(13):
        response = client.get("/")
    assert response.status_code == 200
    assert f"{communes} xã thực hiện" in response.content.decode()
    # A date without records of its own is not in the trend: summarise reads it (four more queries).
    with django_assert_num_queries(17):
        response = client.get(f"/?date={(DAY + timedelta(days=1)).isoformat()}")
    assert response.status_code == 200
    assert f"{communes} xã thực hiện" in response.content.decode()


def test_names_typed_by_users_reach_the_charts_escaped_for_plotly(demo_accounts, client):
    from communes.models import AdministrativeUnit

    AdministrativeUnit.objects.filter(code="xa-quang-tan").update(name='<a href="https://evil.example">x</a> & co')
    client.force_login(demo_accounts["lanhdao"])
    data = _chart_data(_page(client, "/"))
    shown = data["sets"][0]["bar"]["units"] + data["sets"][0]["heatmap"]["units"] + data["sets"][0]["unmet"]["units"]
    assert 'Xã &lt;a href="https://evil.example"&gt;x&lt;/a&gt; &amp; co' in shown
    assert not any("<a" in text for text in shown)
