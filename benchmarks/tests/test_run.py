"""The benchmark's quick mode runs end to end and fails loudly when the engine and the reference
statement disagree. CI runs this on SQLite and on PostgreSQL (reduced size)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from benchmarks import reference, run
from communes.models import AdministrativeUnit
from devdata.synthetic import generate, report_dates

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.benchmark
def test_quick_benchmark_runs_and_engine_agrees_with_the_reference_at_every_level():
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the benchmark sets Django up itself
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", "--runs", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    results = json.loads(completed.stdout)
    assert results["agree"] is True
    assert [level["level"] for level in results["levels"]] == ["district", "province", "national"]
    district, province, national = results["levels"]
    assert district["units_under"] < province["units_under"] < national["units_under"]
    # Query counts do not depend on the number of units.
    assert district["engine_queries"] == province["engine_queries"] == national["engine_queries"] == 4
    assert set(district["pages"]) == {label for label, _name, _arguments in run.PAGES}
    for label, _name, _arguments in run.PAGES:
        pages = [level["pages"][label] for level in results["levels"]]
        assert all(page["status"] == 200 for page in pages), label
        if label in run.PER_CHILD_PAGES:  # a district per commune; the province and the nation per child unit
            assert pages[1]["queries"] == pages[2]["queries"], label
        else:
            assert len({page["queries"] for page in pages}) == 1, label  # the same at every level
    assert results["over_budget"] == []  # no page issues more queries than query_budget.json allows
    assert results["import"]["rows"] == 2_000 and results["import"]["rows_per_second"] > 0


@pytest.fixture
def small_nation(db):
    generate(provinces=2, communes=40, dates=2, seed=5, progress=lambda line: None)
    return AdministrativeUnit.objects.get(code="syn-vn"), report_dates(2)[-1]


def test_measure_reports_agreement_with_both_reference_statements(small_nation):
    nation, as_of = small_nation
    level = run.measure(nation, as_of, runs=1, label="national")
    assert level["agree"] is True
    ways = {"window", "grouped max"}
    if connection.vendor == "postgresql":  # each also timed with JIT off; the fastest is the yardstick
        ways |= {"window, no JIT", "grouped max, no JIT"}
    assert set(level["reference_variants_ms"]) == ways
    assert level["reference_ms"] == min(level["reference_variants_ms"].values())
    assert all(level["figures"] == figures for figures in level["reference_figures"].values())


def test_the_reference_without_jit_runs_with_jit_off_and_restores_it(db):
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")

    def jit():
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            return cursor.fetchone()[0]

    before = jit()
    with reference.without_jit(connection):
        assert jit() == "off"
    assert jit() == before


def test_measure_flags_a_disagreement(small_nation, monkeypatch):
    nation, as_of = small_nation
    real = reference.reference_figures

    def off_by_one(connection, unit, day, variant="grouped max"):
        figures = real(connection, unit, day, variant)
        return {set_id: (units, criteria + 1, *rest) for set_id, (units, criteria, *rest) in figures.items()}

    monkeypatch.setattr(reference, "reference_figures", off_by_one)
    level = run.measure(nation, as_of, runs=1, label="national")
    assert level["agree"] is False


def test_a_page_over_its_query_budget_is_named_with_its_level():
    results = {"levels": [{"level": "province", "pages": {"brief": {"queries": 15}, "overview": {"queries": 12}}}]}
    assert run.over_budget(results, {"brief": 14, "overview": 12}) == ["brief at province: 15 queries, budget 14"]
    assert run.over_budget(results, {"brief": 15, "overview": 12}) == []
