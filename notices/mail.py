"""Sending the queued e-mails, and queuing the one the record workflow needs.

Every e-mail is first written to the Notification table, whose unique (kind, key, recipient)
makes a second e-mail about the same occasion impossible; then unsent rows are sent, outside any
request, by the cron command `send_notifications` (every minute).
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
from notices.models import Notification, NotificationKind
from shared.formatting import vi_date

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
        claimed = Notification.objects.filter(claimable, pk=pk).update(
            claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
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
            body=_(
                "Kết quả chỉ tiêu %(indicator)s của %(unit)s tính đến ngày %(date)s bị trả lại.\nLý do: %(reason)s\n"
            )
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
