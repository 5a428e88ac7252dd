"""Print p50/p95 per page and the error count from locust's CSV, then check the saved records.

Every line the site said it wrote or verified must be exactly one row of the records' history,
and no (unit, indicator, date) may hold two pending or two verified records. Exit status 1 if any
request failed or any of these counts disagree.
"""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path


def main(out):
    out = Path(out)
    with (out / "stats_stats.csv").open() as f:
        rows = list(csv.DictReader(f))
    print(f"{'page':<28}{'requests':>9}{'failures':>9}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
    for row in rows:
        name = "TOTAL" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        print(
            f"{name:<28}{row['Request Count']:>9}{row['Failure Count']:>9}"
            f"{row['50%']:>8}{row['95%']:>8}{float(row['Max Response Time']):>8.0f}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    failures_file = out / "stats_failures.csv"
    if errors and failures_file.exists():
        print(failures_file.read_text())
    print(f"errors: {errors}")

    tally = json.loads((out / "saves.txt").read_text()) if (out / "saves.txt").exists() else {}
    # What the database recorded during the run, from the records' history (one row per write):
    # lines the officer wrote (pending rows created or changed), records the district verified,
    # and any (unit, indicator, date) holding more than one pending or more than one verified row.
    counted = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", f"""
from django.db.models import Count
from records.models import AchievementRecord as R
H = R.history.filter(history_date__gte='{os.environ["NTM_LOAD_STARTED"]}', unit__code='xa-quang-tan')
written = H.filter(history_user__username='xa_quangtan', history_type__in='+~',
                   status__in=['draft', 'submitted'], note='loadtest {os.environ["NTM_LOAD_RUN"]}').count()
verified = H.filter(history_user__username='bcd', history_type='~', status='verified').count()
pending = R.objects.exclude(status='verified').values('unit', 'indicator', 'as_of').annotate(n=Count('pk'))
done = R.objects.filter(status='verified').values('unit', 'indicator', 'as_of').annotate(n=Count('pk'))
print(written, verified, pending.filter(n__gt=1).count(), done.filter(n__gt=1).count())
"""],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    written, verified, doubled_pending, doubled_verified = map(int, counted)
    said_written, said_verified = tally.get("lines written", 0), tally.get("records verified", 0)
    print(
        f"entry form: {tally.get('saves accepted', 0)} saves accepted, "
        f"{tally.get('saves refused as stale', 0)} refused as stale (another officer saved first)"
    )
    print(f"lines written: {said_written} announced by the site, {written} in the records' history")
    print(f"records verified: {said_verified} announced by the site, {verified} in the records' history")
    print(f"keys with more than one pending record: {doubled_pending}; more than one verified: {doubled_verified}")
    ok = (
        errors == 0 and said_written == written and said_verified == verified and not doubled_pending + doubled_verified
    )
    print("OK: no error, no record lost or duplicated" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
