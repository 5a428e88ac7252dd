import pytest


def test_commune_page_lists_every_set_it_pursues_with_what_is_unmet(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/don-vi/xa-quang-tan/?date=2022-08-19").content.decode()
    assert "Xã Quảng Tân" in page
    for name in [
        "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025",
        "Bộ tiêu chí quốc gia về xã nông thôn mới nâng cao giai đoạn 2021-2025",
        "Quy định xã nông thôn mới kiểu mẫu giai đoạn 2021-2025",
    ]:
        assert name in page
    assert "Còn chưa đạt (3)" in page  # advanced: 13.7, 17.3, 17.9
    assert "Còn chưa đạt (5)" in page  # model: 1.1, 1.2, 4.1, 4.2, 4.3
    assert 'id="xa-ntm-nang-cao-2021-2025-tc-17"' in page
    assert "Năm phấn đấu</dt><dd>2025</dd>" in page


def test_commune_page_shows_each_indicators_history(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/don-vi/xa-dai-binh/?date=2022-08-19").content.decode()
    # 2.4 was not met at the end of 2021 and is met at the meeting.
    assert "31/12/2021: Chưa đạt</span><span" in page
    assert "19/08/2022: Đạt" in page


def test_history_stops_at_the_report_date(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/don-vi/xa-dai-binh/?date=2022-01-01").content.decode()
    assert "31/12/2021" in page
    assert "19/08/2022" not in page.split("Ngày có số liệu:")[1].split("</span>", 1)[1]


def test_commune_officer_sees_only_their_own_commune(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    assert client.get("/don-vi/xa-quang-tan/").status_code == 200
    assert client.get("/don-vi/xa-tan-lap/").status_code == 404
    assert client.get("/don-vi/khong-co/").status_code == 404


def test_unit_page_with_a_malformed_date_is_a_clear_error(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    response = client.get("/don-vi/xa-quang-tan/?date=19-08-2022")
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("communes", [10, 200])
def test_unit_page_query_count_does_not_grow_with_communes(district_of, client, django_assert_num_queries, communes):
    _, _, first_communes, user = district_of(communes)
    client.force_login(user)
    # session, user, profile, its unit, the unit by code, report dates, enrolments, history,
    # unit_detail for the one set: criteria, indicators, thresholds, records, recognition (the
    # parent district, for the link back to its overview and who verifies, comes with the unit)
    with django_assert_num_queries(13):
        response = client.get(f"/don-vi/{first_communes[1].code}/")
    assert response.status_code == 200
    assert "Còn chưa đạt (1)" in response.content.decode()


def test_an_indicator_without_a_record_is_shown_as_missing_not_a_server_error(demo_accounts, client):
    from records.models import AchievementRecord

    AchievementRecord.objects.filter(unit__code="xa-quang-tan", indicator__code="17.3").delete()
    for user in ("lanhdao", "xa_quangtan", "bcd"):
        client.force_login(demo_accounts[user])
        response = client.get("/don-vi/xa-quang-tan/")
        assert response.status_code == 200, user
        page = response.content.decode()
        row = page.split("<td>17.3 (Môi trường và an toàn thực phẩm)</td>", 1)[1].split("</tr>", 1)[0]
        assert "Chưa có số liệu" in row
        assert "17.3 (Môi trường và an toàn thực phẩm)</a> · chưa có số liệu" in page
