"""gunicorn settings for the NTM dashboard, read from the environment like the Django settings.

    gunicorn -c deploy/gunicorn.conf.py ntm_dashboard.wsgi

Every variable is optional and listed in .env.example. Access and error logs go to stdout/stderr,
where systemd's journal (or a container runtime) keeps them.
"""

import multiprocessing
import os


def _int(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


wsgi_app = "ntm_dashboard.wsgi:application"
# Behind nginx on the same machine; a load balancer in front of several servers binds 0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages are short database-bound requests. 2 × cores + 1 is gunicorn's advice.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
# A report over a whole province takes well under a second; 30 s kills only a stuck worker.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never takes a district server down.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Which proxies may set X-Forwarded-*: nginx on this machine by default.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# The app logs its own JSON line per request (ops.middleware); this one records what the
# server saw, including requests that never reached Django.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "ntm-dashboard"
