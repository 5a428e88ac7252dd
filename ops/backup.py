"""Backing up and restoring the whole database: pg_dump/pg_restore for PostgreSQL, the sqlite3
online backup API for SQLite. Both copy a consistent snapshot while the site keeps running.

Errors are raised as BackupError with a Vietnamese message the command prints as it is.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

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
    if not source.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(file)s.") % {"file": source})
    connection = connections[alias]
    with source.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if connection.vendor == "postgresql":
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(_("%(file)s không phải tệp sao lưu PostgreSQL (pg_dump -Fc).") % {"file": source})
        # pg_restore drops and recreates the tables: no connection of ours may hold them.
        connection.close()
        _pg_run(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(source)],
            connection,
        )
    elif connection.vendor == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(_("%(file)s không phải tệp sao lưu SQLite.") % {"file": source})
        _sqlite_copy(connection, source, into=True)
    else:
        raise BackupError(_("Chưa hỗ trợ phục hồi cơ sở dữ liệu %(vendor)s.") % {"vendor": connection.vendor})


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
