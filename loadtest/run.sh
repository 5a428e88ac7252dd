#!/usr/bin/env bash
# Load test on loopback: gunicorn (production settings, HTTP) on PostgreSQL, locust headless,
# then p50/p95 per page, the error count, and a count of the records written and verified: none lost,
# none doubled.
# Figures are from the time all users are running (--reset-stats drops the ramp-up and its logins).
#
#   loadtest/run.sh                       # 50 users for 60 s against a scratch database ntm_load
#                                         # (dropped and made afresh from the demo on every run)
#   USERS=20 DURATION=30s loadtest/run.sh
#
# Needs PostgreSQL reachable as LOAD_DATABASE_URL (default postgres://ntm_ci@127.0.0.1:5432/ntm_load;
# the role needs CREATEDB) and `make install` done. Writes loadtest/out/.
set -euo pipefail
cd "$(dirname "$0")/.."

USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-5}
DURATION=${DURATION:-60s}
PORT=${PORT:-8765}
WORKERS=${WORKERS:-4}
OUT=loadtest/out
PY=.venv/bin/python
export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://ntm_ci@127.0.0.1:5432/ntm_load}
export NTM_LOAD_RUN=${NTM_LOAD_RUN:-$(date +%Y%m%d%H%M%S)}
export NTM_LOAD_SAVES_FILE=$OUT/saves.txt

mkdir -p "$OUT"
rm -f "$OUT"/stats*.csv "$NTM_LOAD_SAVES_FILE"

echo "== database $DATABASE_URL"
"$PY" - <<'PY'
import os, dj_database_url, psycopg2
cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
conn = psycopg2.connect(dbname="postgres", user=cfg["USER"], host=cfg["HOST"], port=cfg["PORT"] or 5432,
                        password=cfg["PASSWORD"] or None)
conn.autocommit = True
with conn.cursor() as cur:
    # A scratch database, made afresh: every run starts from the demo as loaded (earlier runs'
    # verifications would otherwise have moved the figures).
    cur.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
    cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
PY
# Production settings, but plain HTTP on loopback (no TLS here) and a throw-away key.
export DEBUG=false HTTPS=false ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
SECRET_KEY=$("$PY" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY
"$PY" manage.py migrate --no-input -v 0
DEBUG=true "$PY" manage.py load_demo >/dev/null   # demo accounts are only made with DEBUG
"$PY" manage.py collectstatic --no-input -v 0
eval "$("$PY" manage.py shell -v 0 -c '
from django.db.models import Count, Q
from criteria.models import Criterion
# Yes/no criteria of the commune set: the officers answer them with random yes or no.
numbers = Criterion.objects.filter(criteria_set__code="xa-ntm-2021-2025").annotate(
    numeric=Count("indicators", filter=Q(indicators__kind="numeric"))).filter(numeric=0).values_list("number", flat=True)
print("export NTM_LOAD_CRITERIA=" + ",".join(map(str, numbers)))
')"

echo "== gunicorn on 127.0.0.1:$PORT, $WORKERS workers"
GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_WORKERS=$WORKERS GUNICORN_ACCESSLOG= \
  .venv/bin/gunicorn -c deploy/gunicorn.conf.py >"$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
trap 'kill "$GUNICORN_PID" 2>/dev/null; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/readyz"; echo

echo "== locust: $USERS users for $DURATION"
export NTM_LOAD_STARTED=$(date -u +%Y-%m-%dT%H:%M:%S+00:00)
SECONDS_BOUND=$(( ${DURATION%s} + 60 ))
timeout "$SECONDS_BOUND" .venv/bin/locust -f loadtest/locustfile.py --headless \
  -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" --host "http://127.0.0.1:$PORT" \
  --csv "$OUT/stats" --only-summary --stop-timeout 10 --reset-stats \
  >"$OUT/locust.log" 2>&1 || true   # locust exits 1 when any request failed; the report says which

echo "== results"
"$PY" loadtest/report.py "$OUT"
