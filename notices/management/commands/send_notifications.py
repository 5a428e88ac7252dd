from django.core.management.base import BaseCommand

from notices.mail import send_pending


class Command(BaseCommand):
    help = (
        "Gửi các thư đang chờ (thư báo kết quả bị trả lại, thư nhắc việc chưa gửi được); chạy mỗi phút "
        "bằng cron. Mỗi thư chỉ được gửi một lần, kể cả khi hai lệnh chạy cùng lúc."
    )

    def handle(self, *args, **options):
        sent = send_pending()
        self.stdout.write(f"Đã gửi: {sent}.")
