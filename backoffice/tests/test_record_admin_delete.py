"""Deleting many records at once in the admin: "select all", confirm, and every row goes, with
its audit-trail row; the filters and the user's scope still bound what is deleted."""

from datetime import date, timedelta

import pytest

from accounts.models import Role
from accounts.services import account_create
from records.models import AchievementRecord, RecordStatus
from tests.factories import CommuneFactory, DistrictFactory, IndicatorFactory
from tests.html_forms import open_form

pytestmark = pytest.mark.django_db

LIST = "/admin/records/achievementrecord/"


def _records(district, count, status=RecordStatus.VERIFIED):
    indicator = IndicatorFactory()
    communes = [CommuneFactory(parent=district) for _ in range(10)]
    AchievementRecord.objects.bulk_create(
        AchievementRecord(
            unit=communes[k % 10],
            indicator=indicator,
            as_of=date(2020, 1, 1) + timedelta(days=k),
            value_bool=True,
            is_met=True,
            status=status,
        )
        for k in range(count)
    )


def _delete_all(client, query=""):
    """Tick the page, pick "select all", choose "delete selected", confirm as the browser would."""
    page_ids = list(AchievementRecord.objects.values_list("pk", flat=True)[:100])
    pick = {"action": "delete_selected", "select_across": "1", "index": "0", "_selected_action": page_ids}
    confirm = open_form(client, LIST + query, having="post", data=pick)
    return client.post(LIST + query, confirm, follow=True)


def test_more_than_a_thousand_selected_records_are_deleted_with_their_history(admin_client):
    _records(DistrictFactory(), 1_200)
    response = _delete_all(admin_client)
    assert response.status_code == 200
    assert not AchievementRecord.objects.exists()
    assert AchievementRecord.history.filter(history_type="-").count() == 1_200


def test_select_all_deletes_only_the_filtered_records_of_the_users_own_district(client):
    mine, theirs = DistrictFactory(), DistrictFactory()
    _records(mine, 1_100)
    _records(mine, 5, status=RecordStatus.SUBMITTED)
    _records(theirs, 30)
    client.force_login(account_create(username="bcd-xoa", password="x", role=Role.DISTRICT_STAFF, unit=mine))
    assert _delete_all(client, "?status__exact=verified").status_code == 200
    left = AchievementRecord.objects.all()
    assert (
        left.filter(unit__parent=mine).count() == 5 and not left.filter(unit__parent=mine, status="verified").exists()
    )
    assert left.filter(unit__parent=theirs).count() == 30
