"""How long the import pages take on the largest files the limits allow, and on the security
review's file: `python benchmarks/import_limits.py [--runs N]`.

Times the record preview (POST /du-lieu/ket-qua/nhap/) and its confirmation through Django's test
client, as a site administrator, on synthetic data (made-up set and communes, no official text),
and the admin's unit import at NTM_ADMIN_IMPORT_MAX_ROWS. The database in DATABASE_URL (SQLite by
default) must be migrated; everything runs inside a transaction that is rolled back.
"""

import argparse
import io
import os
import random
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _upload(data, name):
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def _files(settings):
    """(label, upload) for every file measured; the rows refer to the synthetic set and communes."""
    from devdata.benchmark import synthetic_enrolments, synthetic_rows, synthetic_set, synthetic_units
    from records.imports import RECORD_HEADERS, RECORD_SHEET
    from shared.spreadsheets import write_xlsx
    from tests.io_helpers import many_rows_xlsx

    limit = settings.NTM_IMPORT_MAX_ROWS
    criteria_set, indicators = synthetic_set()
    units = synthetic_units(100)
    synthetic_enrolments(criteria_set, units)
    rows = synthetic_rows(limit, criteria_set, indicators, units)
    files = [(f"{limit:,} rows (the row limit)", write_xlsx([(RECORD_SHEET, RECORD_HEADERS, rows)]))]

    # As heavy as the byte limit allows: the same rows with notes of random letters (which do not
    # compress), and as many blank rows again as the limit lets through.
    random.seed(1)
    note_length = int(settings.NTM_IMPORT_MAX_BYTES * 0.95 / limit)
    heavy = [row[:8] + ["".join(random.choices(string.ascii_letters, k=note_length))] for row in rows]
    heavy += [[None] * 9 for _ in range(limit)]
    files.append(
        (
            f"{limit:,} rows with notes, {limit:,} blank rows (byte limit)",
            write_xlsx([(RECORD_SHEET, RECORD_HEADERS, heavy)]),
        )
    )

    # As many small cells as the uncompressed limit allows: the same rows with numbers in unnamed
    # columns, which the import reads and ignores (about 33 bytes of XML a cell).
    extra = int(settings.NTM_IMPORT_MAX_UNCOMPRESSED_BYTES * 0.95 / limit / 33) - 9
    dense = [row + [n % 10] * extra for n, row in enumerate(rows)]
    files.append(
        (
            f"{limit:,} rows of {9 + extra} cells (uncompressed limit)",
            write_xlsx([(RECORD_SHEET, RECORD_HEADERS, dense)]),
        )
    )

    files.append(("240,000 rows in 0.8 MB, size declared", many_rows_xlsx(240_000).getvalue()))
    files.append(("240,000 rows in 0.8 MB, size not declared", many_rows_xlsx(240_000, dimension=False).getvalue()))
    return [(label, data) for label, data in files], units[0].parent.code


def _time(runs, action):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        outcome = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), outcome


def run(runs=3):
    """Print and return {label: (median s, max s, status)} for every measured request."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    from shared.spreadsheets import write_csv

    setup_test_environment()  # the test client then records each response's template context
    results = {}

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            admin = get_user_model().objects.create_superuser("bench-admin", "bench@example.org", "x")
            client = Client()
            client.force_login(admin)
            files, district = _files(settings)
            for label, data in files:

                def preview(data=data):
                    return client.post(
                        "/du-lieu/ket-qua/nhap/", {"unit": district, "file": _upload(data, "bench.xlsx")}
                    )

                median, worst, response = _time(runs, preview)
                results[f"preview: {label}, {len(data) / 1_000_000:.2f} MB"] = (median, worst, response.status_code)
                if label.endswith("(the row limit)"):
                    token = response.context["token"]
                    with transaction.atomic():
                        started = time.perf_counter()
                        confirmed = client.post("/du-lieu/ket-qua/xac-nhan/", {"token": token})
                        seconds = time.perf_counter() - started
                        transaction.set_rollback(True)
                    results[f"confirm: {label}"] = (seconds, seconds, confirmed.status_code)

            limit = settings.NTM_ADMIN_IMPORT_MAX_ROWS
            units = write_csv(
                ["Mã đơn vị", "Tên", "Loại", "Mã đơn vị cấp trên"],
                [[f"bench-moi-{n}", f"Xã thử {n}", "xa", district] for n in range(limit)],
            )

            def admin_preview():
                return client.post(
                    "/admin/communes/administrativeunit/import/",
                    {"import_file": _upload(units, "don-vi.csv"), "format": "1", "resource": "0"},
                )

            median, worst, response = _time(runs, admin_preview)
            results[f"admin preview: {limit:,} units"] = (median, worst, response.status_code)
            with transaction.atomic():
                started = time.perf_counter()
                confirmed = client.post(
                    "/admin/communes/administrativeunit/process_import/", response.context["confirm_form"].initial
                )
                seconds = time.perf_counter() - started
                transaction.set_rollback(True)
            results[f"admin confirm: {limit:,} units"] = (seconds, seconds, confirmed.status_code)
            raise _Rollback
    except _Rollback:
        pass
    for label, (median, worst, status) in results.items():
        print(f"{label:<80} {median:6.2f} s (max {worst:5.2f} s)  HTTP {status}")
    return results


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_dashboard.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("HTTPS", "false")  # the test client speaks plain HTTP
    import django

    django.setup()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per preview (median and max are printed)")
    run(parser.parse_args().runs)
