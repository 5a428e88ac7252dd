"""On a phone, a commune officer fills a criterion's form and submits; the district verifies from
its queue; the committee figure on the overview changes only then."""

import pytest

from criteria.models import Indicator
from records.models import Evidence

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
ADVANCED = "xa-ntm-nang-cao-2021-2025"


def _phone_page(browser):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click(".login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_officer_submits_on_a_phone_district_verifies_and_the_figure_changes(
    live_server, demo_accounts, browser, page, screenshot, settings, tmp_path
):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    indicator = Indicator.objects.get(criterion__criteria_set__code=ADVANCED, code="13.7")

    context, phone = _phone_page(browser)
    _log_in(phone, live_server, "xa_quangtan")
    phone.get_by_role("link", name="Nhập số liệu").click()
    phone.get_by_role("link", name="Xã Quảng Tân").click()
    phone.locator("section", has_text="nâng cao").get_by_role("link").nth(12).click()  # criterion 13
    assert "Tiêu chí 13." in phone.locator("h1").inner_text()
    row = phone.locator("#indicator-13\\.7")
    row.locator("select").select_option(label="Đạt")
    row.locator("textarea").fill("HTX đã thành lập")
    row.locator("input[type=file]").set_input_files(str(evidence))
    # Nothing sticks out sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "phone-form")
    phone.get_by_role("button", name="Gửi huyện duyệt").click()
    assert "Đã gửi 1 chỉ tiêu để huyện duyệt." in phone.locator(".messages").inner_text()
    assert "Đã gửi, chờ duyệt" in phone.locator("#indicator-13\\.7").inner_text()
    screenshot(phone, "phone-submitted")
    context.close()
    assert Evidence.objects.filter(record__indicator=indicator, original_name="bien-ban.pdf").exists()

    _log_in(page, live_server, "bcd")
    assert (
        "15,16/19 tiêu chí" in page.locator("#set-xa-ntm-nang-cao-2021-2025 .paragraph").inner_text()
    )  # not counted yet
    page.get_by_role("link", name="Duyệt số liệu").click()
    page.get_by_role("checkbox", name="Xã Quảng Tân 13.7").check()
    page.get_by_role("button", name="Duyệt các mục đã chọn").click()
    assert "Đã duyệt 1 kết quả." in page.locator(".messages").inner_text()
    page.get_by_role("link", name="Tổng quan").click()
    assert "15,33/19 tiêu chí" in page.locator("#set-xa-ntm-nang-cao-2021-2025 .paragraph").inner_text()  # 92/6
    screenshot(page, "overview-after-verify")


def test_district_staff_see_the_open_round_past_its_deadline_flagged(live_server, demo_accounts, page, screenshot):
    _log_in(page, live_server, "bcd")
    page.goto(f"{live_server.url}/dot-bao-cao/")
    open_round = page.locator("tr", has_text="Đợt báo cáo đến 19/08/2022 (demo)")
    assert open_round.locator("[data-testid=round-overdue]").inner_text() == "Quá hạn"
    assert page.locator("tr", has_text="Đợt báo cáo đến 31/12/2021 (demo)").locator(".badge").count() == 0
    screenshot(page, "issue15-6-rounds-overdue")
