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


def _tick_texts(chart, axis):
    """A plotly chart's tick labels on `axis`, each label's wrapped lines (tspans) joined by a space."""
    return chart.locator(f"g.{axis}tick > text").evaluate_all(
        "els => els.map(t => [...t.querySelectorAll('tspan.line')].map(l => l.textContent).join(' ') || t.textContent)"
    )


def test_charts_name_criteria_and_indicators(live_server, demo_accounts, page, screenshot):
    _log_in_as_leader(page, live_server)
    unmet = page.locator("#chart-unmet-xa-ntm-2021-2025")
    heatmap = page.locator("#chart-heatmap-xa-ntm-2021-2025")
    for chart in (unmet, heatmap):
        chart.locator("svg.main-svg").first.wait_for()
    assert _tick_texts(unmet, "y")[0] == "17.7 (Môi trường và an toàn thực phẩm)"
    ticks = _tick_texts(heatmap, "x")
    assert len(ticks) == 19
    assert ticks[12] == "13. Tổ chức sản xuất và phát triển kinh tế nông thôn"
    assert not any(t.startswith("TC") for t in ticks)
    screenshot(page, "issue15-6-names-chart")


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


# A4 less the brief's 10 mm margins (brief.css @page), in CSS px (96 per inch), and pt per CSS px.
A4_PRINTED_WIDTH_PX = round((210 - 2 * 10) / 25.4 * 96)
A4_PRINTED_HEIGHT_PX = (297 - 2 * 10) / 25.4 * 96
PT_PER_PX = 72 / 96

# Every text node and SVG text of the brief, with its font size in pt as printed: the computed
# size, times an SVG text's own scale (plotly shrinks a bar's label with a transform to fit its
# bar), times the shrink of the page to the A4 width if it were wider. Hidden text is left out.
PRINTED_FONT_SIZES = """([pageWidth, ptPerPx]) => {
  const shrink = Math.min(1, pageWidth / document.documentElement.scrollWidth);
  const sizes = [];
  const walker = document.createTreeWalker(document.getElementById("brief"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    const box = el.getBoundingClientRect();
    if (!text || box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === "hidden") continue;
    let px = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGGraphicsElement) {
      const m = el.getScreenCTM();
      px *= Math.sqrt(m.a * m.a + m.b * m.b);
    }
    sizes.push({ text: text.slice(0, 40), svg: el instanceof SVGElement, pt: px * shrink * ptPerPx });
  }
  return sizes;
}"""


def test_brief_renders_and_prints_on_two_clean_a4_pages(live_server, demo_accounts, page, screenshot):
    """Two pages, not one (issue 15 item 6): with indicators named instead of coded and no text
    under 8 pt, the demo district's brief is about 1.5 A4 pages. Page 1 holds the figures
    (paragraphs and tables), page 2 what is left to do; neither part runs over its page."""
    _log_in_as_leader(page, live_server, "/bao-cao-nhanh/")
    page.locator("#chart-brief-0 svg.main-svg").first.wait_for()
    assert page.locator(".chart-brief svg.main-svg").count() >= 3
    assert "có 8 xã đạt bình quân 17,87/19 tiêu chí (94,1%)" in page.locator("#brief").inner_text()
    screenshot(page, "brief")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    page.set_viewport_size({"width": A4_PRINTED_WIDTH_PX, "height": 1100})
    page.wait_for_timeout(500)
    sheet, second = page.locator("#brief").bounding_box(), page.locator(".brief-gaps").bounding_box()
    assert second["y"] - sheet["y"] <= A4_PRINTED_HEIGHT_PX  # paragraphs and tables
    assert sheet["y"] + sheet["height"] - second["y"] <= A4_PRINTED_HEIGHT_PX  # the rest
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(A4_PAGE.findall(pdf)) == 2
    screenshot(page, "brief-print")


def test_brief_shows_the_criteria_gained_since_the_last_report_date(live_server, demo_accounts, page, screenshot):
    _log_in_as_leader(page, live_server, "/bao-cao-nhanh/")
    basic = page.locator(".brief-set").first
    assert basic.locator("thead abbr").inner_text() == "+/−"
    assert basic.locator("[data-testid=since]").all_inner_texts() == ["+2"] * 8
    note = basic.locator("[data-testid=since-note]").inner_text()
    assert note.startswith("(+/−) Từ ngày 31/12/2021:")
    assert "đạt thêm 2: 2. Giao thông; 8. Thông tin và Truyền thông" in note
    screenshot(page, "issue15-6-brief-since-last")


def test_printed_brief_has_no_text_under_8_pt(live_server, demo_accounts, page, screenshot):
    _log_in_as_leader(page, live_server, "/bao-cao-nhanh/")
    page.locator("#chart-brief-0 svg.main-svg").first.wait_for()
    page.emulate_media(media="print")
    # Laid out at the printed width, as Chromium lays the page out on A4; the charts redraw.
    page.set_viewport_size({"width": A4_PRINTED_WIDTH_PX, "height": 1100})
    page.wait_for_timeout(500)
    sizes = page.evaluate(PRINTED_FONT_SIZES, [A4_PRINTED_WIDTH_PX, PT_PER_PX])
    chart_texts = [s for s in sizes if s["svg"]]
    # Axis ticks, bar labels ("17/19") and the total's note of the three charts are all measured.
    assert len(chart_texts) > 30
    assert any(s["text"] == "17/19" for s in chart_texts)
    assert any(s["text"].startswith("Tổng số tiêu chí") for s in chart_texts)
    assert any("Đại Bình" in s["text"] for s in sizes if not s["svg"])
    too_small = [s for s in sizes if s["pt"] < 8 - 0.01]
    assert too_small == []
    screenshot(page, "issue15-6-brief-print")


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
