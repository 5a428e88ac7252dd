import time

from django.core.management.base import BaseCommand

from records.intervals import rebuild_status_intervals
from shared.formatting import vi_number


class Command(BaseCommand):
    help = (
        "Tính lại toàn bộ bảng giai đoạn trạng thái chỉ tiêu từ các kết quả đã duyệt "
        "(trigger của cơ sở dữ liệu giữ bảng đúng sau mỗi lần ghi; lệnh này dùng khi cần kiểm tra hoặc khôi phục)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = rebuild_status_intervals()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Đã tính lại {vi_number(count, 0)} giai đoạn trạng thái trong {vi_number(seconds, 1)} giây.")
