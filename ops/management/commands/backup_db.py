from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_database, backup_evidence, evidence_archive_path


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu vào một tệp (PostgreSQL: pg_dump -Fc; SQLite: backup API) và các "
        "tệp minh chứng vào tệp .evidence.tar bên cạnh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Tệp sao lưu sẽ ghi, ví dụ backups/ntm-20260101.dump")
        parser.add_argument("--database", default="default", help="Bí danh cơ sở dữ liệu (mặc định: default)")

    def handle(self, *args, output, database, **options):
        evidence = evidence_archive_path(output)
        try:
            size = backup_database(output=output, alias=database)
            # After the dump: every file a backed-up record points at is already on disk.
            files = backup_evidence(output=evidence)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu vào {output} ({size:,} byte).".replace(",", ".")))
        self.stdout.write(self.style.SUCCESS(f"Tệp minh chứng: {evidence} ({files:,} tệp).".replace(",", ".")))
