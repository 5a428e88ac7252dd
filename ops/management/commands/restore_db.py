from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, evidence_archive_path, restore_with_evidence


class Command(BaseCommand):
    help = (
        "Phục hồi cơ sở dữ liệu và tệp minh chứng từ bản sao lưu của backup_db; dữ liệu và minh chứng hiện "
        "có bị thay thế."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Tệp sao lưu do backup_db tạo")
        parser.add_argument("--database", default="default", help="Bí danh cơ sở dữ liệu (mặc định: default)")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Không hỏi xác nhận (dùng trong script)."
        )
        parser.add_argument(
            "--without-evidence",
            action="store_false",
            dest="with_evidence",
            help="Chỉ phục hồi cơ sở dữ liệu, giữ nguyên thư mục minh chứng (bản sao lưu cũ không có tệp .evidence.tar).",
        )

    def handle(self, *args, source, database, interactive, with_evidence, **options):
        if interactive:
            answer = input(
                f"Toàn bộ dữ liệu hiện có của cơ sở dữ liệu '{database}'"
                + (" và thư mục minh chứng" if with_evidence else "")
                + f" sẽ bị thay bằng nội dung của {source}.\nGõ 'yes' để tiếp tục: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Đã huỷ phục hồi; dữ liệu không thay đổi.")
        try:
            files = restore_with_evidence(source=source, alias=database, with_evidence=with_evidence)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Đã phục hồi từ {source}."))
        if files is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Tệp minh chứng: {files:,} tệp từ {evidence_archive_path(source)}.".replace(",", ".")
                )
            )
