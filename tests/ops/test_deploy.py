"""Production settings pass Django's deployment checks, and the HTTPS switch does what it says."""

import re
import subprocess
import sys

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

from tests.ops.conftest import PROJECT, production_env


def _warnings(output):
    return sorted(set(re.findall(r"\((\w+\.[WE]\d+)\)", output)))


def test_check_deploy_prints_no_warning_under_production_settings(run_production):
    result = run_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_https_false_turns_off_exactly_the_https_protections(run_production):
    result = run_production(["manage.py", "check", "--deploy"], HTTPS="false")
    # Redirect, HSTS, secure session cookie, secure CSRF cookie: switched off together, and said so.
    assert _warnings(result.stdout + result.stderr) == [
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
    ]


def test_production_settings_redirect_http_and_mark_cookies_secure(run_production):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.X_FRAME_OPTIONS, s.SESSION_ENGINE)"
    )
    result = run_production(["-c", script])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "True", "31536000", "True", "True",
        "('HTTP_X_FORWARDED_PROTO',", "'https')", "DENY", "django.contrib.sessions.backends.db",
    ]  # fmt: skip


def test_health_probes_are_not_redirected_to_https_but_pages_are(db):
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client()
        assert client.get("/healthz").status_code == 200
        response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HTTPS": "maybe"}, "HTTPS must be true or false"),
        ({"SESSION_ENGINE": "file"}, "SESSION_ENGINE must be one of db, cached_db, cache"),
        ({"SESSION_ENGINE": "cache"}, "SESSION_ENGINE=cache needs CACHE_BACKEND=database"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
    ],
)
def test_malformed_production_settings_stop_the_server_with_a_clear_message(run_production, env, message):
    result = run_production(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert message in result.stderr


def _gunicorn_check_config(**env):
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", "deploy/gunicorn.conf.py"],
        cwd=PROJECT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_accepts_the_deploy_config_and_loads_the_app():
    result = _gunicorn_check_config(GUNICORN_WORKERS="3")
    assert result.returncode == 0, result.stderr


def test_gunicorn_refuses_a_malformed_worker_count():
    result = _gunicorn_check_config(GUNICORN_WORKERS="many")
    assert result.returncode != 0
    assert "GUNICORN_WORKERS must be a whole number" in result.stdout + result.stderr


def test_static_files_are_compressed_and_hashed_files_cached_for_years(db, tmp_path):
    manifest_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=manifest_storage, WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_MAX_AGE=86400,
    ):  # fmt: skip
        call_command("collectstatic", interactive=False, verbosity=0)
        hashed = staticfiles_storage.url("css/app.css")
        client = Client()  # a new client builds the middleware, so whitenoise sees STATIC_ROOT
        response = client.get(hashed, HTTP_ACCEPT_ENCODING="gzip")
        plain = client.get("/static/css/app.css")
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", hashed)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    assert plain["Cache-Control"] == "max-age=86400, public"


def test_the_documented_env_example_as_is_gives_a_clean_deploy_check(run_production):
    values = {}
    for line in (PROJECT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    values |= {"SECRET_KEY": production_env()["SECRET_KEY"], "DATABASE_URL": production_env()["DATABASE_URL"]}
    result = run_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **values)
    assert result.returncode == 0, result.stdout + result.stderr
