"""Backups: back up, lose the data, restore, and every report figure is what it was."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from communes.models import AdministrativeUnit
from criteria.demo import EARLIER, MEETING, load_demo
from criteria.models import AchievementRecord
from reports.attainment import summarise
from reports.serializers import summary_dict

ON_POSTGRES = connection.vendor == "postgresql"
ON_SQLITE = connection.vendor == "sqlite"


def _all_figures():
    """Every figure the reports show for the demo's district and province, on both demo dates."""
    units = AdministrativeUnit.objects.filter(code__in=["dam-ha", "quang-ninh"]).order_by("code")
    return {(u.code, d): summary_dict(summarise(u, d)) for u in units for d in (EARLIER, MEETING)}


def _round_trip(tmp_path):
    load_demo()
    before = _all_figures()
    assert before[("dam-ha", MEETING)]["sets"][0]["criteria_met_sum"] == 143  # the demo is there
    backup = tmp_path / "ntm.dump"
    call_command("backup_db", output=str(backup))
    assert backup.stat().st_size > 0

    call_command("flush", interactive=False, verbosity=0)  # the data is lost
    assert AchievementRecord.objects.count() == 0
    assert _all_figures() == {}

    call_command("restore_db", str(backup), interactive=False)
    after = _all_figures()
    assert after == before
    return backup


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump/pg_restore round trip; the SQLite path is tested below")
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_and_restore_bring_back_every_report_figure(tmp_path):
    backup = _round_trip(tmp_path)
    assert backup.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite online-backup round trip; PostgreSQL is tested above")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_and_restore_bring_back_every_report_figure(tmp_path):
    backup = _round_trip(tmp_path)
    assert backup.read_bytes().startswith(b"SQLite format 3\x00")


@pytest.mark.django_db(transaction=True)
def test_restoring_a_file_that_is_not_a_backup_fails_clearly_and_changes_nothing(tmp_path):
    load_demo()
    before = AchievementRecord.objects.count()
    bogus = tmp_path / "notes.txt"
    bogus.write_text("không phải bản sao lưu")
    with pytest.raises(CommandError, match="không phải tệp sao lưu"):
        call_command("restore_db", str(bogus), interactive=False)
    assert AchievementRecord.objects.count() == before


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_restore's single transaction")
@pytest.mark.django_db(transaction=True)
def test_a_damaged_postgres_backup_fails_and_leaves_the_database_as_it_was(tmp_path):
    load_demo()
    backup = tmp_path / "ntm.dump"
    call_command("backup_db", output=str(backup))
    AchievementRecord.objects.filter(as_of=EARLIER).delete()
    remaining = AchievementRecord.objects.count()
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    with pytest.raises(CommandError, match="pg_restore thất bại"):
        call_command("restore_db", str(damaged), interactive=False)
    assert AchievementRecord.objects.count() == remaining


def test_restoring_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        call_command("restore_db", str(tmp_path / "nope.dump"), interactive=False)


def test_backing_up_into_a_missing_folder_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command("backup_db", output=str(tmp_path / "no-such-dir" / "ntm.dump"))


def test_restore_asks_first_and_a_no_changes_nothing(db, tmp_path, monkeypatch):
    load_demo()
    before = AchievementRecord.objects.count()
    backup = tmp_path / "ntm.dump"
    backup.write_bytes(b"irrelevant: never read")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Đã huỷ phục hồi"):
        call_command("restore_db", str(backup))
    assert AchievementRecord.objects.count() == before


@pytest.mark.skipif(not ON_POSTGRES, reason="only PostgreSQL needs the client tools")
def test_missing_postgres_client_tools_are_named_with_the_package_to_install(db, tmp_path, monkeypatch):
    monkeypatch.setattr("ops.backup.shutil.which", lambda tool: None)
    with pytest.raises(CommandError, match="Không tìm thấy lệnh pg_dump.*postgresql-client"):
        call_command("backup_db", output=str(tmp_path / "ntm.dump"))
    assert not (tmp_path / "ntm.dump").exists()

