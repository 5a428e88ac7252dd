"""Settings come from the environment and fail loudly on bad values."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ntm_dashboard.settings import env_bool, env_choice, env_int, env_list

PROJECT = Path(__file__).resolve().parents[1]


def _import_settings(env):
    return subprocess.run(
        [sys.executable, "-c", "import ntm_dashboard.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def test_debug_is_off_and_secret_key_required_by_default():
    result = _import_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_production_settings_with_a_key_and_postgres_url():
    result = _import_settings({"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@localhost/ntm"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]


def test_default_database_is_sqlite_in_development():
    result = _import_settings({"DEBUG": "true"})
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_typed_helpers_reject_malformed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    monkeypatch.setenv("X_INT", "ten")
    monkeypatch.setenv("X_MODE", "floor")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL must be true or false"):
        env_bool("X_BOOL")
    with pytest.raises(ImproperlyConfigured, match="X_INT must be a whole number"):
        env_int("X_INT", 1)
    with pytest.raises(ImproperlyConfigured, match="X_MODE must be one of"):
        env_choice("X_MODE", "truncate", ("truncate", "round"))


def test_list_helper_splits_on_commas(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.gov.vn, b.gov.vn,,")
    assert env_list("X_HOSTS") == ["a.gov.vn", "b.gov.vn"]


def test_every_variable_the_settings_read_is_documented_in_env_example():
    # A read is a typed helper or os.environ.get with a literal name, possibly on the next line.
    settings = (PROJECT / "ntm_dashboard" / "settings.py").read_text()
    read = set(re.findall(r'(?:\benv_[a-z]+|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"', settings))
    # Documented: an active `NAME=value` line or a suggested `# NAME=` one.
    example = (PROJECT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, re.M))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "EMAIL_BACKEND", "TRUST_X_FORWARDED_PROTO"} <= read
    assert sorted(read - documented) == []
