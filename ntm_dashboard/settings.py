"""Settings for the NTM dashboard, read from the environment in one place.

Every variable is documented in `.env.example`, and docs/deployment.md explains how they fit a
district server or several app servers. Values are parsed by the typed helpers below, which fail
loudly on a malformed value instead of guessing. Sections go by topic; a setting that reads
another (DEBUG, HTTPS, the cache backend) comes after it.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from import_export.formats import base_formats as _import_export_formats

# --- Reading the environment ---
BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name, default, choices):
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


# --- Core: debug mode, secret key, hosts ---
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    # Development only: DEBUG is on, so this key never signs a production session.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form gets the site's Vietnamese page with its navigation (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "ops.views.csrf_failure"

# --- Apps and middleware ---
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    # Audit trail and login lockout.
    "simple_history",
    "axes",
    # The project's apps, lowest layer first: an app imports only apps above it in this
    # list (.importlinter, checked by `make check` and CI; docs/architecture.md).
    "ops",  # health checks, backups, request logging, the read-replica router
    "shared",  # Vietnamese formatting and parsing, spreadsheets, uploads (no models)
    "communes",
    "criteria",
    "accounts",
    "notices",
    "records",
    "reports",
    "entry",
    "steering",
    "backoffice",  # the Django admin
]
# The demo, synthetic and benchmark data (load_demo, generate_synthetic): development, tests and
# load tests only. Production settings leave it out, so no demo command ships to a real site.
NTM_DEV_DATA = env_bool("NTM_DEV_DATA", DEBUG)
if NTM_DEV_DATA:
    INSTALLED_APPS.append("devdata")

MIDDLEWARE = [
    # Outermost, so it times and logs every response, including the 503 of a database outage.
    "ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "ops.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the language switch chose English; Accept-Language is ignored.
    "ops.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in users' responses are never cached by the browser (shared commune PCs).
    "ops.middleware.NoStoreForSignedInMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A bad ?date= anywhere: the same Vietnamese 400 page (reports/options.py).
    "reports.options.BadReportDateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: report pages' reads may go to the read replica (no-op without one).
    "ops.middleware.ReportReadsOnReplicaMiddleware",
    # Audit trail: history rows record the user of the request that made the change.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Login lockout: must come last, it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ntm_dashboard.urls"
WSGI_APPLICATION = "ntm_dashboard.wsgi.application"

# --- Database ---
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two writers at once (two staff verifying): a deferred transaction that has read and then
    # writes fails at once with "database is locked". IMMEDIATE takes the write lock at BEGIN,
    # so the second writer waits for the first, up to SQLITE_TIMEOUT seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": env_int("SQLITE_TIMEOUT", 20), "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Read replica ---
# Optional read replica for report pages; everything else reads and writes the primary.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    # Tests run against the primary's test database; no second test database is created.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ops.routers.ReplicaRouter"]

# --- Templates ---
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.user_may",
                "entry.context_processors.waiting",
            ],
        },
    },
]

# --- Language, time zone and formats ---
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Forms read dates day first (01/07/2025 is 1 July) in both languages: ntm_dashboard/formats/.
FORMAT_MODULE_PATH = ["ntm_dashboard.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js straight from the pinned plotly package (reports/staticfiles.py).
    "reports.staticfiles.PlotlyFinder",
]
# Uploaded files: a folder by default; with several app servers, MEDIA_ROOT must be one shared
# volume (see docs/deployment.md), or MEDIA_STORAGE_BACKEND names another storage class.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {
        "BACKEND": env_str("MEDIA_STORAGE_BACKEND") or "django.core.files.storage.FileSystemStorage",
    },
    # Compressed files with content-hashed names, so browsers may cache them for a year.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# In development, serve straight from the app and static folders without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Hashed static files are cached for ten years by whitenoise regardless; this is for the rest.
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 0 if DEBUG else 86_400)

# --- Accounts, sessions and login lockout ---
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The lockout backend comes first: a locked-out username and IP never reach the password check.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# No start-up banner: stdout carries the JSON request log.
AXES_VERBOSE = False
# Five wrong passwords are allowed; the sixth from the same IP for the same username locks that
# pair out for AXES_COOLOFF_HOURS. A correct login resets the count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 6)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The lockout's "IP" is the real client behind nginx: X-Forwarded-For is read only from these
# proxy addresses (nginx on this machine by default; a load balancer's address otherwise), and
# from anyone else REMOTE_ADDR counts (ops/client_ip.py).
NTM_TRUSTED_PROXIES = env_list("NTM_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "ops.client_ip.client_ip"
# Sessions end SESSION_COOKIE_AGE seconds after login (8 hours by default: one working day).
# Not refreshed on every request, which would add a write to every page.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# Sessions live in the database by default, so any app server can serve any request.
# "cache" and "cached_db" need a cache shared by every worker (CACHE_BACKEND=database).
_SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}
SESSION_ENGINE = _SESSION_ENGINES[env_choice("SESSION_ENGINE", "db", tuple(_SESSION_ENGINES))]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# --- Records and evidence ---
# Evidence files: kept outside MEDIA_ROOT, never served by URL; see records/evidence.py.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(BASE_DIR / "private" / "evidence")))
NTM_EVIDENCE_MAX_BYTES = env_int("NTM_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Four eyes: whoever entered or submitted a value may not verify it; another staff member must
# (records.services.records_verify). Off only for a district with a single staff member.
NTM_FOUR_EYES = env_bool("NTM_FOUR_EYES", True)
# A request may carry a few evidence files; anything larger is refused before it reaches a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# The history is an audit trail: reverting from the admin would bypass the verification workflow.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Spreadsheet import and export ---
# Uploads over NTM_IMPORT_MAX_BYTES are refused; an .xlsx is also refused when its zip would expand
# past NTM_IMPORT_MAX_UNCOMPRESSED_BYTES or any member is compressed more than
# NTM_IMPORT_MAX_COMPRESSION_RATIO times (a zip bomb). openpyxl parses about 4 MB of sheet XML a
# second here, so 25 MB (a 20,000-row file with long notes needs about 12 MB) bounds the time a
# file of small cells or many strings takes to read (README, import section).
NTM_IMPORT_MAX_BYTES = env_int("NTM_IMPORT_MAX_BYTES", 5_000_000)
NTM_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("NTM_IMPORT_MAX_UNCOMPRESSED_BYTES", 25_000_000)
NTM_IMPORT_MAX_COMPRESSION_RATIO = env_int("NTM_IMPORT_MAX_COMPRESSION_RATIO", 200)
# Rows are read one at a time and reading stops past NTM_IMPORT_MAX_ROWS data rows, so a small file
# of many rows cannot hold a worker: at the limit the preview takes a few seconds and the
# confirmation (which writes every row) well under gunicorn's 30 s (measurements in README).
# The admin checks and saves row by row, about 5 ms a row: NTM_ADMIN_IMPORT_MAX_ROWS is its limit.
# `manage.py import_records` has no row limit.
NTM_IMPORT_MAX_ROWS = env_int("NTM_IMPORT_MAX_ROWS", 20_000)
NTM_ADMIN_IMPORT_MAX_ROWS = env_int("NTM_ADMIN_IMPORT_MAX_ROWS", 1_000)
# Uploaded files wait here between the preview and the confirmation (deleted on confirm).
NTM_IMPORT_TMP_DIR = Path(env_str("NTM_IMPORT_TMP_DIR", str(BASE_DIR / "var" / "imports")))
# The admin's import and export buttons need the model's "import_*" / "export_*" permission;
# only .xlsx and .csv are offered (never HTML). The admin classes use shared.spreadsheets'
# safe variants of these formats.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_FORMATS = [_import_export_formats.XLSX, _import_export_formats.CSV]

# --- Reports and cache ---
# How report averages are cut to two decimals: official reports truncate (143/8 -> 17,87);
# "round" gives half-up rounding (17,88) for provinces that prefer it.
NTM_AVERAGE_MODE = env_choice("NTM_AVERAGE_MODE", "truncate", ("truncate", "round"))

# The cache: per-process memory by default; "database" is shared by every app server (run
# `manage.py createcachetable` once); "redis" takes CACHE_URL=redis://host:6379/0 and needs the
# `redis` package installed.
_CACHE_URL = env_str("CACHE_URL", "")
_CACHE_BACKEND = env_choice("CACHE_BACKEND", "redis" if _CACHE_URL else "locmem", ("locmem", "database", "redis"))
if _CACHE_BACKEND == "redis" and not _CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"CACHE_BACKEND=redis needs CACHE_URL=redis://..., not {_CACHE_URL!r}")
CACHES = {
    "default": {
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ntm"},
        "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ntm_cache"},
        "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL},
    }[_CACHE_BACKEND]
}
if SESSION_ENGINE.endswith(".cache") and _CACHE_BACKEND == "locmem":
    raise ImproperlyConfigured(
        "SESSION_ENGINE=cache needs CACHE_BACKEND=database: a per-process cache loses sessions between gunicorn workers"
    )
# Engine results are cached per unit, sets, date and mode; a data version kept by database
# triggers invalidates them on every write (reports/cache.py).
NTM_CACHE_SUMMARIES = env_bool("NTM_CACHE_SUMMARIES", True)
# A unit with more units than this under it on the report date (a province, the nation) shows one
# row per unit one level down on its overview and brief, with links to them; at or below it, one
# row per commune and the heatmap (README, "Scale and benchmark").
NTM_PER_UNIT_MAX_UNITS = env_int("NTM_PER_UNIT_MAX_UNITS", 60)

# --- E-mail and reminders ---
# Development prints e-mails to the console; production sends through SMTP unless told otherwise.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ntm@localhost")
# Seconds an SMTP connection may stay silent before the send fails (and is retried on the next
# run); without it a mail server that never answers holds the sender forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# How many days before a plan item or a work is due its reminder goes out (send_reminders).
NTM_REMINDER_DAYS = env_int("NTM_REMINDER_DAYS", 7)

# --- HTTPS, security headers and CSP ---
# One switch for an office network without TLS: HTTPS=false turns off the HTTPS redirect, HSTS
# and secure-only cookies together (`check --deploy` then warns about exactly those). On unless
# DEBUG, so a production server that forgets to say is secure rather than open.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# Load balancers probe over plain HTTP; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
# nginx terminates TLS and says so in X-Forwarded-Proto; only trust it behind such a proxy.
if env_bool("TRUST_X_FORWARDED_PROTO", HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): scripts and styles only from this site's own static
# files; no inline script, no inline <style>, no eval, no other host. Pages pass their data with
# json_script (JSON, never run) and static/js/site.js does what inline handlers did. plotly.js's
# own rules come from static/css/plotly.css (reports/plotly_css.py); the only inline style
# allowed is the error pages' <style> block, by its hash (they must render without static files;
# tests/ops/test_headers.py checks the hash against templates/error_base.html).
ERROR_PAGE_STYLE_HASH = "'sha256-4voFkTfCEU6psEWa0eHsOtHUAlpANQv11MGR3hWnf3w='"
# The admin's export page (django-import-export) has one inline handler, `onSelectToggleChange(event)`,
# calling the library's own static script; 'unsafe-hashes' allows that exact text and nothing else.
IMPORT_EXPORT_HANDLER_HASH = "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-hashes'", IMPORT_EXPORT_HANDLER_HASH],
        "style-src": ["'self'", ERROR_PAGE_STYLE_HASH],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# --- Logging ---
# One JSON object per line on stdout (LOG_FORMAT=text for a readable console).
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ops.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": env_choice("LOG_FORMAT", "json", ("json", "text")),
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Through the root handler only: django.request logs 4xx/5xx with their tracebacks
        # (no e-mail to ADMINS), ops.request logs every request once.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    },
}
