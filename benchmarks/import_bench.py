"""Record-import benchmark: `python benchmarks/import_bench.py [ROWS]` prints rows per second.

The database in DATABASE_URL (SQLite by default) must be migrated; the benchmark writes inside a
transaction that is rolled back. benchmarks/run.py can call `run(rows)` directly.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def run(rows=20_000):
    """Import `rows` synthetic rows; returns {'rows', 'seconds', 'rows_per_second'} and prints it."""
    from devdata.benchmark import benchmark_records_import

    outcome = benchmark_records_import(rows)
    print(
        f"import_records: {outcome['rows']} dòng trong {outcome['seconds']:.2f} s = {outcome['rows_per_second']:.0f} dòng/giây"
    )
    return outcome


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_dashboard.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
