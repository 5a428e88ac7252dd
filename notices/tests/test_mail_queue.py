"""E-mail never blocks a request: returning a record only queues its e-mail, and the sender
claims each queued e-mail so that it goes out exactly once, even with two senders at once."""

import socket
import threading
import time
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import notices.mail as reminders
from criteria.models import Indicator
from notices.models import Notification, NotificationKind
from records.models import AchievementRecord, RecordStatus, ReportingRound
from records.services import Entry, entry_save

ADVANCED = "xa-ntm-nang-cao-2021-2025"


@pytest.fixture
def silent_smtp(settings):
    """A TCP server that accepts connections and never says a word, as a hung mail server does.
    Yields the list of accepted connections (one per attempt to send)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    accepted, stop = [], threading.Event()

    def accept_forever():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
    settings.EMAIL_TIMEOUT = 1
    yield accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def _submitted_record(accounts):
    officer = accounts["xa_quangtan"]
    officer.email = "quangtan@example.vn"
    officer.save()
    (record,) = entry_save(
        unit=officer.profile.unit,
        reporting_round=ReportingRound.objects.get(unit__code="dam-ha", as_of=date(2022, 8, 19)),
        entries=[
            Entry(indicator=Indicator.objects.get(criterion__criteria_set__code=ADVANCED, code="13.7"), value_bool=True)
        ],
        submit=True,
        user=officer,
    )
    return record


@pytest.mark.django_db(transaction=True)
def test_returning_a_record_with_a_silent_mail_server_answers_at_once_and_the_mail_goes_out_once_later(
    demo_accounts, silent_smtp, settings, client
):
    record = _submitted_record(demo_accounts)
    settings.EMAIL_TIMEOUT = 5  # sending inside the request would show as a 5 s response
    client.force_login(demo_accounts["bcd"])

    started = time.monotonic()
    response = client.post(
        reverse("entry:record_return", args=[record.pk]), {"reason": "Thiếu biên bản", "version": record.version}
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 3
    assert AchievementRecord.objects.get(pk=record.pk).status == RecordStatus.RETURNED
    (note,) = Notification.objects.filter(kind=NotificationKind.RECORD_RETURNED)
    assert note.sent_at is None and silent_smtp == []

    # The cron sender meets the silent server: one attempt, a timeout, the row kept for later.
    settings.EMAIL_TIMEOUT = 1
    assert reminders.send_pending() == 0
    assert len(silent_smtp) == 1
    note.refresh_from_db()
    assert note.sent_at is None and note.attempts == 1 and "timed out" in note.last_error

    # The next minute's run leaves it alone (it waits 2 minutes); once the server is back and the
    # wait is over, it goes out exactly once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_notifications", stdout=StringIO())
    assert mail.outbox == [] and len(silent_smtp) == 1
    later = timezone.now() + timedelta(minutes=3)
    assert reminders.send_pending(now=later) == 1
    assert reminders.send_pending(now=later) == 0
    call_command("send_notifications", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["quangtan@example.vn"]]
    assert "Thiếu biên bản" in mail.outbox[0].body
    note.refresh_from_db()
    assert note.sent_at is not None and note.attempts == 2 and note.last_error == ""


def _queue(count):
    for n in range(count):
        Notification.objects.create(
            kind=NotificationKind.RECORD_RETURNED,
            key=f"record:{n}",
            recipient=f"xa{n}@example.vn",
            subject="s",
            body="b",
        )


def test_a_second_sender_starting_mid_send_never_sends_the_same_mail_again(db, monkeypatch):
    _queue(3)
    real_send, calls = reminders.send_mail, []

    def send_and_start_another_sender(subject, body, sender, to):
        calls.append(to[0])
        if len(calls) == 1:
            reminders.send_pending()  # cron starts while the first sender is still on its first mail
        return real_send(subject, body, sender, to)

    monkeypatch.setattr(reminders, "send_mail", send_and_start_another_sender)
    reminders.send_pending()

    assert sorted(calls) == ["xa0@example.vn", "xa1@example.vn", "xa2@example.vn"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(calls)
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need real concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_senders_in_parallel_send_each_mail_exactly_once(monkeypatch):
    _queue(20)
    sent, lock = [], threading.Lock()

    def slow_send(subject, body, sender, to):
        time.sleep(0.01)
        with lock:
            sent.append(to[0])

    monkeypatch.setattr(reminders, "send_mail", slow_send)
    start = threading.Barrier(2)

    def sender():
        start.wait()
        try:
            reminders.send_pending()
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(sent) == sorted(f"xa{n}@example.vn" for n in range(20))


def test_a_claim_left_by_a_sender_that_died_is_retried_after_the_lease(db):
    _queue(2)
    now = timezone.now()
    Notification.objects.filter(recipient="xa0@example.vn").update(claimed_at=now - timedelta(minutes=1))
    Notification.objects.filter(recipient="xa1@example.vn").update(claimed_at=now - reminders.CLAIM_LEASE * 2)
    assert reminders.send_pending() == 1
    assert [m.to for m in mail.outbox] == [["xa1@example.vn"]]  # the fresh claim is someone else's


def test_a_failing_address_is_retried_less_and_less_often_but_never_given_up():
    assert [reminders.retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]
    assert reminders.retry_delay(30) == timedelta(hours=6)
