"""Backups: back up, lose the data and the evidence files, restore, and every report figure and
every evidence file is what it was."""

import io
import shutil
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from communes.models import AdministrativeUnit
from criteria.models import Indicator
from devdata.demo import EARLIER, MEETING, load_demo
from ops.backup import evidence_archive_path
from records.models import AchievementRecord, Evidence, ReportingRound, StatusInterval
from records.services import Entry, entry_save
from reports.engine import summarise
from reports.serializers import summary_dict

ON_POSTGRES = connection.vendor == "postgresql"
ON_SQLITE = connection.vendor == "sqlite"


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    """Evidence files in a throw-away folder: a restore replaces the whole folder."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


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
    # The status intervals the figures read came back with their triggers: a later write counts.
    record = AchievementRecord.objects.filter(status="verified", as_of=MEETING, value_bool=True).first()
    AchievementRecord.objects.filter(pk=record.pk).update(value_bool=False, is_met=False)
    assert (
        not StatusInterval.objects.in_force_on(MEETING).get(unit=record.unit_id, indicator=record.indicator_id).is_met
    )
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
    shutil.copy(evidence_archive_path(backup), evidence_archive_path(damaged))
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


PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(reversed(range(256))) * 8


def _upload_evidence():
    """Two communes attach evidence files through the entry service, as the entry form does."""
    from devdata.demo import load_demo_accounts

    users = {u.username: u for u in load_demo_accounts()}
    meeting = ReportingRound.objects.get(unit__code="dam-ha", as_of=MEETING)
    indicator = Indicator.objects.get(criterion__criteria_set__code="xa-ntm-nang-cao-2021-2025", code="13.7")
    for username, files in [
        ("xa_quangtan", [("bien-ban.pdf", PDF), ("anh.png", PNG)]),
        ("xa_tanlap", [("bb.pdf", PDF[:900])]),
    ]:
        entry_save(
            unit=users[username].profile.unit,
            reporting_round=meeting,
            submit=True,
            user=users[username],
            entries=[Entry(indicator=indicator, value_bool=True, files=[SimpleUploadedFile(n, b) for n, b in files])],
        )
    return {e.pk: e.file.read() for e in Evidence.objects.all()}


@pytest.mark.django_db(transaction=True)
def test_a_backup_carries_the_evidence_files_and_a_restore_gives_back_every_byte(tmp_path, evidence_root, client):
    load_demo()
    originals = _upload_evidence()
    assert len(originals) == 3 and sorted(len(b) for b in originals.values()) == [900, 2056, 10256]
    backup = tmp_path / "backups" / "ntm.dump"
    backup.parent.mkdir()
    call_command("backup_db", output=str(backup))
    assert evidence_archive_path(backup).name == "ntm.evidence.tar"

    call_command("flush", interactive=False, verbosity=0)  # the server is lost: data and files
    shutil.rmtree(evidence_root)

    call_command("restore_db", str(backup), interactive=False)

    restored = {e.pk: e.file.read() for e in Evidence.objects.all()}
    assert restored == originals
    client.force_login(get_user_model().objects.get(username="bcd"))
    for pk, content in originals.items():
        response = client.get(f"/minh-chung/{pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content


@pytest.mark.django_db(transaction=True)
def test_restoring_without_the_evidence_archive_is_refused_and_changes_nothing(tmp_path, evidence_root):
    load_demo()
    originals = _upload_evidence()
    backup = tmp_path / "ntm.dump"
    call_command("backup_db", output=str(backup))
    evidence_archive_path(backup).unlink()
    AchievementRecord.objects.filter(as_of=EARLIER).delete()
    remaining = AchievementRecord.objects.count()

    with pytest.raises(CommandError, match="Không tìm thấy tệp minh chứng .*--without-evidence"):
        call_command("restore_db", str(backup), interactive=False)
    assert AchievementRecord.objects.count() == remaining
    assert {e.pk: e.file.read() for e in Evidence.objects.all()} == originals

    call_command("restore_db", str(backup), interactive=False, with_evidence=False)  # an old backup
    assert AchievementRecord.objects.count() > remaining
    assert {e.pk: e.file.read() for e in Evidence.objects.all()} == originals  # folder untouched


@pytest.mark.django_db(transaction=True)
def test_an_evidence_archive_reaching_outside_its_folder_is_refused_and_changes_nothing(tmp_path, evidence_root):
    load_demo()
    originals = _upload_evidence()
    backup = tmp_path / "ntm.dump"
    call_command("backup_db", output=str(backup))
    with tarfile.open(evidence_archive_path(backup), "w") as archive:
        member = tarfile.TarInfo("../../outside.txt")
        member.size = 3
        archive.addfile(member, io.BytesIO(b"bad"))
    AchievementRecord.objects.filter(as_of=EARLIER).delete()
    remaining = AchievementRecord.objects.count()

    with pytest.raises(CommandError, match="không phải tệp sao lưu minh chứng hợp lệ"):
        call_command("restore_db", str(backup), interactive=False)
    assert AchievementRecord.objects.count() == remaining
    assert {e.pk: e.file.read() for e in Evidence.objects.all()} == originals
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path.parent / "outside.txt").exists()
