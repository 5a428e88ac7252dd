"""Vietnamese unless the user chose English, whatever the browser sends; dates typed and shown day
first on every form; Django's own messages and the 403 pages in the page's language; links and
unit pickers that only offer what the user may open and what exists (issue 15, items 1 and 4)."""

from datetime import date

import pytest
from django.test import Client

from records.models import ReportingRound

ENGLISH_BROWSER = "en-US,en;q=0.9,vi;q=0.8"


def _get(client, url, **headers):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER, **headers)


# --- the language --------------------------------------------------------------------------


def test_an_english_browser_gets_vietnamese_pages(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = _get(client, "/")
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert ">Tổng quan</a>" in page and ">Overview</a>" not in page
    assert response["Content-Language"] == "vi"
    assert "Accept-Language" not in response.get("Vary", "")


def test_an_english_browser_gets_the_vietnamese_login_page(db, client):
    page = _get(client, "/accounts/login/").content.decode()
    assert "<h1>Đăng nhập</h1>" in page


def test_choosing_english_on_the_switch_gives_english_whatever_the_browser(demo_accounts, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302
    client.force_login(demo_accounts["bcd"])
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in page and ">Overview</a>" in page


def test_an_unknown_language_cookie_falls_back_to_vietnamese(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    client.cookies["django_language"] = "fr"
    assert '<html lang="vi">' in _get(client, "/").content.decode()


def test_django_password_validators_speak_vietnamese_to_an_english_browser(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "demo", "new_password1": "12345", "new_password2": "12345"},
        HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn" in page and "Mật khẩu này hoàn toàn là số" in page
    assert "too short" not in page


def test_a_required_field_error_is_vietnamese_for_an_english_browser(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = client.post(
        "/dot-bao-cao/", {"name": "", "as_of": "", "deadline": ""}, HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER
    )
    page = response.content.decode()
    assert "Trường này là bắt buộc" in page and "This field is required" not in page


# --- the 403 pages --------------------------------------------------------------------------


def test_forbidden_page_is_vietnamese_with_the_sites_navigation(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    response = _get(client, "/nguoi-dung/can-bo-xa/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Không có quyền truy cập</h1>" in page
    assert 'class="main-nav"' in page and ">Tổng quan</a>" in page
    assert 'name="viewport"' in page
    assert "403 Forbidden" not in page


def test_forbidden_page_in_english_after_choosing_english(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    client.cookies["django_language"] = "en"
    response = client.get("/nguoi-dung/can-bo-xa/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Access denied</h1>" in page and ">Overview</a>" in page


def test_a_refused_form_gets_the_vietnamese_csrf_page_with_navigation(demo_accounts):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_accounts["bcd"])
    response = client.post("/dot-bao-cao/", {"name": "x"}, HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Phiên làm việc đã hết hạn</h1>" in page
    assert 'class="main-nav"' in page and 'name="viewport"' in page
    assert "CSRF verification failed" not in page


def test_the_csrf_page_in_english_after_choosing_english(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "<h1>The page has expired</h1>" in response.content.decode()


# --- dates day first ------------------------------------------------------------------------


def test_round_form_dates_are_day_first_text_boxes(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    page = _get(client, "/dot-bao-cao/").content.decode()
    assert 'type="date"' not in page
    assert 'name="as_of"' in page and 'placeholder="dd/mm/yyyy"' in page


def test_a_round_typed_day_first_is_saved_on_that_day(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = client.post(
        "/dot-bao-cao/",
        {"name": "Đợt thử", "as_of": "01/07/2025", "deadline": "10/07/2025"},
        HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER,
    )
    assert response.status_code == 302
    reporting_round = ReportingRound.objects.get(name="Đợt thử")
    assert (reporting_round.as_of, reporting_round.deadline) == (date(2025, 7, 1), date(2025, 7, 10))


def test_the_report_date_box_shows_and_reads_day_first(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = _get(client, "/").content.decode()
    assert 'name="date" value="19/08/2022"' in page and 'type="date"' not in page
    typed = _get(client, "/", data={"date": "19/08/2022"})
    assert typed.status_code == 200
    assert 'name="date" value="19/08/2022"' in typed.content.decode()


@pytest.mark.parametrize("url", ["/chi-dao/", "/du-lieu/", "/chi-dao/cong-trinh/them/"])
def test_steering_and_spreadsheet_pages_have_no_browser_date_picker(steering_demo, client, url):
    client.force_login(steering_demo["bcd"])
    response = _get(client, url)
    assert response.status_code == 200
    assert 'type="date"' not in response.content.decode()


def test_a_day_first_date_that_does_not_exist_is_a_clear_error(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    response = client.get("/", {"date": "30/02/2022"})
    assert response.status_code == 400
    assert "Ngày không hợp lệ: “30/02/2022”. Ghi theo dạng ngày/tháng/năm" in response.content.decode()


# --- links and pickers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, url, expected",
    [
        ("bcd", "/don-vi/xa-quang-tan/", "/?unit=dam-ha&amp;date=2022-08-19"),
        ("lanhdao", "/don-vi/xa-tan-lap/", "/?unit=dam-ha&amp;date=2022-08-19"),
        ("bcd", "/don-vi/dam-ha/", None),  # the province is not theirs
        ("xa_quangtan", "/don-vi/xa-quang-tan/", None),  # the district is not theirs
    ],
)
def test_the_link_back_to_the_overview_is_there_only_when_it_opens(demo_accounts, client, username, url, expected):
    client.force_login(demo_accounts[username])
    page = client.get(url).content.decode()
    if expected is None:
        assert "← Tổng quan" not in page
    else:
        assert f'href="{expected}">← Tổng quan' in page
        assert client.get(expected.replace("&amp;", "&")).status_code == 200


def test_the_officer_account_form_offers_no_merged_commune(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    page = client.get("/nguoi-dung/can-bo-xa/").content.decode()
    assert "Xã Quảng Tân</option>" in page
    assert "Quảng Lợi" not in page


def test_the_work_form_offers_no_merged_commune(steering_demo, client):
    client.force_login(steering_demo["bcd"])
    page = client.get("/chi-dao/cong-trinh/them/").content.decode()
    assert "Xã Quảng Tân</option>" in page
    assert "Quảng Lợi" not in page


def test_report_pages_say_duyet_not_xac_minh(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/").content.decode()
    assert "xác minh" not in page
    assert "Số liệu: chỉ kết quả đã duyệt" in page


@pytest.mark.parametrize("username, sees_admin", [("bcd", True), ("lanhdao", False), ("xa_quangtan", False)])
def test_only_those_who_may_use_the_admin_see_its_link(demo_accounts, client, username, sees_admin):
    client.force_login(demo_accounts[username])
    page = client.get("/").content.decode()
    assert ('href="/admin/"' in page) is sees_admin
