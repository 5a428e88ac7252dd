"""District staff use the steering pages in a real browser: the works chart, a one-click plan,
the dossier's readiness and its print layout."""

import pytest

from devdata.demo import MODEL
from devdata.steering_demo import load_steering_demo
from steering.models import PlanItem
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def accounts(demo_accounts):
    load_steering_demo()
    return demo_accounts


def test_works_page_draws_the_disbursement_chart_from_local_plotly(live_server, accounts, page, screenshot):
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    log_in(page, live_server, "bcd", next_url="/chi-dao/cong-trinh/?date=2022-08-19")
    page.wait_for_selector("#works-chart .main-svg")
    assert page.locator("#works-chart .bars path").count() >= 4
    assert page.locator("tr.overdue").count() == 2
    assert external == []
    screenshot(page, "works")


def test_commune_officer_creates_drafts_for_all_gaps_with_one_click(live_server, accounts, page, screenshot):
    PlanItem.objects.filter(unit__code="xa-quang-tan").delete()
    log_in(page, live_server, "xa_quangtan", next_url="/chi-dao/ke-hoach/xa-quang-tan/?date=2022-08-19")
    section = page.locator(f'[data-testid="set-{MODEL}"]')
    section.get_by_role("button", name="Tạo nhiệm vụ dự thảo cho 5 chỉ tiêu chưa có kế hoạch").click()
    page.wait_for_selector(".messages li")
    assert "Đã tạo 5 nhiệm vụ dự thảo." in page.locator(".messages").inner_text()
    assert PlanItem.objects.filter(unit__code="xa-quang-tan", criteria_set__code=MODEL).count() == 5
    screenshot(page, "commune-plan")


def test_dossier_readiness_prints_without_navigation_and_cannot_be_marked_ready(
    live_server, accounts, page, screenshot
):
    log_in(page, live_server, "bcd", next_url=f"/chi-dao/ho-so/xa-quang-tan/{MODEL}/?date=2022-08-19")
    page.wait_for_selector('[data-testid="blockers"]')
    assert page.get_by_role("button", name="Chuyển sang: Đủ điều kiện đề nghị").is_disabled()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".actions").is_visible()
    assert page.locator('[data-testid="unmet"]').is_visible()
    screenshot(page, "dossier-print")


def test_district_plan_page_highlights_overdue_items(live_server, accounts, page, screenshot):
    log_in(page, live_server, "bcd", next_url="/chi-dao/?date=2022-08-19")
    page.wait_for_selector('[data-testid="plan-item"]')
    page.wait_for_load_state("load")  # the style sheets too: a loaded machine may parse rows first
    overdue = page.locator("tr.overdue")
    assert overdue.count() == 3
    assert (
        overdue.first.locator("td").first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 235, 238)"
    )
    screenshot(page, "plans")
