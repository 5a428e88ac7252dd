from django.conf import settings
from django.core.management.base import BaseCommand

from devdata import demo, quang_ninh_2026
from devdata.steering_demo import load_steering_demo

DAM_HA_2022 = "dam-ha-2022"
QUANG_NINH_2026 = "quang-ninh-2026"
# name: (loader, account loader, [(username, display name)]). Quảng Ninh 2026 is built on Đầm Hà
# 2022 (the old units keep their 2022 records), so its loader loads that one too.
SCENARIOS = {
    DAM_HA_2022: (demo.load_demo, demo.load_demo_accounts, [(a[0], a[3]) for a in demo.DEMO_ACCOUNTS]),
    QUANG_NINH_2026: (
        quang_ninh_2026.load_quang_ninh_2026,
        quang_ninh_2026.load_quang_ninh_2026_accounts,
        [(a[0], a[3]) for a in quang_ninh_2026.ACCOUNTS],
    ),
}


class Command(BaseCommand):
    help = (
        "Nạp bộ tiêu chí tham chiếu và dữ liệu minh hoạ (chạy lại nhiều lần được): huyện Đầm Hà 2022 "
        "(mặc định) và tỉnh Quảng Ninh 2026, sau khi sắp xếp đơn vị hành chính."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scenario",
            action="append",
            choices=list(SCENARIOS),
            help=f"Kịch bản cần nạp; ghi nhiều lần được (mặc định: {DAM_HA_2022}; {QUANG_NINH_2026} nạp cả {DAM_HA_2022}).",
        )

    def handle(self, *args, scenario=None, **options):
        chosen = list(dict.fromkeys(scenario or [DAM_HA_2022]))
        # Quảng Ninh 2026 loads Đầm Hà 2022 itself; the accounts of both are created.
        loaded = [name for name in chosen if not (name == DAM_HA_2022 and QUANG_NINH_2026 in chosen)]
        with_accounts = list(dict.fromkeys([DAM_HA_2022, *chosen]))
        units = {}
        for name in loaded:
            units.update(SCENARIOS[name][0]())
        load_steering_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Đã nạp dữ liệu minh hoạ ({', '.join(chosen)}): {len(units)} đơn vị hành chính.")
        )
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "Không tạo tài khoản demo vì DEBUG đang tắt (môi trường thật). "
                    "Hãy tạo tài khoản bằng `manage.py createsuperuser`."
                )
            )
            return
        self.stdout.write("Tài khoản demo (mật khẩu: %s):" % demo.DEMO_PASSWORD)
        for name in with_accounts:
            _loader, load_accounts, accounts = SCENARIOS[name]
            load_accounts()
            for username, display_name in accounts:
                self.stdout.write(f"  {username:<16} {display_name}")
