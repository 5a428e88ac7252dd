"""Backing up and restoring the whole database and the evidence files.

The database: pg_dump/pg_restore for PostgreSQL, the sqlite3 online backup API for SQLite; both
copy a consistent snapshot while the site keeps running. The evidence files (EVIDENCE_ROOT, kept
outside the database and outside MEDIA_ROOT) go into a plain tar beside the dump,
`<name>.evidence.tar`, written after the dump so that every file the dump refers to is in it.

Errors are raised as BackupError with a Vietnamese message the command prints as it is.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in Vietnamese."""


def backup_database(*, output, alias="default"):
    """Write a full copy of database `alias` to `output`; returns its size in bytes."""
    output = Path(output)
    if not output.parent.is_dir():
        raise BackupError(_("Thư mục %(dir)s không tồn tại.") % {"dir": output.parent})
    connection = connections[alias]
    try:
        if connection.vendor == "postgresql":
            _pg_run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", str(output)], connection)
        elif connection.vendor == "sqlite":
            _sqlite_copy(connection, output, into=False)
        else:
            raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(vendor)s.") % {"vendor": connection.vendor})
    except BackupError:
        # Never leave a truncated file that looks like a backup.
        output.unlink(missing_ok=True)
        raise
    return output.stat().st_size


def restore_database(*, source, alias="default"):
    """Replace every table of database `alias` with the contents of backup file `source`.

    PostgreSQL restores in one transaction, so a failing restore leaves the database as it was.
    """
    source = Path(source)
    check_backup_file(source=source, alias=alias)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        # pg_restore drops and recreates the tables: no connection of ours may hold them.
        connection.close()
        _pg_run(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(source)],
            connection,
        )
    else:
        _sqlite_copy(connection, source, into=True)


def check_backup_file(*, source, alias="default"):
    """Refuse, before anything changes, a missing file or one that is not a backup of this engine."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(file)s.") % {"file": source})
    vendor = connections[alias].vendor
    with source.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if vendor == "postgresql" and not head.startswith(PG_CUSTOM_MAGIC):
        raise BackupError(_("%(file)s không phải tệp sao lưu PostgreSQL (pg_dump -Fc).") % {"file": source})
    if vendor == "sqlite" and head != SQLITE_MAGIC:
        raise BackupError(_("%(file)s không phải tệp sao lưu SQLite.") % {"file": source})
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(_("Chưa hỗ trợ phục hồi cơ sở dữ liệu %(vendor)s.") % {"vendor": vendor})


def _sqlite_copy(connection, path, *, into):
    """Copy Django's SQLite database to `path`, or (into=True) `path` into Django's database."""
    connection.ensure_connection()
    other = None
    try:
        other = sqlite3.connect(path)
        if into:
            other.backup(connection.connection)
        else:
            connection.connection.backup(other)
    except sqlite3.Error as error:
        raise BackupError(_("Sao lưu/phục hồi SQLite thất bại: %(error)s") % {"error": error}) from error
    finally:
        if other is not None:
            other.close()


def _pg_run(tool, args, connection):
    """Run pg_dump or pg_restore against `connection`'s database; the password goes by environment."""
    if shutil.which(tool) is None:
        raise BackupError(
            _("Không tìm thấy lệnh %(tool)s. Cài gói postgresql-client (apt-get install postgresql-client).")
            % {"tool": tool}
        )
    params = connection.settings_dict
    command = [tool, "--dbname", params["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            command += [flag, str(params[key])]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    result = subprocess.run([*command, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s thất bại (mã %(code)s): %(error)s")
            % {"tool": tool, "code": result.returncode, "error": result.stderr.strip()}
        )


def evidence_archive_path(backup):
    """Where the evidence files of database backup `backup` are: `ntm-….dump` -> `ntm-….evidence.tar`."""
    return Path(backup).with_suffix(".evidence.tar")


def backup_evidence(*, output, root=None):
    """Write every file under EVIDENCE_ROOT (or `root`) to tar `output`; returns the file count."""
    root = Path(root or settings.EVIDENCE_ROOT)
    output = Path(output)
    partial = output.with_name(output.name + ".partial")
    count = 0
    try:
        with tarfile.open(partial, "w") as archive:
            for path in sorted(root.rglob("*")) if root.is_dir() else []:
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                    count += 1
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(_("Không sao lưu được tệp minh chứng: %(error)s") % {"error": error}) from error
    partial.replace(output)  # only a complete archive ever carries the final name
    return count


def unpack_evidence(*, source, into):
    """Extract evidence tar `source` into the new folder `into`, refusing anything but plain files
    and folders below it (no absolute paths, no `..`, no links). Returns the file count."""
    try:
        with tarfile.open(source, "r") as archive:
            members = archive.getmembers()
            if any(not (m.isfile() or m.isdir()) for m in members):
                raise BackupError(_("%(file)s chứa mục không phải tệp thường.") % {"file": source})
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            _("%(file)s không phải tệp sao lưu minh chứng hợp lệ: %(error)s") % {"file": source, "error": error}
        ) from error
    return sum(1 for m in members if m.isfile())


def replace_evidence_root(unpacked, root=None):
    """Put the folder `unpacked` in place of EVIDENCE_ROOT (or `root`); the old folder is removed."""
    root = Path(root or settings.EVIDENCE_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    previous = None
    if root.exists():
        previous = Path(tempfile.mkdtemp(prefix=".evidence-old-", dir=root.parent))
        root.replace(previous / "evidence")
    Path(unpacked).replace(root)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def restore_with_evidence(*, source, alias="default", with_evidence=True, root=None):
    """Restore the database from `source` and, beside it, its evidence files; returns the number of
    evidence files restored (None without them).

    Nothing changes unless both can be read: the evidence tar is unpacked first into a folder next
    to EVIDENCE_ROOT, then the database is restored (in one transaction on PostgreSQL), and only
    then does the unpacked folder replace EVIDENCE_ROOT.
    """
    root = Path(root or settings.EVIDENCE_ROOT)
    archive = evidence_archive_path(source)
    if not with_evidence:
        restore_database(source=source, alias=alias)
        return None
    check_backup_file(source=source, alias=alias)
    if not archive.is_file():
        raise BackupError(
            _(
                "Không tìm thấy tệp minh chứng %(file)s đi kèm bản sao lưu. Đặt nó cạnh tệp sao lưu, hoặc dùng "
                "--without-evidence để chỉ phục hồi cơ sở dữ liệu."
            )
            % {"file": archive}
        )
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".evidence-new-", dir=root.parent))
    try:
        count = unpack_evidence(source=archive, into=staging)
        restore_database(source=source, alias=alias)
        replace_evidence_root(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count
