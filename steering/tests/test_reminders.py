from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.services import account_create
from notices.mail import notify_record_returned
from notices.models import Notification
from steering.models import PlanItem, PlanStatus, Work
from tests.factories import CommuneFactory, IndicatorFactory, RecordFactory


@pytest.fixture
def due_things(db):
    commune = CommuneFactory()
    indicator = IndicatorFactory()
    criteria_set = indicator.criterion.criteria_set

    def item(email, deadline, status=PlanStatus.IN_PROGRESS):
        return PlanItem.objects.create(
            unit=commune,
            criteria_set=criteria_set,
            indicator=indicator,
            action="Việc thử",
            person_email=email,
            deadline=deadline,
            status=status,
        )

    item("soon@example.org", date(2022, 8, 25))
    item("later@example.org", date(2022, 9, 30))
    item("done@example.org", date(2022, 8, 25), status=PlanStatus.DONE)
    item("", date(2022, 8, 25))
    Work.objects.create(
        name="Công trình thử",
        unit=commune,
        approved_capital=100,
        start_date=date(2022, 1, 1),
        due_date=date(2022, 8, 22),
        person_email="works@example.org",
    )
    Work.objects.create(
        name="Công trình xong",
        unit=commune,
        approved_capital=100,
        start_date=date(2022, 1, 1),
        due_date=date(2022, 8, 22),
        physical_progress=100,
        person_email="finished@example.org",
    )
    return commune


def test_reminder_command_sends_once_and_only_to_the_people_due(due_things):
    call_command("send_reminders", "--today", "2022-08-19", "--days", "7")
    assert sorted(m.to[0] for m in mail.outbox) == ["soon@example.org", "works@example.org"]
    assert "25/08/2022" in next(m for m in mail.outbox if m.to == ["soon@example.org"]).subject

    call_command("send_reminders", "--today", "2022-08-20", "--days", "7")
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(sent_at__isnull=False).count() == 2


def test_a_moved_deadline_earns_a_new_reminder(due_things):
    call_command("send_reminders", "--today", "2022-08-19", "--days", "7")
    PlanItem.objects.filter(person_email="soon@example.org").update(deadline=date(2022, 8, 24))
    call_command("send_reminders", "--today", "2022-08-19", "--days", "7")
    assert [m.to[0] for m in mail.outbox].count("soon@example.org") == 2


def test_the_reminder_window_follows_the_days_option(due_things):
    call_command("send_reminders", "--today", "2022-08-19", "--days", "60")
    assert "later@example.org" in {m.to[0] for m in mail.outbox}


def test_the_reminder_command_refuses_a_malformed_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("send_reminders", "--today", "19/08/2022")


def test_returning_a_record_emails_only_the_officers_of_its_commune(db):
    commune, other = CommuneFactory(), CommuneFactory()
    mine = account_create(username="xa1", password="x", role="commune_officer", unit=commune)
    mine.email = "xa1@example.org"
    mine.save()
    theirs = account_create(username="xa2", password="x", role="commune_officer", unit=other)
    theirs.email = "xa2@example.org"
    theirs.save()
    record = RecordFactory(unit=commune, met=False)
    notify_record_returned(record=record, reason="Thiếu minh chứng")
    assert mail.outbox == []  # queued only: the sender runs outside the request
    call_command("send_notifications", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["xa1@example.org"]]
    assert "Thiếu minh chứng" in mail.outbox[0].body


def test_an_item_without_a_person_email_reminds_its_office(due_things):
    from steering.models import Office, OfficeKind

    office = Office.objects.create(
        unit=due_things.parent,
        name="Phòng Kinh tế và Hạ tầng",
        kind=OfficeKind.DISTRICT_OFFICE,
        email="ktht@example.org",
    )
    PlanItem.objects.filter(person_email="").update(office=office)
    call_command("send_reminders", "--today", "2022-08-19", "--days", "7")
    assert "ktht@example.org" in {m.to[0] for m in mail.outbox}


def test_a_failed_send_stays_queued_and_goes_out_on_a_later_run(due_things, monkeypatch):
    import notices.mail as reminders

    real_send = reminders.send_mail

    def flaky(subject, body, sender, to):
        if to == ["works@example.org"]:
            raise OSError("SMTP down")
        return real_send(subject, body, sender, to)

    monkeypatch.setattr(reminders, "send_mail", flaky)
    call_command("send_reminders", "--today", "2022-08-19", "--days", "7")
    assert [m.to[0] for m in mail.outbox] == ["soon@example.org"]
    monkeypatch.setattr(reminders, "send_mail", real_send)
    call_command("send_reminders", "--today", "2022-08-19", "--days", "7")
    assert len(mail.outbox) == 1  # the failed one waits before its next attempt
    Notification.objects.filter(recipient="works@example.org").update(retry_at=timezone.now())  # time passes
    call_command("send_reminders", "--today", "2022-08-19", "--days", "7")
    assert sorted(m.to[0] for m in mail.outbox) == ["soon@example.org", "works@example.org"]
