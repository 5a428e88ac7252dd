import json
from io import StringIO

import pytest
from django.core.management import call_command


def test_summary_is_exactly_ntm_reports_json(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    response = client.get("/api/v1/units/dam-ha/summary/?date=2022-08-19")
    out = StringIO()
    call_command("ntm_report", "--as-of", "2022-08-19", "--unit", "dam-ha", "--format", "json", stdout=out)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(out.getvalue())


def test_summary_defaults_to_the_latest_date_with_data(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    data = client.get("/api/v1/units/dam-ha/summary/").json()
    assert data["as_of"] == "2022-08-19"
    assert data["sets"][0]["average_criteria"] == 17.87


def test_detail_gives_every_indicator_of_every_set(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    data = client.get("/api/v1/units/xa-quang-tan/detail/?date=2022-08-19").json()
    assert [s["code"] for s in data["sets"]] == [
        "xa-ntm-2021-2025",
        "xa-ntm-nang-cao-2021-2025",
        "xa-ntm-kieu-mau-2021-2025",
    ]
    advanced = data["sets"][1]
    assert (advanced["criteria_met"], advanced["indicators_met"], advanced["indicators_total"]) == (17, 72, 75)
    indicator = advanced["criteria"][16]["indicators"][2]
    assert indicator == {
        "code": "17.3",
        "name": "17.3 (Môi trường và an toàn thực phẩm)",
        "status": "unmet",
        "value": False,
        "as_of": "2022-08-19",
        "comparator": None,
        "threshold": None,
        "threshold_upper": None,
        "items_met": None,
    }


def test_anonymous_request_gets_401_json_not_a_login_page(db, client):
    response = client.get("/api/v1/units/dam-ha/summary/")
    assert response.status_code == 401
    assert response.json() == {"error": "Chưa đăng nhập."}


def test_unit_outside_the_scope_is_404(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    for url in ["/api/v1/units/dam-ha/summary/", "/api/v1/units/xa-tan-lap/detail/", "/api/v1/units/khong-co/summary/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"error": "Không tìm thấy đơn vị."}
    assert client.get("/api/v1/units/xa-quang-tan/summary/").status_code == 200


@pytest.mark.parametrize("bad", ["19/08/2022", "2022-13-01", "x"])
def test_malformed_date_is_a_400_with_a_vietnamese_message(demo_accounts, client, bad):
    client.force_login(demo_accounts["lanhdao"])
    response = client.get("/api/v1/units/dam-ha/summary/", {"date": bad})
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"Ngày không hợp lệ: “{bad}”")


def test_api_is_read_only(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    assert client.post("/api/v1/units/dam-ha/summary/").status_code == 405


@pytest.mark.parametrize("communes", [10, 200])
def test_api_query_count_does_not_grow_with_communes(district_of, client, django_assert_num_queries, communes):
    district, _, first, user = district_of(communes)
    client.force_login(user)
    # session, user, profile, its unit, the unit by code, report dates, units under it (per
    # commune or per child unit?), summarise (4)
    with django_assert_num_queries(11):
        assert client.get(f"/api/v1/units/{district.code}/summary/").status_code == 200
    # session, user, profile, its unit, the unit by code, report dates, enrolments,
    # unit_detail (criteria, indicators, thresholds, records, recognition)
    with django_assert_num_queries(12):
        assert client.get(f"/api/v1/units/{first[0].code}/detail/").status_code == 200
