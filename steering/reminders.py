"""Thư nhắc việc: e-mails about plan items and works coming due, queued in `notices`.

Every e-mail is first written to the Notification table, whose unique (kind, key, recipient)
makes a second reminder about the same occasion impossible; then unsent rows are sent, outside any
request, by the cron commands (`send_notifications` every minute, `send_reminders` daily).
"""

from datetime import timedelta

from django.utils.translation import gettext as _

from notices.models import Notification, NotificationKind
from shared.formatting import vi_date
from steering.models import PlanItem, Work


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
