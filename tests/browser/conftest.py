"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded browser).

Without /usr/bin/chromium these tests skip with the reason, unless NTM_REQUIRE_BROWSER is set
(CI sets it), in which case they fail: CI must never pass by skipping them.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"
# axe-core, the npm package pinned in package.json (`make test` runs `npm ci`).
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v =>
    `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "").split("\\n").slice(1, 2).join("")).join(" | ")}`);
}"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: apt-get install -y --no-install-recommends chromium"
        if os.environ.get("NTM_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """Save a screenshot as a test artefact under test-artefacts/."""

    def take(page, name):
        ARTEFACTS.mkdir(exist_ok=True)
        path = ARTEFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, live_server, username, password="demo", next_url="/admin/"):
    """Log in through the admin's login form for an admin page (staff only), else the site's."""
    if next_url.startswith("/admin/"):
        page.goto(f"{live_server.url}/admin/login/?next={next_url}")
        submit = "input[type=submit], button[type=submit]"
    else:
        page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
        submit = ".login button[type=submit]"
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click(submit)


@pytest.fixture(scope="module")
def axe_source():
    """axe-core's script, to add to a page (skips without it locally; fails in CI, as chromium)."""
    if not AXE.exists():
        message = f"{AXE} not found: npm ci (make test runs it)"
        if os.environ.get("NTM_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()
