"""The systemd unit and .env.example agree on every path the app writes: each is documented with
a value in .env.example, that value is what the settings use, and the unit lets the app write it."""

import json
import re
from pathlib import PurePosixPath

from tests.ops.conftest import PROJECT

UNIT = PROJECT / "deploy" / "ntm-dashboard.service"
ENV_EXAMPLE = PROJECT / ".env.example"
# Every folder the running app (or its ExecStartPre steps and `make backup`) writes into.
WRITTEN = ("MEDIA_ROOT", "EVIDENCE_ROOT", "NTM_IMPORT_TMP_DIR", "STATIC_ROOT", "BACKUP_DIR")
SETTINGS = ("MEDIA_ROOT", "EVIDENCE_ROOT", "NTM_IMPORT_TMP_DIR", "STATIC_ROOT")


def _unit_writable():
    """Folders the unit lets the service write: ReadWritePaths, StateDirectory, and /tmp (PrivateTmp)."""
    writable = []
    for line in UNIT.read_text().splitlines():
        key, _, value = line.partition("=")
        if key == "ReadWritePaths":
            writable += [PurePosixPath(p.lstrip("-+")) for p in value.split()]
        elif key == "StateDirectory":
            writable += [PurePosixPath("/var/lib") / p for p in value.split()]
    return writable


def _env_example():
    """Active values, and values suggested in comments (`# NAME=value`)."""
    active, suggested = {}, {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            (suggested if match.group(1) else active)[match.group(2)] = match.group(3)
    return active, suggested


def _is_writable(path, writable):
    return any(path == root or root in path.parents for root in writable)


def test_every_path_the_app_writes_is_documented_and_writable_under_the_unit():
    writable = _unit_writable()
    active, _suggested = _env_example()
    for name in WRITTEN:
        assert active.get(name), f"{name} has no value in .env.example"
        path = PurePosixPath(active[name])
        assert path.is_absolute(), name
        assert _is_writable(path, writable), f"{name}={path} is not writable under {UNIT.name}"
    # A restore unpacks the evidence beside EVIDENCE_ROOT and swaps the folders.
    assert _is_writable(PurePosixPath(active["EVIDENCE_ROOT"]).parent, writable)


def test_the_documented_sqlite_file_lies_in_a_folder_the_unit_can_write():
    active, suggested = _env_example()
    urls = [u for u in (active.get("DATABASE_URL", ""), suggested.get("DATABASE_URL", "")) if u.startswith("sqlite:")]
    assert urls, ".env.example documents no SQLite DATABASE_URL"
    for url in urls:
        database = PurePosixPath(url.removeprefix("sqlite:///"))
        assert database.is_absolute() and _is_writable(database.parent, _unit_writable()), url


def test_every_writable_folder_in_the_unit_is_one_the_env_example_names():
    active, suggested = _env_example()
    documented = [PurePosixPath(v) for v in active.values() if v.startswith("/")]
    documented += [PurePosixPath(u.removeprefix("sqlite:///")) for u in suggested.values() if u.startswith("sqlite:")]
    for root in _unit_writable():
        assert any(p == root or root in p.parents for p in documented), f"{root} is writable but not documented"


def test_the_settings_use_the_documented_paths(run_production):
    active, _suggested = _env_example()
    values = {name: active[name] for name in SETTINGS}
    script = (
        "from django.conf import settings; import json; print(json.dumps({n: str(getattr(settings, n)) for n in %r}))"
    )
    result = run_production(["-c", "import django; django.setup(); " + script % (SETTINGS,)], **values)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == values


def test_make_backup_writes_into_backup_dir():
    assert re.search(r"^BACKUP_DIR \?= ", (PROJECT / "Makefile").read_text(), re.M)
    assert "$(BACKUP_DIR)/ntm-" in (PROJECT / "Makefile").read_text()
