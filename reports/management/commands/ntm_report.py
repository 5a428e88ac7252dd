import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from communes.models import AdministrativeUnit
from reports.engine import summarise
from reports.narrative import summary_text
from reports.serializers import summary_dict


def _parse_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: “{value}”. Dùng dạng YYYY-MM-DD, ví dụ 2022-08-19.") from None


class Command(BaseCommand):
    help = "In báo cáo kết quả thực hiện bộ tiêu chí NTM đến một ngày (văn bản hoặc JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="Ngày báo cáo, YYYY-MM-DD.")
        parser.add_argument("--unit", help="Mã đơn vị; mặc định: mọi đơn vị cấp cao nhất.")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--include-submitted",
            action="store_true",
            help="Tính cả số liệu xã đã gửi nhưng huyện chưa duyệt (mặc định: chỉ số liệu đã duyệt).",
        )

    def handle(self, *args, as_of, unit, format, include_submitted, **options):
        day = _parse_date(as_of)
        if unit:
            try:
                units = [AdministrativeUnit.objects.get(code=unit)]
            except AdministrativeUnit.DoesNotExist:
                raise CommandError(f"Không tìm thấy đơn vị có mã “{unit}”.") from None
        else:
            units = list(AdministrativeUnit.objects.top_level().valid_on(day))
            if not units:
                raise CommandError("Chưa có đơn vị hành chính nào. Hãy chạy `manage.py load_demo` trước.")
        summaries = [summarise(u, day, include_submitted=include_submitted) for u in units]
        if format == "json":
            data = [summary_dict(s) for s in summaries]
            self.stdout.write(json.dumps(data if not unit else data[0], ensure_ascii=False, indent=2))
        else:
            if include_submitted:
                self.stdout.write("Gồm cả số liệu đã gửi, chưa được duyệt.")
            self.stdout.write("\n\n".join(summary_text(s) for s in summaries))
