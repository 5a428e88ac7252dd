"""A leader opens the dashboards in a real browser: charts drawn, heatmap clicks, the brief on A4."""

import re

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

A4_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def _log_in_as_leader(page, live_server, next_url="/"):
    log_in(page, live_server, "lanhdao", next_url=next_url)
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_leader_logs_in_through_the_vietnamese_login_page(live_server, demo_accounts, page, screenshot):
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", "demo")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    assert "Huyện Đầm Hà" in page.locator(".context-unit").inner_text()
    screenshot(page, "overview-after-login")


def test_overview_draws_every_chart(live_server, demo_accounts, page, screenshot):
    _log_in_as_leader(page, live_server)
    charts = page.locator(".chart")
    count = charts.count()
    assert count == 13  # trend + 4 sets x (bar, heatmap, unmet)
    for i in range(count):
        charts.nth(i).locator("svg.main-svg").first.wait_for()
    text = page.locator("main").inner_text()
    for figure in ["17,87/19", "55,75/57", "15,16/19", "69,16/75", "2/4", "5/10", "7/9", "33/38"]:
        assert figure in text
    # Vietnamese numbers inside the charts too.
    assert "94,1%" in page.locator("#chart-trend").inner_text()
    screenshot(page, "overview")


def test_heatmap_cell_opens_the_communes_criterion(live_server, demo_accounts, page):
    _log_in_as_leader(page, live_server)
    heatmap = page.locator("#chart-heatmap-xa-ntm-2021-2025")
    heatmap.locator("svg.main-svg").first.wait_for()
    heatmap.evaluate("el => el.scrollIntoView({block: 'center'})")
    area = heatmap.locator(".nsewdrag").first.bounding_box()
    # Rows are units by code (Đại Bình first), columns criteria 1..19: click row 1, criterion 13.
    x = area["x"] + area["width"] * (12.5 / 19)
    y = area["y"] + area["height"] * (0.5 / 8)
    page.mouse.move(x, y)  # plotly picks the clicked cell from the hover
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/don-vi/xa-dai-binh/\?date=2022-08-19#xa-ntm-2021-2025-tc-13$"))
    block = page.locator("#xa-ntm-2021-2025-tc-13")
    assert block.is_visible()
    assert "13.2" in block.inner_text()


def test_brief_renders_and_prints_on_one_a4_page(live_server, demo_accounts, page, screenshot):
    _log_in_as_leader(page, live_server, "/bao-cao-nhanh/")
    page.locator("#chart-brief-0 svg.main-svg").first.wait_for()
    assert page.locator(".chart-brief svg.main-svg").count() >= 3
    assert "có 8 xã đạt bình quân 17,87/19 tiêu chí (94,1%)" in page.locator("#brief").inner_text()
    screenshot(page, "brief")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(A4_PAGE.findall(pdf)) == 1
    screenshot(page, "brief-print")


def test_language_switch_turns_the_pages_english(live_server, demo_accounts, page, screenshot):
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Log in"
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", "demo")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".main-nav").inner_text().split()[:2] == ["Overview", "Meeting"]
    # The committee's figures keep the Vietnamese format in English too.
    assert "17,87/19" in page.locator(".cards").inner_text()
    screenshot(page, "overview-en")
    page.click("button[name=language][value=vi]")
    page.wait_for_load_state()
    assert "Tổng quan" in page.locator(".main-nav").inner_text()


def test_overview_reads_on_a_phone(live_server, demo_accounts, browser, screenshot):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _log_in_as_leader(page, live_server)
        page.locator("#chart-trend svg.main-svg").first.wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        screenshot(page, "overview-phone")
    finally:
        context.close()
