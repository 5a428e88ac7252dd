"""Every page on a phone (390 px wide), as each demo role: nothing scrolls sideways (wide tables
scroll inside their own box, forms stack) and links and buttons are big enough to tap."""

import pytest

from tests.browser.conftest import ARTEFACTS
from tests.browser.site_pages import ROLES, site_pages

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# Pages kept as artefacts (test-artefacts/), among them those that scrolled sideways before.
SCREENSHOTS = {
    "/": "overview",
    "/du-lieu/": "du-lieu",
    "/chi-dao/": "chi-dao",
    "/chi-dao/cong-trinh/?unit=dam-ha": "cong-trinh",
    "/chi-dao/cong-trinh/them/": "cong-trinh-them",
}
# WCAG 2.2 target size (minimum), 2.5.8: 24 by 24 CSS px, or spaced so that a 24 px circle fits.
TAP = 24
# Links inside running text are exempt (WCAG's "inline" exception); these are the ones people tap
# as controls: list and table links, chips, menus, buttons.
TARGETS = """(tap) => {
  const picked = document.querySelectorAll(
    'main li > a, main td a, main th a, .chips a, .date-chips a, .main-nav a, .subnav a, button, .button, summary');
  return Array.from(picked).filter(el => {
    if (el.closest('.js-plotly-plot') || !el.checkVisibility()) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden' && box.height < tap;
  }).map(el => `${el.tagName.toLowerCase()} "${(el.innerText || el.value || '').trim().slice(0, 40)}" ${Math.round(el.getBoundingClientRect().height)}px`);
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("username", ROLES)
def test_no_page_scrolls_sideways_on_a_phone_and_targets_are_tappable(
    live_server, steering_demo, phone, screenshot, username
):
    visited, too_wide, too_small = [], {}, {}
    for path in site_pages(phone, live_server, username):
        visited.append(path)
        for chart in phone.locator(".chart").all():
            chart.locator("svg.main-svg").first.wait_for()
        width = phone.evaluate("document.documentElement.scrollWidth")
        if path in SCREENSHOTS:
            screenshot(phone, f"{username}-{SCREENSHOTS[path]}")
        if path == "/":  # the trend's legend whole, and a heatmap with its marks, close up
            ARTEFACTS.mkdir(exist_ok=True)
            for selector, name in (("#chart-trend", "trend"), ("[id^=chart-heatmap-]", "heatmap")):
                element = phone.locator(selector).first
                element.screenshot(path=str(ARTEFACTS / f"phone-{username}-{name}.png"))
        if width > PHONE["width"]:
            too_wide[path] = width
        small = phone.evaluate(TARGETS, TAP)
        if small:
            too_small[path] = small
    assert len(visited) > 5, visited
    assert too_wide == {}, "\n".join(f"{path}: {width} px wide" for path, width in too_wide.items())
    assert too_small == {}, "\n".join(f"{path}: {', '.join(small[:5])}" for path, small in too_small.items())
