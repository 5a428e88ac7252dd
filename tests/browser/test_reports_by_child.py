"""A province's pages per unit one level down in a real browser: the distribution and statuses
read, and the brief's wider table (a column per status) still prints within A4."""

import pytest

from reports.tests.test_overview_by_child import _one_decimal_province
from tests.browser.conftest import log_in
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
