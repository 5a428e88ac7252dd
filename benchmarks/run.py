#!/usr/bin/env python
"""Benchmark the attainment engine and the report pages at district, province and national scale.

    python benchmarks/run.py            # full size: 10,000 communes, 2 sets, 4 dates
    python benchmarks/run.py --quick    # 400 communes, 2 dates: for CI, well under a minute
    python benchmarks/run.py --json     # the same figures as JSON

It never touches your data: on PostgreSQL it creates (and drops again unless --keep) a database
named after the one in DATABASE_URL with a `_bench` suffix on the same server; on SQLite it uses a
temporary file. It fills that database with `generate_synthetic`, then for each level times the
engine's summary against a hand-written reference SQL statement (benchmarks/reference.py) and the
report pages through Django's test client. Exits 1 if the engine and the reference disagree or a
page issues more queries than benchmarks/query_budget.json allows.
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
FULL = {"provinces": 50, "communes": 10_000, "dates": 4, "sets": 2}
QUICK = {"provinces": 2, "communes": 400, "dates": 2, "sets": 2}
# Pages timed at every level: (label, URL name, the URL's arguments from the level's `Subject`).
# Each is asked for the level's unit (?unit=) on the report date (?date=).
PAGES = [
    ("overview", "reports:overview", lambda s: {}),
    ("commune page", "reports:unit", lambda s: {"code": s.commune.code}),
    ("brief", "brief:page", lambda s: {}),
    ("summary API", "reports:api_summary", lambda s: {"code": s.unit.code}),
    ("detail API", "reports:api_detail", lambda s: {"code": s.commune.code}),
    ("set page", "reports:criteria_set", lambda s: {"set_code": s.criteria_set.code}),
    ("plans", "steering:plans", lambda s: {}),
    ("works", "steering:works", lambda s: {}),
    ("dossiers", "steering:dossiers", lambda s: {}),
]
# Pages that show one row per unit one level down above NTM_PER_UNIT_MAX_UNITS units (a province,
# the nation) and one per commune below it: their query count is the same at every level of one shape.
PER_CHILD_PAGES = {"overview", "brief", "plans", "works", "dossiers"}
# The most queries each page may issue (at any level): CI fails when a page needs more.
QUERY_BUDGET = Path(__file__).resolve().parent / "query_budget.json"
# Rows of the timed record import (devdata.benchmark.benchmark_records_import, rolled back after).
IMPORT_ROWS = {"quick": 2_000, "full": 20_000}
SEED = 1


def main(argv=None):
    args = _parse(argv)
    size = QUICK if args.quick else FULL
    runs = args.runs or (3 if args.quick else 5)
    database_url, cleanup = _bench_database(os.environ.get("DATABASE_URL", ""), reuse=args.reuse)
    try:
        _setup_django(database_url)
        results = run(size=size, runs=runs, log=(lambda line: None) if args.json else print)
    finally:
        if not args.keep:
            cleanup()
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    else:
        _print(results)
    return 0 if results["agree"] and not results["over_budget"] else 1


def _parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="reduced size for CI")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--runs", type=int, help="timed runs per figure (median is reported)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a benchmark database kept by --keep")
    return parser.parse_args(argv)


def _bench_database(url, *, reuse):
    """(URL of a database the benchmark may fill, function that removes it)."""
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg2

        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'ntm'}_bench"
        try:
            admin = psycopg2.connect(url)
        except psycopg2.OperationalError:  # the named database need not exist: use the server's own
            admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
        admin.autocommit = True

        def drop():
            # A DROP DATABASE waits for every backend on the server; don't hang the run on it.
            with admin.cursor() as cursor:
                cursor.execute("SET statement_timeout = '60s'")
                try:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                except psycopg2.Error as error:
                    print(f"Could not drop the benchmark database {name}: {error}".strip(), file=sys.stderr)

        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and not reuse:
                drop()
            if not exists or not reuse:
                cursor.execute(f'CREATE DATABASE "{name}"')
        return urlunsplit(parts._replace(path=f"/{name}")), drop
    if url and not url.startswith("sqlite"):
        raise SystemExit(f"Unsupported DATABASE_URL for the benchmark: {url.split(':')[0]}")
    folder = Path(tempfile.gettempdir()) / "ntm_bench" if reuse else Path(tempfile.mkdtemp(prefix="ntm_bench_"))
    folder.mkdir(exist_ok=True)
    path = folder / "bench.sqlite3"

    def remove():
        path.unlink(missing_ok=True)

    return f"sqlite:///{path}", remove


def _setup_django(database_url):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    # The test settings: production settings, except static files need no collectstatic manifest.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_dashboard.settings_test")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ["DATABASE_CONN_MAX_AGE"] = "0"
    import django

    django.setup()
    import logging

    from django.test.utils import setup_test_environment

    # The app logs requests and logins as JSON on stdout; here stdout carries the results.
    logging.disable(logging.INFO)

    setup_test_environment()  # lets the test client through ALLOWED_HOSTS


def run(*, size, runs, log=print):
    """Fill the current database (unless it already has synthetic data) and measure every level."""
    from django.core.management import call_command
    from django.db import connection

    from communes.models import AdministrativeUnit
    from devdata.synthetic import PREFIX, generate, has_synthetic_data, report_dates

    call_command("migrate", verbosity=0)
    generation = None
    if not has_synthetic_data():
        log(f"Generating {size['communes']:,} communes, {size['sets']} sets, {size['dates']} dates …")
        stats = generate(seed=SEED, progress=log, **size)
        generation = {
            "records": stats.records,
            "seconds": round(stats.seconds["total"], 2),
            "records_per_second": round(stats.records / stats.seconds["records"]),
            "method": "COPY" if connection.vendor == "postgresql" else "bulk_create",
        }
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE") if connection.connection.autocommit else cursor.execute("ANALYZE")
            else:
                cursor.execute("ANALYZE")
    as_of = report_dates(size["dates"])[-1]
    units = {
        u.code: u
        for u in AdministrativeUnit.objects.filter(code__in=[f"{PREFIX}vn", f"{PREFIX}p01", f"{PREFIX}p01-d01"])
    }
    levels = [
        ("district", units[f"{PREFIX}p01-d01"]),
        ("province", units[f"{PREFIX}p01"]),
        ("national", units[f"{PREFIX}vn"]),
    ]
    results = {
        "machine": _machine(connection),
        "size": size,
        "as_of": as_of.isoformat(),
        "runs": runs,
        "generation": generation,
        "levels": [],
    }
    client = _client()
    for label, unit in levels:
        log(f"Measuring {label} ({unit.code}) …")
        results["levels"].append(measure(unit, as_of, runs=runs, client=client, label=label))
    results["import"] = measure_import(IMPORT_ROWS["quick" if size == QUICK else "full"])
    results["agree"] = all(level["agree"] for level in results["levels"])
    results["over_budget"] = over_budget(results, json.loads(QUERY_BUDGET.read_text()))
    return results


def measure(unit, as_of, *, runs, client=None, label=""):
    """Engine vs reference (medians over `runs`), and every available page, for one unit."""
    from django.db import connection

    from benchmarks.reference import engine_figures, reference_figures, timings, without_jit
    from communes.models import AdministrativeUnit
    from reports.engine import summarise

    ways = timings(connection)
    engine_times, reference_times = [], {way: [] for way, _variant, _no_jit in ways}
    references = {}
    for _ in range(runs):
        with _counting(connection) as queries:
            started = time.perf_counter()
            engine = engine_figures(summarise(unit, as_of))
            engine_times.append(time.perf_counter() - started)
        engine_queries = queries.count
        for way, variant, no_jit in ways:
            with without_jit(connection) if no_jit else contextlib.nullcontext():
                started = time.perf_counter()
                references[way] = reference_figures(connection, unit, as_of, variant)
                reference_times[way].append(time.perf_counter() - started)
    engine_ms = _ms(engine_times)
    reference_ms = {way: _ms(times) for way, times in reference_times.items()}
    fastest = min(reference_ms, key=reference_ms.get)
    level = {
        "level": label,
        "unit": unit.code,
        "units_under": AdministrativeUnit.objects.within(unit).valid_on(as_of).count(),
        "engine_ms": engine_ms,
        "engine_queries": engine_queries,
        "reference_ms": reference_ms[fastest],
        "reference": fastest,
        "reference_variants_ms": reference_ms,
        "ratio": round(engine_ms / reference_ms[fastest], 2) if reference_ms[fastest] else None,
        "agree": all(engine == figures for figures in references.values()),
        "figures": {str(k): v for k, v in sorted(engine.items())},
        "reference_figures": {variant: {str(k): v for k, v in sorted(f.items())} for variant, f in references.items()},
        "pages": {},
    }
    subject = Subject.of(unit, as_of)
    for page, url_name, arguments in PAGES:
        level["pages"][page] = (
            measure_page(client, url_name, unit, as_of, runs=runs, kwargs=arguments(subject)) if client else None
        )
    level.update(measure_cached(unit, as_of, runs=runs, client=client))
    return level


class Subject:
    """What a level's pages are about: its unit, the first commune under it, a set it pursues."""

    def __init__(self, unit, commune, criteria_set):
        self.unit, self.commune, self.criteria_set = unit, commune, criteria_set

    @classmethod
    def of(cls, unit, as_of):
        from communes.models import AdministrativeUnit, Level
        from criteria.models import CriteriaSet

        commune = (
            AdministrativeUnit.objects.within(unit).valid_on(as_of).at_level(Level.COMMUNE).order_by("code").first()
        )
        criteria_set = CriteriaSet.objects.filter(enrolments__unit=commune).order_by("code").first()
        return cls(unit, commune, criteria_set)


def over_budget(results, budget):
    """Pages whose query count at some level exceeds `budget` ({page: queries}), as messages."""
    found = []
    for level in results["levels"]:
        for page, measured in level["pages"].items():
            if measured is not None and page in budget and measured["queries"] > budget[page]:
                found.append(f"{page} at {level['level']}: {measured['queries']} queries, budget {budget[page]}")
    return found


def measure_cached(unit, as_of, *, runs, client=None):
    """The same summary (and overview) served from the cache: what a second reader waits."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import override_settings

    from reports.engine import summarise

    with override_settings(NTM_CACHE_SUMMARIES=True):
        cache.clear()
        summarise(unit, as_of)
        times = []
        for _ in range(runs):
            with _counting(connection) as queries:
                started = time.perf_counter()
                summarise(unit, as_of)
                times.append(time.perf_counter() - started)
            query_count = queries.count
        overview = measure_page(client, "reports:overview", unit, as_of, runs=runs) if client else None
        brief = measure_page(client, "brief:page", unit, as_of, runs=runs) if client else None
        cache.clear()
    return {"cached_ms": _ms(times), "cached_queries": query_count, "overview_cached": overview, "brief_cached": brief}


def measure_page(client, url_name, unit, as_of, *, runs, kwargs=None):
    """Median server time and query count of one page, or None when this build has no such URL."""
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(url_name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None
    url = f"{url}?unit={unit.code}&date={as_of.isoformat()}"
    times, counts = [], set()
    client.get(url)  # warm-up: templates, translations
    for _ in range(runs):
        with _counting(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        counts.add(queries.count)
    return {"url": url, "status": response.status_code, "ms": _ms(times), "queries": max(counts)}


def measure_import(rows):
    """Rows per second of a record import of `rows` synthetic rows: the same checks, batching and
    audit-trail writes as the web and command-line import, inside a transaction rolled back after."""
    from devdata.benchmark import benchmark_records_import

    outcome = benchmark_records_import(rows)
    return {
        "rows": outcome["rows"],
        "seconds": round(outcome["seconds"], 2),
        "rows_per_second": round(outcome["rows_per_second"]),
    }


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return client


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextlib.contextmanager
def _counting(connection):
    """Counts statements sent to the database (unlike connection.queries, not reset by requests)."""
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def _ms(seconds):
    return round(statistics.median(seconds) * 1000, 1)


def _machine(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            server = f"SQLite {cursor.fetchone()[0]}"
    try:
        ram = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        ram = None
    return {
        "cpus": os.cpu_count(),
        "ram_gib": ram,
        "database": server,
        "python": platform.python_version(),
        # Other work on the machine slows every figure alike; the ratio is the steadier number.
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def _print(results):
    m = results["machine"]
    print(
        f"\nMachine: {m['cpus']} CPUs, {m['ram_gib']} GiB RAM, {m['database']}, Python {m['python']}, load {m['load_average']}"
    )
    gen = results["generation"]
    if gen:
        print(
            f"Generated {gen['records']:,} records in {gen['seconds']} s ({gen['records_per_second']:,} rows/s, {gen['method']})"
        )
    print(f"As of {results['as_of']}, medians of {results['runs']} runs\n")
    header = (
        f"{'level':<9} {'units':>6} {'engine ms':>10} {'queries':>7} {'reference ms':>12} {'ratio':>6} {'equal':>5}"
        "  reference variants (ms)"
    )
    print(header)
    for level in results["levels"]:
        print(
            f"{level['level']:<9} {level['units_under']:>6} {level['engine_ms']:>10} {level['engine_queries']:>7} "
            f"{level['reference_ms']:>12} {level['ratio']:>6} {'yes' if level['agree'] else 'NO':>5}  "
            + ", ".join(f"{variant} {ms}" for variant, ms in level["reference_variants_ms"].items())
        )
    print()
    for level in results["levels"]:
        overview, brief = level["overview_cached"], level.get("brief_cached")
        print(
            f"cached    {level['level']:<9} summary {level['cached_ms']} ms, {level['cached_queries']} query"
            + (f"; overview {overview['ms']} ms, {overview['queries']} queries" if overview else "")
            + (f"; brief {brief['ms']} ms, {brief['queries']} queries" if brief else "")
        )
    print()
    for page, _name, _arguments in PAGES:
        line = f"{page:<12}"
        for level in results["levels"]:
            measured = level["pages"][page]
            line += f"  {level['level']}: " + (
                f"{measured['ms']} ms, {measured['queries']} queries" if measured else "—"
            )
        if all(level["pages"][page] is None for level in results["levels"]):
            line = f"{page:<12}  not available on this build"
        print(line)
    imported = results["import"]
    print(
        f"{'import':<12}  {imported['rows']:,} rows in {imported['seconds']} s: "
        f"{imported['rows_per_second']:,} rows/s (record import, rolled back)"
    )
    for problem in results["over_budget"]:
        print(f"OVER THE QUERY BUDGET ({QUERY_BUDGET.name}): {problem}")
    if not results["agree"]:
        print("\nENGINE AND REFERENCE DISAGREE:")
        for level in results["levels"]:
            if not level["agree"]:
                print(f"  {level['level']}: engine {level['figures']} reference {level['reference_figures']}")


if __name__ == "__main__":
    sys.exit(main())
