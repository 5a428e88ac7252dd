"""axe-core on every page, as each demo role: no serious or critical accessibility violation
(contrast, names of controls and images, landmarks, ARIA), on a desktop and on a phone.

axe-core is the npm package pinned in package.json (`make test` runs `npm ci`). Without
node_modules/axe-core this test skips locally and fails when NTM_REQUIRE_BROWSER is set (CI), as
the other browser tests do without chromium.
"""

import pytest

from tests.browser.conftest import ARTEFACTS, RUN_AXE
from tests.browser.site_pages import ROLES, site_pages

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SIZES))
def sized_page(request, browser):
    # The site's CSP forbids inline scripts, and axe-core arrives as one. bypass_csp lets this
    # test's context run it; only this test does so (test_csp.py checks the policy itself).
    context = browser.new_context(locale="vi-VN", viewport=SIZES[request.param], bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield request.param, page
    context.close()


@pytest.mark.parametrize("username", ROLES)
def test_no_page_has_a_serious_accessibility_violation(live_server, steering_demo, axe_source, sized_page, username):
    size, page = sized_page
    visited, violations = [], {}
    for path in site_pages(page, live_server, username):
        visited.append(path)
        for chart in page.locator(".chart").all():
            chart.locator("svg.main-svg").first.wait_for()
        page.add_script_tag(content=axe_source)
        found = page.evaluate(RUN_AXE)
        if found:
            violations[path] = found
        if path in ("/", "/chi-dao/cong-trinh/them/", "/du-lieu/"):
            ARTEFACTS.mkdir(exist_ok=True)
            name = path.strip("/").replace("/", "-") or "overview"
            page.screenshot(path=str(ARTEFACTS / f"a11y-{username}-{size}-{name}.png"), full_page=True)
    assert len(visited) > 5, visited
    assert violations == {}, "\n".join(f"{path}: {v}" for path, found in violations.items() for v in found)
