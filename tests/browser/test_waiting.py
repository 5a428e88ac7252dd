"""Work that waits is visible (issue 15.3), in a browser: the commune officer is told what the
district returned and led to the form; the district sees previous and new values in its queue and
cannot verify its own entry."""

import pytest

from records.services import record_return
from tests.browser.conftest import log_in
from tests.workflow_helpers import ADVANCED, submit

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, live_server, username):
    log_in(page, live_server, username, next_url="/")
    page.wait_for_url(f"{live_server.url}/")


def _log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def test_officer_is_led_to_the_returned_record_and_the_district_sees_what_changes(
    live_server, demo_accounts, page, screenshot
):
    from records.models import ReportingRound

    meeting_round = ReportingRound.objects.get(unit__code="dam-ha", as_of="2022-08-19")
    (returned,) = submit(demo_accounts["xa_quangtan"], meeting_round, ["17.3"], note="đã có biên bản")
    record_return(record=returned, user=demo_accounts["bcd"], reason="Thiếu biên bản kiểm tra")
    submit(demo_accounts["xa_quangtan"], meeting_round, ["13.7"], note="HTX đã thành lập")
    (own,) = submit(demo_accounts["bcd"], meeting_round, ["17.9"], unit=demo_accounts["xa_quangtan"].profile.unit)

    _log_in(page, live_server, "xa_quangtan")
    banner = page.get_by_test_id("returned-banner")
    assert "Huyện đã trả lại 1 kết quả" in banner.inner_text()
    assert "Thiếu biên bản kiểm tra" in banner.inner_text()
    assert page.get_by_test_id("returned-count").inner_text().startswith("1")
    screenshot(page, "issue15-3-returned-banner")
    banner.get_by_role("link").click()
    page.wait_for_url(f"**/nhap-lieu/xa-quang-tan/{ADVANCED}/17/**")
    row = page.locator("#indicator-17\\.3")
    assert "↩ Bị trả lại" in row.inner_text()
    assert "Thiếu biên bản kiểm tra" in row.inner_text()
    assert row.locator("select").is_visible()

    page.goto(f"{live_server.url}/nhap-lieu/xa-quang-tan/")
    advanced = page.locator("section", has_text="nâng cao")
    assert "↩ Bị trả lại" in advanced.locator(f'li[data-criterion="{ADVANCED}-17"]').inner_text()
    assert "↑ Đã gửi, chờ duyệt" in advanced.locator(f'li[data-criterion="{ADVANCED}-13"]').inner_text()
    assert "✓ Đạt" in advanced.locator(f'li[data-criterion="{ADVANCED}-1"]').inner_text()
    screenshot(page, "issue15-3-entry-unit-marks")

    page.goto(f"{live_server.url}/don-vi/xa-quang-tan/?date=2022-08-19")
    fix = page.locator(f'#{ADVANCED}-tc-17 a.fix-link[href$="#indicator-17.9"]')
    assert fix.is_visible()
    screenshot(page, "issue15-3-unit-page-links")
    fix.click()
    page.wait_for_url(f"**/nhap-lieu/xa-quang-tan/{ADVANCED}/17/#indicator-17.9")
    _log_out(page)

    _log_in(page, live_server, "bcd")
    assert page.get_by_test_id("queue-count").inner_text().startswith("2")
    page.get_by_role("link", name="Duyệt số liệu").click()
    row = page.locator("tr", has_text="HTX đã thành lập")
    assert row.locator(".previous-value").inner_text().startswith("Không đạt")
    assert row.locator(".new-value").inner_text() == "Đạt"
    screenshot(page, "issue15-3-queue")
    own_row = page.locator(f'tr[data-record="{own.pk}"]')
    assert "Bạn đã nhập — cần người khác duyệt" in own_row.inner_text()
    assert own_row.get_by_role("checkbox").is_disabled()
    page.get_by_role("checkbox", name="Chọn tất cả").check()
    assert not own_row.get_by_role("checkbox").is_checked()
    screenshot(page, "issue15-3-four-eyes")
    page.get_by_role("button", name="Duyệt các mục đã chọn").click()
    assert "Đã duyệt 1 kết quả." in page.locator(".messages").inner_text()
    assert page.locator(f'tr[data-record="{own.pk}"]').count() == 1
