"""The charted pages under the site's Content-Security-Policy: every chart drawn, not one
violation reported, and text typed by users shown as text inside the charts, never as a link."""

import pytest

from devdata.steering_demo import load_steering_demo
from steering.models import Work
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# Every CSP violation the page reports, whatever the console prints.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""
CHARTED = [
    ("/", "#chart-trend, [id^=chart-bar-], [id^=chart-heatmap-], [id^=chart-unmet-]", 13),
    ("/bao-cao-nhanh/", "[id^=chart-brief-]", None),
    ("/chi-dao/cong-trinh/?date=2022-08-19", "#works-chart", 1),
]
EVIL = '<a href="https://evil.example">x</a>'


@pytest.fixture
def accounts(demo_accounts):
    load_steering_demo()
    return demo_accounts


def _watch(page):
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(RECORD_VIOLATIONS)
    return console


def test_every_charted_page_draws_every_chart_with_no_csp_violation(live_server, accounts, page):
    console = _watch(page)
    log_in(page, live_server, "bcd", next_url="/")
    page.wait_for_url(f"{live_server.url}/")
    for url, selector, expected in CHARTED:
        response = page.goto(f"{live_server.url}{url}")
        assert "script-src 'self' 'unsafe-hashes' 'sha256-" in response.headers["content-security-policy"]
        charts = page.locator(selector)
        count = charts.count()
        assert count == expected if expected else count > 0, url
        for i in range(count):
            charts.nth(i).locator("svg.main-svg").first.wait_for()
        assert page.evaluate("window.__csp") == [], url
    # The error pages' own <style> is the one inline style the policy allows.
    response = page.goto(f"{live_server.url}/don-vi/khong-co-don-vi-nay/")
    assert response.status == 404
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(31, 111, 67)"
    assert page.evaluate("window.__csp") == []
    assert console == []


def test_a_work_named_like_a_link_is_text_in_the_chart_not_a_link(live_server, accounts, page):
    Work.objects.filter(pk=Work.objects.order_by("pk").first().pk).update(name=EVIL)
    _watch(page)
    log_in(page, live_server, "bcd", next_url="/chi-dao/cong-trinh/?date=2022-08-19")
    chart = page.locator("#works-chart")
    chart.locator("svg.main-svg").first.wait_for()
    assert chart.locator("a").count() == 0
    assert (
        page.evaluate(
            "Array.from(document.querySelectorAll('a')).filter(a => (a.href.baseVal || a.href).includes('evil.example')).length"
        )
        == 0
    )
    # Long names wrap onto lines (one tspan each), so compare without the spaces between lines.
    ticks = [t.replace(" ", "") for t in chart.locator(".ytick text").all_text_contents()]
    assert f"{EVIL} (Quảng Tân)".replace(" ", "") in ticks, ticks
    assert page.evaluate("window.__csp") == []


def test_the_admins_export_page_works_under_the_policy(live_server, accounts, page):
    # django-import-export's template has one inline handler, allowed by its hash ('unsafe-hashes').
    _watch(page)
    log_in(page, live_server, "bcd", next_url="/admin/communes/administrativeunit/export/")
    page.wait_for_url(f"{live_server.url}/admin/communes/administrativeunit/export/")
    page.locator("select[name=format]").select_option(index=1)
    toggle = page.locator("input[name=select-all-toggle]")
    toggle.wait_for()
    toggle.uncheck()
    fields = page.locator("input[type=checkbox]:not([name=select-all-toggle])")
    assert fields.count() > 0
    assert all(not fields.nth(i).is_checked() for i in range(fields.count()) if fields.nth(i).is_visible())
    # Its two cosmetic style attributes (a bold label, a padding) are refused; no script is.
    assert [v for v in page.evaluate("window.__csp") if not v.startswith("style-src-attr")] == []
