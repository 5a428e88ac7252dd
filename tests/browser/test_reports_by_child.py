"""A province's pages per unit one level down in a real browser: the distribution and statuses
read, the brief's wider table (a column per status) still prints within A4, and the steering
lists fit a phone and lead to each district's own list."""

import pytest

from reports.tests.test_overview_by_child import _one_decimal_province
from tests.browser.conftest import RUN_AXE, log_in
from tests.browser.test_phone_layout import PHONE
from tests.browser.test_reports import A4_PRINTED_WIDTH_PX

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province(settings):
    settings.NTM_PER_UNIT_MAX_UNITS = 20
    province, _user = _one_decimal_province()
    return province


def test_the_per_child_overview_shows_the_distribution_and_each_districts_counts(
    live_server, province, page, screenshot
):
    log_in(page, live_server, "tinh", password="x", next_url=f"/?unit={province.code}")
    page.locator("#chart-bar-bo-thu svg.main-svg").first.wait_for()
    card = page.get_by_test_id("distribution-bo-thu")
    assert "15/27" in card.inner_text() and "nên không liệt kê tên từng xã" in card.inner_text()
    table = page.get_by_test_id("children-standing-bo-thu")
    assert table.locator("tbody tr").count() == 3
    screenshot(page, "overview-by-child")


def test_the_per_child_brief_prints_its_status_columns_within_a4(live_server, province, page, screenshot):
    log_in(page, live_server, "tinh", password="x", next_url=f"/bao-cao-nhanh/?unit={province.code}")
    page.get_by_test_id("brief-children-bo-thu").wait_for()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTED_WIDTH_PX, "height": 1100})
    page.wait_for_timeout(300)
    table = page.get_by_test_id("brief-children-bo-thu")
    widths = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert widths[0] <= widths[1], widths  # no column cut off on paper
    assert "1,6/2" in table.inner_text()
    screenshot(page, "brief-by-child-print")


@pytest.mark.parametrize(
    "path", ["/chi-dao/", "/chi-dao/cong-trinh/", "/chi-dao/ho-so/"], ids=["plans", "works", "dossiers"]
)
def test_the_per_child_steering_lists_fit_a_phone_and_lead_to_each_district(
    live_server, province, browser, axe_source, screenshot, path
):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, bypass_csp=True)  # bypass_csp: axe inline
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    log_in(phone, live_server, "tinh", password="x", next_url=f"{path}?unit={province.code}")
    phone.get_by_test_id("per-child-note").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.add_script_tag(content=axe_source)
    assert phone.evaluate(RUN_AXE) == []
    screenshot(phone, "steering-by-child")
    phone.get_by_role("link", name="Huyện Huyện số 1").first.click()
    phone.wait_for_url("**unit=huyen-1**")
    assert phone.get_by_test_id("per-child-note").count() == 0  # the district's own list, per commune
    context.close()
