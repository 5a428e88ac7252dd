from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notices.mail import send_pending
from steering.reminders import queue_due_reminders


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc hạn nhiệm vụ kế hoạch và công trình (chạy định kỳ bằng cron; "
        "không bao giờ gửi lại cùng một thư nhắc)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.NTM_REMINDER_DAYS,
            help="Nhắc trước hạn bao nhiêu ngày (mặc định NTM_REMINDER_DAYS).",
        )
        parser.add_argument("--today", help="Tính như hôm nay là ngày YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args, days, today, **options):
        if days < 0:
            raise CommandError("Số ngày nhắc trước phải không âm.")
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày “{today}” không hợp lệ, cần dạng YYYY-MM-DD.") from None
        queued = queue_due_reminders(today=day, days=days)
        sent = send_pending()
        self.stdout.write(f"Thư nhắc mới: {queued}; đã gửi: {sent}.")
