import time

from django.core.management.base import BaseCommand, CommandError

from devdata.synthetic import generate, report_dates
from shared.formatting import vi_date, vi_number


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu giả lập cấp tỉnh / toàn quốc (đơn vị, đăng ký, kết quả chỉ tiêu, công nhận) để đo tải. "
        "Xác định theo --seed; mã đơn vị bắt đầu bằng “syn-”."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=50, help="số tỉnh (mặc định 50)")
        parser.add_argument("--communes", type=int, default=10_000, help="tổng số xã (mặc định 10.000)")
        parser.add_argument("--dates", type=int, default=4, help="số kỳ báo cáo nửa năm, kết thúc 31/12/2025")
        parser.add_argument(
            "--sets", type=int, default=2, help="số bộ tiêu chí xã: 1 cơ bản, 2 + nâng cao, 3 + kiểu mẫu"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-copy", action="store_true", help="dùng bulk_create kể cả trên PostgreSQL")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            stats = generate(
                provinces=options["provinces"],
                communes=options["communes"],
                dates=options["dates"],
                seed=options["seed"],
                sets=options["sets"],
                use_copy=False if options["no_copy"] else None,
                progress=lambda line: self.stdout.write(f"  {line}"),
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        days = ", ".join(vi_date(d) for d in report_dates(options["dates"]))
        rate = stats.records / max(stats.seconds["records"], 1e-9)
        self.stdout.write(
            f"Đã tạo {vi_number(stats.units, 0)} đơn vị, {vi_number(stats.enrolments, 0)} đăng ký, "
            f"{vi_number(stats.records, 0)} kết quả chỉ tiêu ({vi_number(rate, 0)} dòng/giây), "
            f"{vi_number(stats.recognitions, 0)} công nhận tại các ngày {days} trong {vi_number(seconds, 1)} giây."
        )
