"""Reporting rounds still open after their deadline say so ("Quá hạn") wherever a round is shown."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import account_create
from records.models import ReportingRound
from tests.factories import DistrictFactory, RoundFactory

BADGE = '<span class="badge overdue" data-testid="round-overdue">Quá hạn</span>'


def _rows(page):
    """The round list's rows by round name: {name: row html}."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return {row.split("<td>", 2)[1].split("</td>", 1)[0]: row for row in body.split("<tr>")[1:]}


def test_round_list_marks_the_open_round_past_its_deadline_and_not_the_closed_one(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    rows = _rows(client.get("/dot-bao-cao/").content.decode())
    assert BADGE in rows["Đợt báo cáo đến 19/08/2022 (demo)"]  # open, deadline 31/08/2022
    assert "Đang mở" in rows["Đợt báo cáo đến 19/08/2022 (demo)"]
    assert BADGE not in rows["Đợt báo cáo đến 31/12/2021 (demo)"]  # closed: late no longer matters


def test_an_open_round_before_its_deadline_is_not_overdue(demo_accounts, client):
    meeting = ReportingRound.objects.get(name="Đợt báo cáo đến 19/08/2022 (demo)")
    ReportingRound.objects.filter(pk=meeting.pk).update(deadline=timezone.localdate() + timedelta(days=3))
    client.force_login(demo_accounts["bcd"])
    assert BADGE not in client.get("/dot-bao-cao/").content.decode()
    ReportingRound.objects.filter(pk=meeting.pk).update(deadline=timezone.localdate())
    assert BADGE not in client.get("/dot-bao-cao/").content.decode()  # due today is not late yet


def test_officers_entry_pages_and_the_completeness_page_mark_an_overdue_round(demo_accounts, client):
    meeting = ReportingRound.objects.get(name="Đợt báo cáo đến 19/08/2022 (demo)")
    client.force_login(demo_accounts["xa_quangtan"])
    unit_page = client.get("/nhap-lieu/xa-quang-tan/").content.decode()
    assert "hạn nộp 31/08/2022 " + BADGE in unit_page
    form_page = client.get(f"/nhap-lieu/xa-quang-tan/xa-ntm-2021-2025/17/?round={meeting.pk}").content.decode()
    assert "hạn nộp 31/08/2022 " + BADGE in form_page
    client.force_login(demo_accounts["bcd"])
    assert BADGE in client.get(f"/dot-bao-cao/{meeting.pk}/tien-do/").content.decode()


def test_round_model_is_overdue_only_while_open_after_its_deadline():
    day = date(2022, 8, 31)
    open_round = ReportingRound(as_of=date(2022, 8, 19), deadline=day)
    assert not open_round.is_overdue(day)
    assert open_round.is_overdue(day + timedelta(days=1))
    closed = ReportingRound(as_of=date(2022, 8, 19), deadline=day, closed_at=timezone.now())
    assert not closed.is_overdue(day + timedelta(days=1))


@pytest.mark.parametrize("rounds", [2, 20])
def test_round_list_query_count_does_not_grow_with_rounds(db, client, django_assert_num_queries, rounds):
    district = DistrictFactory()
    for k in range(rounds):
        RoundFactory(unit=district, as_of=date(2022, 1, 1) + timedelta(days=k))
    client.force_login(account_create(username="bcd-thu", password="x", role=Role.DISTRICT_STAFF, unit=district))
    # session, user, profile, its unit, the rounds with their units and closers, whether the
    # staff member may verify in the district, and the menu's count of the queue
    with django_assert_num_queries(7):
        page = client.get("/dot-bao-cao/").content.decode()
    assert page.count(BADGE) == rounds  # every factory round is open and due 31/08/2022
