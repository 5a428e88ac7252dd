import time

from django.core.management.base import BaseCommand

from records.intervals import rebuild_status_intervals
from records.models import SetStanding
from shared.formatting import vi_number


class Command(BaseCommand):
    help = (
        "Tính lại toàn bộ bảng giai đoạn trạng thái chỉ tiêu từ các kết quả đã duyệt, và bảng kết quả theo bộ "
        "tiêu chí của từng đơn vị từ đó (trigger của cơ sở dữ liệu giữ hai bảng đúng sau mỗi lần ghi; lệnh này "
        "dùng khi cần kiểm tra hoặc khôi phục)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = rebuild_status_intervals()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Đã tính lại {vi_number(count, 0)} giai đoạn trạng thái và "
            f"{vi_number(SetStanding.objects.count(), 0)} giai đoạn kết quả theo bộ tiêu chí "
            f"trong {vi_number(seconds, 1)} giây."
        )
