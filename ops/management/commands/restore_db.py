from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Phục hồi cơ sở dữ liệu từ một tệp sao lưu của backup_db; dữ liệu hiện có bị thay thế."

    def add_arguments(self, parser):
        parser.add_argument("source", help="Tệp sao lưu do backup_db tạo")
        parser.add_argument("--database", default="default", help="Bí danh cơ sở dữ liệu (mặc định: default)")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Không hỏi xác nhận (dùng trong script)."
        )

    def handle(self, *args, source, database, interactive, **options):
        if interactive:
            answer = input(
                f"Toàn bộ dữ liệu hiện có của cơ sở dữ liệu '{database}' sẽ bị thay bằng nội dung của {source}.\n"
                "Gõ 'yes' để tiếp tục: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Đã huỷ phục hồi; dữ liệu không thay đổi.")
        try:
            restore_database(source=source, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Đã phục hồi từ {source}."))
