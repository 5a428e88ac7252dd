from django.conf import settings
from django.core.management.base import BaseCommand

from devdata.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo, load_demo_accounts
from devdata.steering_demo import load_steering_demo


class Command(BaseCommand):
    help = "Nạp bộ tiêu chí tham chiếu và dữ liệu minh hoạ huyện Đầm Hà 2022 (chạy lại nhiều lần được)."

    def handle(self, *args, **options):
        units = load_demo()
        load_steering_demo()
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu minh hoạ: {len(units)} đơn vị hành chính."))
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "Không tạo tài khoản demo vì DEBUG đang tắt (môi trường thật). "
                    "Hãy tạo tài khoản bằng `manage.py createsuperuser`."
                )
            )
            return
        load_demo_accounts()
        self.stdout.write("Tài khoản demo (mật khẩu: %s):" % DEMO_PASSWORD)
        for username, _role, _unit, name in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {name}")
