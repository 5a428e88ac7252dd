"""Thư nhắc việc: e-mails about plan items and works coming due, and about returned records.

Every e-mail is first written to the Notification table, whose unique (kind, key, recipient)
makes a second reminder about the same occasion impossible; then unsent rows are sent, outside any
request, by the cron commands (`send_notifications` every minute, `send_reminders` daily).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from reports.formatting import vi_date

from steering.models import Notification, NotificationKind, PlanItem, Work

log = logging.getLogger(__name__)

# How long a claimed, unsent e-mail is left to its sender before another sender may retry it:
# far longer than one SMTP exchange can take (EMAIL_TIMEOUT).
CLAIM_LEASE = timedelta(minutes=15)
# After a failed send, wait 2, 4, 8 ... minutes, at most six hours, before trying again: a dead
# server or a bad address is not hammered every minute, and no e-mail is ever given up.
RETRY_CAP_MINUTES = 360


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed send of one e-mail."""
    return timedelta(minutes=min(2**attempts, RETRY_CAP_MINUTES))


def _plan_recipient(item):
    return item.person_email or (item.office.email if item.office else "")


def queue_due_reminders(*, today, days):
    """Queue a reminder for each open plan item and unfinished work due within `days` days of
    `today` (overdue ones included: a deadline passed is still worth one e-mail). Returns how many
    new reminders were queued; occasions already reminded are skipped by the unique constraint.
    """
    horizon = today + timedelta(days=days)
    notes = []
    for item in PlanItem.objects.open().filter(deadline__lte=horizon).with_related():
        recipient = _plan_recipient(item)
        if not recipient:
            continue
        notes.append(
            Notification(
                kind=NotificationKind.PLAN_DUE,
                key=f"plan:{item.pk}:{item.deadline.isoformat()}",
                recipient=recipient,
                subject=_("[NTM] Nhiệm vụ chỉ tiêu %(code)s của %(unit)s đến hạn %(date)s")
                % {"code": item.indicator.code, "unit": item.unit.display_name, "date": vi_date(item.deadline)},
                body=_("Nhiệm vụ: %(action)s\nChỉ tiêu: %(indicator)s (%(set)s)\nThời hạn: %(date)s\n")
                % {
                    "action": item.action or _("(chưa ghi nội dung)"),
                    "indicator": item.indicator.display_name,
                    "set": item.criteria_set.name,
                    "date": vi_date(item.deadline),
                },
            )
        )
    for work in Work.objects.filter(physical_progress__lt=100, due_date__lte=horizon).select_related("unit", "office"):
        recipient = work.person_email or (work.office.email if work.office else "")
        if not recipient:
            continue
        notes.append(
            Notification(
                kind=NotificationKind.WORK_DUE,
                key=f"work:{work.pk}:{work.due_date.isoformat()}",
                recipient=recipient,
                subject=_("[NTM] Công trình “%(name)s” đến hạn hoàn thành %(date)s")
                % {"name": work.name, "date": vi_date(work.due_date)},
                body=_("Công trình: %(name)s (%(unit)s)\nKhối lượng hoàn thành: %(progress)s%%\nThời hạn: %(date)s\n")
                % {
                    "name": work.name,
                    "unit": work.unit.display_name,
                    "progress": work.physical_progress,
                    "date": vi_date(work.due_date),
                },
            )
        )
    before = Notification.objects.count()
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    return Notification.objects.count() - before


def send_pending(*, now=None):
    """Send every queued, unsent e-mail that is due, each claimed first so that two senders at once
    (cron and a manual run) never send one twice; a failure is logged and retried later
    (`retry_delay`). Returns the number sent."""
    now = now or timezone.now()
    # A claim older than this belongs to a sender that died mid-send: the row is due again.
    stale = now - CLAIM_LEASE
    claimable = (
        Q(sent_at__isnull=True)
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    )
    sent = 0
    for pk in Notification.objects.filter(claimable).order_by("pk").values_list("pk", flat=True):
        claimed = Notification.objects.filter(claimable, pk=pk).update(claimed_at=timezone.now(), attempts=F("attempts") + 1)
        if not claimed:
            continue  # another sender took it meanwhile
        note = Notification.objects.get(pk=pk)
        try:
            send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.recipient])
        except Exception as error:  # noqa: BLE001 -- one bad address or a dead server must not stop the others
            log.warning("Không gửi được thư nhắc việc #%s (lần %s): %r", note.pk, note.attempts, error)
            Notification.objects.filter(pk=pk).update(
                claimed_at=None, last_error=repr(error)[:500], retry_at=now + retry_delay(note.attempts)
            )
            continue
        Notification.objects.filter(pk=pk).update(sent_at=timezone.now(), last_error="", retry_at=None)
        sent += 1
    return sent


def notify_record_returned(*, record, reason, returned_by=None):
    """Hook for the record workflow: when district staff return a record, queue an e-mail to the
    commune officers of its unit. The rows commit with the return; `send_notifications` (cron,
    every minute) sends them, so a slow or dead mail server never holds up the request.
    """
    officers = (
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.COMMUNE_OFFICER, profile__unit=record.unit_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    stamp = timezone.now().isoformat(timespec="seconds")
    notes = [
        Notification(
            kind=NotificationKind.RECORD_RETURNED,
            key=f"record:{record.pk}:{stamp}",
            recipient=email,
            subject=_("[NTM] Kết quả chỉ tiêu %(code)s bị trả lại") % {"code": record.indicator.code},
            body=_("Kết quả chỉ tiêu %(indicator)s của %(unit)s tính đến ngày %(date)s bị trả lại.\nLý do: %(reason)s\n")
            % {
                "indicator": record.indicator.display_name,
                "unit": record.unit.display_name,
                "date": vi_date(record.as_of),
                "reason": reason,
            },
        )
        for email in officers
    ]
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    return notes
