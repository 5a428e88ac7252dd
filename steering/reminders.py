"""Thư nhắc việc: e-mails about plan items and works coming due, and about returned records.

Every e-mail is first written to the Notification table, whose unique (kind, key, recipient)
makes a second reminder about the same occasion impossible; then unsent rows are sent.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from reports.formatting import vi_date

from .models import Notification, NotificationKind, PlanItem, Work

log = logging.getLogger(__name__)


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


def send_pending():
    """Send every queued, unsent e-mail; a failed one stays queued for the next run. Returns the
    number sent."""
    sent = 0
    for note in Notification.objects.filter(sent_at__isnull=True).order_by("pk"):
        try:
            send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.recipient])
        except Exception:  # noqa: BLE001 -- one bad address must not stop the others
            log.exception("Không gửi được thư nhắc việc #%s", note.pk)
            continue
        Notification.objects.filter(pk=note.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def notify_record_returned(*, record, reason, returned_by=None):
    """Hook for the record workflow (issue 4): when district staff return a record, e-mail the
    commune officers of its unit. Queued now, sent once the caller's transaction commits.
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
    transaction.on_commit(send_pending)
    return notes
