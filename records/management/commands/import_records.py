"""python manage.py import_records FILE [--dry-run] [--unit CODE]: the web record import, for large files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit
from records.imports import records_import

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Nhập kết quả chỉ tiêu từ tệp .xlsx/.csv theo mẫu; cùng kiểm tra và cùng giao dịch như trên web."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx hoặc .csv theo mẫu kết quả chỉ tiêu")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và báo thay đổi, không lưu")
        parser.add_argument("--unit", help="Chỉ nhận các dòng của đơn vị này và các đơn vị trực thuộc")

    def handle(self, *args, file, dry_run, unit, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": file})
        scope = None
        if unit:
            scope = AdministrativeUnit.objects.filter(code=unit).first()
            if scope is None:
                raise CommandError(_("Không có đơn vị mã “%(code)s”.") % {"code": unit})
        with path.open("rb") as upload:
            # No upload size or row limit on the command line: it is meant for large files.
            result = records_import(
                file=upload, user=None, unit=scope, dry_run=dry_run, max_bytes=0, max_rows=0, progress=self._progress
            )
        self.stderr.write("")
        errors = result.errors
        for error in errors.shown:
            where = (
                _("dòng %(row)d, cột “%(col)s”") % {"row": error.row, "col": error.column} if error.row else _("tệp")
            )
            self.stdout.write(f"{where}: {error.message}")
        if errors.stopped_at:
            self.stdout.write(
                _(
                    "Đã dừng kiểm tra ở dòng %(row)d sau %(n)d lỗi; các dòng sau chưa được kiểm tra. Sửa các lỗi trên rồi tải lên lại."
                )
                % {"row": errors.stopped_at, "n": len(errors)}
            )
        elif errors.hidden:
            self.stdout.write(_("… và %(n)d lỗi khác không hiển thị.") % {"n": errors.hidden})
        self.stdout.write(
            _(
                "%(rows)d dòng: %(created)d kết quả mới, %(updated)d sửa, %(same)d không đổi, %(blank)d để trống; %(errors)d lỗi."
            )
            % {
                "rows": result.rows_read,
                "created": result.created_count,
                "updated": result.updated_count,
                "same": result.unchanged,
                "blank": result.blank,
                "errors": len(result.errors),
            }
        )
        if result.errors:
            raise CommandError(_("Tệp có lỗi; không lưu dòng nào."))
        if dry_run:
            self.stdout.write(_("Chạy thử (--dry-run): chưa lưu gì."))
        elif result.saved:
            self.stdout.write(self.style.SUCCESS(_("Đã lưu toàn bộ thay đổi.")))
        else:
            self.stdout.write(_("Không có thay đổi nào để lưu."))

    def _progress(self, done, total, stage):
        filled = BAR_WIDTH * done // max(total, 1)
        self.stderr.write(f"\r{stage:<10} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", ending="")
        self.stderr.flush()
