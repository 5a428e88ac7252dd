"""The site's pages as each demo role reaches them: every link of the main menu (and of a
section's own menu, such as the steering pages'), and every page those pages link to (units,
sets, plans, works, forms...), one level down.

Walks that check every page (the 390 px layout, axe-core) start from here, so a new page linked
from a menu or from a menu page is covered without editing them. Only HTML pages count:
downloads (xlsx, csv, evidence files) and the JSON API are left out by their content type, the
Django admin by its prefix (its pages are Django's, not ours), and so are the language switch and
logging out.
"""

from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import log_in

# Every demo account, each standing for one role (README.md).
ROLES = ["bcd", "lanhdao", "xa_quangtan", "xa_tanlap"]
# Instances of one page kind (one URL pattern) visited per role: the entry form exists once per
# unit and criterion, and a fourth one tells nothing the first three did not.
PER_ROUTE = 3
MENUS = ".main-nav a[href], .subnav a[href]"
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout/", "/i18n/")
LINKS = "(selector) => Array.from(document.querySelectorAll(selector), a => a.getAttribute('href'))"


def _site_links(page, live_server, selector="a[href]"):
    """Same-site links on the page, as paths with their query, in page order."""
    links = []
    for href in page.evaluate(LINKS, selector):
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        if url.startswith(live_server.url) and not parts.path.startswith(SKIPPED_PREFIXES):
            links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _route(path):
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def site_pages(page, live_server, username):
    """Log `page` in as `username`, then load every page the role reaches (see the module's
    docstring), at most PER_ROUTE per URL pattern, yielding each path once `page` shows it."""
    log_in(page, live_server, username, next_url="/")
    page.wait_for_url(f"{live_server.url}/")
    menus, below = ["/", *_site_links(page, live_server, MENUS)], []
    seen, per_route = set(), {}

    def load(path):
        route = _route(path)
        if path in seen or route is None or per_route.get(route, 0) >= PER_ROUTE:
            return False
        seen.add(path)
        try:
            response = page.goto(f"{live_server.url}{path}")
        except PlaywrightError:  # a download: the browser does not show it as a page
            return False
        if response is None or response.status != 200 or "text/html" not in response.headers["content-type"]:
            return False
        per_route[route] = per_route.get(route, 0) + 1
        return True

    while menus:
        path = menus.pop(0)
        if load(path):
            menus += [p for p in _site_links(page, live_server, MENUS) if p not in seen]
            below += _site_links(page, live_server)
            yield path
    for path in below:
        if load(path):
            yield path
