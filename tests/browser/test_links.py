"""Every link works for every role, and the language does not follow the browser (issue 15).

Each demo role (and a superuser) logs in, opens every page of the menu, then every page those
link to; every link on those pages must answer without a 404 or a 500. Links are read from the
rendered pages; pages of one kind (one URL name) are read at most twice, every link is fetched.
"""

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ["bcd", "lanhdao", "xa_quangtan", "xa_tanlap", "quantri"]
# Not pages: the language switch and logout are forms; the admin is Django's own (its index is
# fetched when the menu links to it, but not crawled).
NOT_CRAWLED = ("/admin/", "/i18n/", "/accounts/logout/", "/static/", "/media/")
PAGES_PER_KIND = 2


def _links(page, base):
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    links = set()
    for href in hrefs:
        url, _fragment = urldefrag(href)
        if url.startswith(base):
            links.add(url[len(base) :] or "/")
    return links


def _kind(path):
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return path


@pytest.mark.parametrize("username", ROLES)
def test_every_link_on_every_page_answers_for_every_role(
    live_server, demo_accounts, django_user_model, page, screenshot, username
):
    if username == "quantri":
        django_user_model.objects.create_superuser("quantri", password="demo")
    log_in(page, live_server, username, next_url="/")
    page.wait_for_url(f"{live_server.url}/")
    base = live_server.url
    menu = {
        urldefrag(href)[0][len(base) :]
        for href in page.eval_on_selector_all(".site-header a[href]", "els => els.map(e => e.href)")
    }
    assert "/" in menu
    if username in ("bcd", "quantri"):
        assert "/admin/" in menu
    else:
        assert "/admin/" not in menu  # only those who may use the admin see its link
    screenshot(page, f"{username}-overview")

    status, is_html, read, seen_kinds = {}, {}, set(), {}
    # Menu pages (depth 1) and the pages they link to (depth 2) are read for their links.
    frontier = sorted(menu)
    for depth in (1, 2, 3):
        next_frontier = []
        for path in frontier:
            if path not in status:
                response = page.request.get(base + path, max_redirects=5)
                status[path] = response.status
                is_html[path] = "text/html" in response.headers.get("content-type", "")
            if depth == 3 or path in read or path.startswith(NOT_CRAWLED) or status[path] != 200:
                continue
            if not is_html[path]:  # a download (xlsx, csv, evidence): its answer is enough
                continue
            kind = _kind(path)
            if seen_kinds.get(kind, 0) >= PAGES_PER_KIND:
                continue
            seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
            read.add(path)
            page.goto(base + path)
            next_frontier.extend(sorted(_links(page, base) - set(status)))
        frontier = next_frontier
    broken = sorted((code, path) for path, code in status.items() if code == 404 or code >= 500)
    print(f"\n{username}: {len(read)} pages read, {len(status)} links fetched")
    assert broken == [], broken
    assert len(status) > 20


def test_an_english_browser_gets_vietnamese_pages_and_day_first_dates(live_server, demo_accounts, browser, screenshot):
    context = browser.new_context(
        locale="en-US",
        extra_http_headers={"Accept-Language": "en-US,en;q=0.9"},
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.locator("h1").inner_text() == "Đăng nhập"
        log_in(page, live_server, "bcd", next_url="/")
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert "Tổng quan" in page.locator(".main-nav").inner_text()
        date_box = page.locator(".context-picker input[name=date]")
        assert date_box.get_attribute("type") == "text"
        assert date_box.input_value() == "19/08/2022"
        screenshot(page, "overview-english-browser")
        # A date typed day first is read day first.
        date_box.fill("01/07/2022")
        page.locator(".context-picker button[type=submit]").click()
        page.wait_for_load_state()
        assert "01/07/2022" in page.locator(".context-date").inner_text()
        page.goto(f"{live_server.url}/dot-bao-cao/")
        assert page.locator("input[type=date]").count() == 0
        assert page.locator("input[name=as_of]").get_attribute("placeholder") == "dd/mm/yyyy"
        screenshot(page, "rounds-english-browser")
    finally:
        context.close()


def test_choosing_english_on_the_switch_gets_english_pages(live_server, demo_accounts, browser, screenshot):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server, "lanhdao", next_url="/")
        page.wait_for_url(f"{live_server.url}/")
        page.click("button[name=language][value=en]")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Overview" in page.locator(".main-nav").inner_text()
        assert "verified" in page.locator(".context-counted").inner_text()
        screenshot(page, "overview-after-choosing-english")
        page.goto(f"{live_server.url}/nguoi-dung/can-bo-xa/")  # a leader may not: the 403 page
        assert page.locator("h1").inner_text() == "Access denied"
        assert page.locator(".main-nav").is_visible()
        screenshot(page, "forbidden-english")
    finally:
        context.close()


def test_a_criterion_anchor_lands_below_the_sticky_bar(live_server, demo_accounts, page, screenshot):
    log_in(page, live_server, "lanhdao", next_url="/")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/don-vi/xa-dai-binh/?date=2022-08-19#xa-ntm-2021-2025-tc-13")
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    bar = page.locator(".context-bar").bounding_box()
    block = page.locator("#xa-ntm-2021-2025-tc-13").bounding_box()
    assert block["y"] >= bar["y"] + bar["height"] - 1, (block, bar)
    assert re.search(r"tc-13$", page.url)
    screenshot(page, "anchor-below-sticky-bar")
