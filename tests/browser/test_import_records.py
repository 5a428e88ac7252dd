"""A commune officer downloads the template, fills two values in Excel (openpyxl here), uploads it,
checks the preview and confirms; the figures change once the district verifies the submission."""

import openpyxl
import pytest

from devdata.demo import BASIC
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

BASIC_BEFORE = "xã Quảng Tân đạt 19/19 tiêu chí (100%); 57/57 chỉ tiêu (100%)"
BASIC_AFTER = "xã Quảng Tân đạt 17/19 tiêu chí (89,5%); 55/57 chỉ tiêu (96,5%)"


def test_officer_fills_the_template_offline_and_the_figures_change(
    live_server, demo_accounts, browser, page, screenshot, settings, tmp_path
):
    settings.NTM_IMPORT_TMP_DIR = tmp_path / "uploads"
    log_in(page, live_server, "xa_quangtan", next_url="/")
    page.wait_for_url(f"{live_server.url}/")
    assert BASIC_BEFORE in page.inner_text("main")

    page.click("text=Nhập / xuất Excel")
    page.select_option("#template-pair", f"xa-quang-tan|{BASIC}")
    with page.expect_download() as download:
        page.click("text=Tải mẫu Excel")
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)

    book = openpyxl.load_workbook(template)
    sheet = book["Kết quả"]
    headers = [c.value for c in sheet[1]]
    code_col, value_col = headers.index("Mã chỉ tiêu"), headers.index("Giá trị")
    for row in sheet.iter_rows(min_row=2):
        if row[code_col].value in ("2.1", "5.1"):
            row[value_col].value = "Không đạt"
    filled = tmp_path / "da-dien.xlsx"
    book.save(filled)

    page.set_input_files("#records-upload input[name=file]", str(filled))
    page.click("#records-upload button[type=submit]")
    page.wait_for_selector("#changes")
    assert page.locator("#changes tbody tr").count() == 2
    assert "2 kết quả sửa, 55 không đổi" in page.inner_text("#import-summary")
    screenshot(page, "preview")

    page.click("#confirm-import")
    page.wait_for_selector("#figures")
    assert BASIC_AFTER in page.inner_text("#figures")
    screenshot(page, "saved")

    page.click("#figures >> text=Xem tổng quan")  # the overview counting submitted records
    assert BASIC_AFTER in page.inner_text("main")
    page.goto(f"{live_server.url}/")
    assert BASIC_BEFORE in page.inner_text("main")  # the official figures wait for the district

    district = browser.new_context(locale="vi-VN").new_page()
    log_in(district, live_server, "bcd", next_url="/")
    district.get_by_role("link", name="Duyệt số liệu").click()
    district.get_by_role("checkbox", name="Xã Quảng Tân 2.1").check()
    district.get_by_role("checkbox", name="Xã Quảng Tân 5.1").check()
    district.get_by_role("button", name="Duyệt các mục đã chọn").click()
    assert "Đã duyệt 2 kết quả." in district.locator(".messages").inner_text()
    district.goto(f"{live_server.url}/?unit=xa-quang-tan")
    overview = district.inner_text("main")
    assert BASIC_AFTER in overview and BASIC_BEFORE not in overview
    screenshot(district, "verified")
