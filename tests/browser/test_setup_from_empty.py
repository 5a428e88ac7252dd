"""docs/setup.md, followed step by step: a province goes from an empty database to its first report
through the site's pages only (never the Django admin), with the example files of docs/setup/.

The server steps (migrate, load_reference, createsuperuser) are the operator's commands; every
other step is a browser. The figures at the end are worked out here from what the officer entered.
"""

from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "setup"
SET_CODE = "xa-ntm-2026-2030"
SET_NAME = "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026-2030"
ADMIN, ADMIN_PASSWORD = "quantri", "Quan-tri-2026-doi-ngay"
STEERING, STEERING_PASSWORD = "bcd.quangninh", "BCD-QuangNinh-2026-doi-ngay"
OFFICER, OFFICER_PASSWORD = "canbo.quangtan", "QuangTan-2026-doi-ngay"  # docs/setup/tai-khoan-can-bo-xa.csv
# What the officer of xã Quảng Tân enters, by criterion: indicator code -> met.
ENTERED = {1: {"1.1": True, "1.2": True}, 2: {"2.1": True, "2.2": True}, 3: {"3.1": True, "3.2": False}}
CRITERIA, INDICATORS_PER_CRITERION = 10, 2  # docs/setup/bo-tieu-chi-xa-ntm-2026-2030-minh-hoa.xlsx
COMMUNES = 2  # the new communes of docs/setup/don-vi-quang-ninh.csv


def _vi(number):
    """17.875 -> '17,87': two decimals, cut (not rounded), as the committee writes them."""
    text = f"{int(number * 100) / 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _expected():
    """The province's sentence for the 2026-2030 set, from ENTERED: two communes enrolled, one of
    them reporting; an indicator not entered is not met."""
    criteria_met = sum(all(values.values()) for values in ENTERED.values())
    indicators_met = sum(sum(values.values()) for values in ENTERED.values())
    criteria_total, indicators_total = CRITERIA, CRITERIA * INDICATORS_PER_CRITERION
    commune = (
        f"xã Quảng Tân đạt {criteria_met}/{criteria_total} tiêu chí ({_vi(100 * criteria_met / criteria_total)}%); "
        f"{indicators_met}/{indicators_total} chỉ tiêu ({_vi(100 * indicators_met / indicators_total)}%)"
    )
    average = (
        f"bình quân {_vi(criteria_met / COMMUNES)}/{criteria_total} tiêu chí "
        f"({_vi(100 * criteria_met / COMMUNES / criteria_total)}%); "
        f"{_vi(indicators_met / COMMUNES)}/{indicators_total} chỉ tiêu "
        f"({_vi(100 * indicators_met / COMMUNES / indicators_total)}%)"
    )
    return commune, average


class Browser:
    """One person's browser, remembering every address it asked for (none may be /admin/)."""

    def __init__(self, browser, live_server, requested):
        self.context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        self.context.on("request", lambda request: requested.append(request.url))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.live_server = live_server

    def log_in(self, username, password):
        log_in(self.page, self.live_server, username, password, next_url="/")
        self.page.wait_for_url(f"{self.live_server.url}/")
        return self.page


def _download(page, tmp_path, click):
    with page.expect_download() as download:
        click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def _template_control(page, url_name):
    """The link (or the button of a GET form) that downloads a template."""
    url = reverse(url_name)
    return page.locator(f"a[href^='{url}'], form[action='{url}'] button[type=submit]").first


def _upload_and_confirm(page, upload_url, example):
    """An import of the /du-lieu/ kind: choose the file, see the preview, confirm."""
    form = page.locator(f"form[action='{upload_url}']")
    form.locator("input[type=file]").set_input_files(str(example))
    form.locator("button[type=submit]").click()
    page.locator("#confirm-import").click()


def server_steps(monkeypatch):
    """docs/setup.md, Bước 0: the database is migrated (the test database is); the
    national sets are loaded; the first site administrator is created."""
    call_command("load_reference")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
    call_command("createsuperuser", interactive=False, username=ADMIN, email="quantri@example.vn")


def import_units_and_lineage(page, live_server, tmp_path):
    """Bước 3 and 4: the province's units, then how the 2025 reform formed the new communes."""
    page.get_by_role("link", name="Nhập / xuất Excel").first.click()
    template = _download(page, tmp_path, lambda: _template_control(page, "io:units_template").click())
    headers = [c.value for c in openpyxl.load_workbook(template).active[1]]
    assert headers[:4] == ["Mã ĐVHC", "Tên", "Loại", "Mã ĐVHC cấp trên"]
    _upload_and_confirm(page, reverse("io:units_upload"), EXAMPLES / "don-vi-quang-ninh.csv")
    page.goto(f"{live_server.url}{reverse('io:index')}")
    template = _download(page, tmp_path, lambda: _template_control(page, "io:lineage_template").click())
    headers = [c.value for c in openpyxl.load_workbook(template).active[1]]
    assert headers[:2] == ["Mã ĐVHC cũ", "Mã ĐVHC mới"]
    _upload_and_confirm(page, reverse("io:lineage_upload"), EXAMPLES / "lich-su-don-vi-2025.csv")


def test_a_province_goes_from_an_empty_database_to_its_first_report(
    live_server, browser, screenshot, settings, tmp_path, monkeypatch
):
    run_setup(live_server, browser, screenshot, settings, tmp_path, monkeypatch)


def run_setup(live_server, browser, screenshot, settings, tmp_path, monkeypatch, import_units=None):
    from communes.models import AdministrativeUnit

    assert not AdministrativeUnit.objects.exists()  # an empty database, as a new server has
    settings.NTM_IMPORT_TMP_DIR = tmp_path / "uploads"
    requested = []
    server_steps(monkeypatch)

    # Bước 1: the administrator logs in; the site says where the units come from.
    admin = Browser(browser, live_server, requested).log_in(ADMIN, ADMIN_PASSWORD)
    assert "Chưa có đơn vị hành chính nào" in admin.inner_text("main")
    admin.locator("#no-units").get_by_role("link", name="Nhập / xuất Excel").click()

    # Bước 2: the 2026-2030 set's indicators (illustrative here) from the set workbook.
    admin.locator("#set-import select[name=set]").select_option(label=SET_NAME)
    template = _download(admin, tmp_path, lambda: admin.get_by_role("button", name="Tải mẫu bộ tiêu chí").click())
    assert openpyxl.load_workbook(template)["Bộ tiêu chí"]["A2"].value == SET_CODE
    _upload_and_confirm(admin, reverse("io:set_upload"), EXAMPLES / "bo-tieu-chi-xa-ntm-2026-2030-minh-hoa.xlsx")
    assert "Thêm chỉ tiêu 10.2." in admin.inner_text("main")

    # Bước 3, 4: units and lineage.
    (import_units or import_units_and_lineage)(admin, live_server, tmp_path)
    screenshot(admin, "units")

    # Bước 5: the province's steering staff account, with its e-mail.
    admin.goto(f"{live_server.url}/")
    admin.get_by_role("link", name="Tài khoản", exact=True).click()
    admin.get_by_role("link", name="Tài khoản Ban chỉ đạo").click()
    admin.fill("#id_username", STEERING)
    admin.fill("#id_full_name", "Văn phòng điều phối NTM tỉnh (minh hoạ)")
    admin.fill("#id_email", "vpdp@example.vn")
    admin.select_option("#id_unit", label="Tỉnh Quảng Ninh")
    admin.fill("#id_password", STEERING_PASSWORD)
    admin.get_by_role("button", name="Tạo tài khoản").click()
    assert f"Đã tạo tài khoản {STEERING}." in admin.locator(".messages").inner_text()
    assert "BCĐ tỉnh" in admin.locator("#steering-staff").inner_text()

    # Bước 6: BCĐ tỉnh enrols every commune of the province in the 2026-2030 set (one page).
    steering = Browser(browser, live_server, requested).log_in(STEERING, STEERING_PASSWORD)
    steering.get_by_role("link", name="Nhập / xuất Excel").click()
    steering.locator("#enrolment-link a").click()
    steering.select_option("#enrol-parent", label="Tỉnh Quảng Ninh")
    steering.select_option("#enrol-set", label=SET_NAME)
    steering.fill("#enrol-year", "2028")
    steering.get_by_role("button", name="Xem trước").first.click()
    preview = steering.inner_text("main")
    assert "Xã Quảng Tân" in preview and "Xã Đầm Hà" in preview
    steering.locator("#confirm-import").click()
    screenshot(steering, "enrolled")

    # Bước 7: the communes' officers, from a file (the template comes from the same page).
    steering.get_by_role("link", name="Tài khoản", exact=True).click()
    template = _download(steering, tmp_path, lambda: steering.locator("#accounts-template").click())
    headers = [c.value for c in openpyxl.load_workbook(template)["Tài khoản"][1]]
    assert headers == ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Vai trò", "Mã đơn vị", "Mật khẩu"]
    _upload_and_confirm(steering, reverse("accounts:accounts_upload"), EXAMPLES / "tai-khoan-can-bo-xa.csv")
    steering.get_by_role("link", name="Tài khoản", exact=True).click()
    officers = steering.inner_text("main")
    assert OFFICER in officers and "canbo.damha" in officers

    # Bước 8: a reporting round, which the communes enter their figures into.
    steering.get_by_role("link", name="Đợt báo cáo").click()
    steering.fill("#id_name", "Báo cáo 6 tháng đầu năm 2026")
    steering.fill("#id_as_of", "30/06/2026")
    steering.fill("#id_deadline", "15/07/2026")
    steering.get_by_role("button", name="Mở đợt").click()
    assert "Đã mở đợt báo cáo" in steering.locator(".messages").inner_text()

    # Bước 9: the officer of xã Quảng Tân sets their own password, enters three criteria, sends them.
    officer = Browser(browser, live_server, requested).log_in(OFFICER, OFFICER_PASSWORD)
    officer.get_by_role("link", name="Đổi mật khẩu").click()  # the file's password was only a first one
    officer.fill("#id_old_password", OFFICER_PASSWORD)
    officer.fill("#id_new_password1", "Mat-khau-rieng-cua-xa-2026")
    officer.fill("#id_new_password2", "Mat-khau-rieng-cua-xa-2026")
    officer.locator("#password-change button[type=submit]").click()
    assert "Đã đổi mật khẩu" in officer.locator("main").inner_text()
    officer.get_by_role("link", name="Nhập số liệu").click()
    officer.get_by_role("link", name="Xã Quảng Tân").click()
    for number, values in ENTERED.items():
        officer.locator(".criteria-links a").nth(number - 1).click()
        assert f"Tiêu chí {number}." in officer.locator("h1").inner_text()
        for code, met in values.items():
            row = "#indicator-" + code.replace(".", "\\.")  # a CSS id with a dot
            officer.locator(f"{row} select").select_option(label="Đạt" if met else "Không đạt")
        officer.get_by_role("button", name="Gửi tỉnh duyệt").click()  # a commune of the province
        assert f"Đã gửi {len(values)} chỉ tiêu" in officer.locator(".messages").inner_text()
        officer.get_by_role("link", name="Xã Quảng Tân").first.click()
    screenshot(officer, "entered")

    # Bước 10: BCĐ tỉnh verifies everything waiting.
    steering.get_by_role("link", name="Duyệt số liệu").click()
    steering.get_by_role("checkbox", name="Chọn tất cả").check()
    steering.get_by_role("button", name="Duyệt các mục đã chọn").click()
    entered = sum(len(values) for values in ENTERED.values())
    assert f"Đã duyệt {entered} kết quả." in steering.locator(".messages").inner_text()

    # Bước 11: the province report shows it: overview, the commune, and the brief.
    commune, average = _expected()
    steering.get_by_role("link", name="Tổng quan").click()
    overview = steering.locator(f"#set-{SET_CODE}").inner_text()
    assert f"có {COMMUNES} xã đạt {average}" in overview, overview
    screenshot(steering, "province-overview")
    steering.locator("#main").get_by_role("link", name="Báo cáo nhanh").click()
    brief = steering.locator("main").inner_text()
    assert "Tỉnh Quảng Ninh — kết quả thực hiện đến ngày 30/06/2026" in brief, brief
    assert f"có {COMMUNES} xã đạt {average}" in brief
    screenshot(steering, "brief")
    steering.goto(f"{live_server.url}/?unit=06913")
    commune_page = steering.locator(f"#set-{SET_CODE}").inner_text()
    assert commune in commune_page, commune_page

    assert requested and not [url for url in requested if "/admin/" in url]
