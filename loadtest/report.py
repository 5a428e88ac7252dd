"""Print p50/p95 per page and the error count from locust's CSV, then check the saved records.

Exit status 1 if any request failed or any saved record is missing or doubled.
"""

import csv
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

    saves_file = out / "saves.txt"
    saves = saves_file.read_text().split("\n") if saves_file.exists() else []
    saves = [s for s in saves if s]
    counted = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c",
         "from criteria.models import AchievementRecord as R; "
         f"q = R.objects.filter(note='loadtest {os.environ['NTM_LOAD_RUN']}'); "
         "print(q.count(), q.values('indicator', 'as_of').distinct().count(), R.objects.count())"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    stored, distinct, total_records = map(int, counted)
    before = int(os.environ["NTM_LOAD_RECORDS_BEFORE"])
    print(f"records saved (HTTP 302): {len(saves)}; stored with this run's note: {stored}; distinct keys: {distinct}")
    print(f"records in the database: {before} before, {total_records} after (+{total_records - before})")
    ok = errors == 0 and len(saves) == stored == distinct == total_records - before
    print("OK: no error, no record lost or duplicated" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
