"""A person opens the admin in a real browser and logs in with a demo account."""

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_district_staff_logs_in_and_sees_the_records(live_server, demo_accounts, page, screenshot):
    log_in(page, live_server, "bcd")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert "Theo dõi xây dựng nông thôn mới" in page.content()
    page.goto(f"{live_server.url}/admin/records/achievementrecord/?q=quang-tan")
    assert page.locator("#result_list tbody tr").count() > 0
    screenshot(page, "records")


def test_wrong_password_shows_a_vietnamese_message(live_server, demo_accounts, page):
    log_in(page, live_server, "bcd", password="sai-mat-khau")
    assert page.locator(".errornote").is_visible()
    assert "tên đăng nhập" in page.locator(".errornote").inner_text().lower()
