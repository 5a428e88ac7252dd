"""Helpers for production tests: run Django under production settings in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
# 50 random-looking characters, as `check --deploy` wants; never used outside these subprocesses.
PRODUCTION_KEY = "prod-check-5f1c9a0e7b3d42f8a6c1e9d7b2a4f6c8e0a1b3d5f7"


def production_env(**overrides):
    """The environment a production server would have: DEBUG off, a real key, a host name."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "ntm_dashboard.settings",
        "SECRET_KEY": PRODUCTION_KEY,
        "ALLOWED_HOSTS": "ntm.example.gov.vn",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


@pytest.fixture
def run_production():
    """Run a command under production settings; returns the CompletedProcess."""

    def run(args, **env):
        return subprocess.run(
            [sys.executable, *args], cwd=PROJECT, env=production_env(**env), capture_output=True, text=True, timeout=120
        )

    return run
