"""Queued e-mails (thư nhắc việc, thư báo trả lại): one row per person and occasion.

The table keeps the name it had in `steering` (migration notices/0001 moved it without SQL).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    PLAN_DUE = "plan_due", _("Nhắc hạn nhiệm vụ")
    WORK_DUE = "work_due", _("Nhắc hạn công trình")
    RECORD_RETURNED = "record_returned", _("Kết quả bị trả lại")


class Notification(models.Model):
    """Thư nhắc việc: one e-mail to one person about one thing, kept so it is never sent twice.

    `key` names the occasion (the item and its deadline, or the record and the return time), so
    a moved deadline earns a new reminder while a re-run of the command does not.
    """

    kind = models.CharField(_("loại"), max_length=20, choices=NotificationKind.choices)
    key = models.CharField(_("khoá"), max_length=100)
    recipient = models.EmailField(_("người nhận"))
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    # A sender claims a row before sending it, so two senders at once never send it twice.
    claimed_at = models.DateTimeField(_("thời điểm nhận gửi"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    retry_at = models.DateTimeField(_("gửi lại sau"), null=True, blank=True)
    last_error = models.CharField(_("lỗi lần gửi cuối"), max_length=500, blank=True)

    class Meta:
        db_table = "steering_notification"
        verbose_name = _("thư nhắc việc")
        verbose_name_plural = _("thư nhắc việc")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="notification_once_per_occasion")
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"
