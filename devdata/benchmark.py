"""Synthetic data for the record-import benchmark: clearly test data, no official wording.

A made-up set ("bench-set") with 40 yes/no and numeric indicators, made-up communes, and a record
file with one row per commune, indicator and date, until `rows` rows.
"""

import io
import time
from datetime import date, timedelta

from django.db import transaction

from communes.models import AdministrativeUnit, Kind
from criteria.models import CriteriaSet, Criterion, Enrolment, Indicator, IndicatorKind, Threshold
from records.imports import RECORD_HEADERS, RECORD_SHEET, records_import
from shared.spreadsheets import write_xlsx

INDICATORS = 40


def synthetic_set(code="bench-set"):
    """A made-up set: 10 criteria of 4 indicators; every second indicator numeric (≥ 50)."""
    criteria_set = CriteriaSet.objects.create(
        code=code,
        name="Bộ tiêu chí thử nghiệm (dữ liệu giả)",
        level="commune",
        tier="basic",
        period_start=2026,
        period_end=2030,
        is_illustrative=True,
    )
    indicators = []
    for number in range(1, 11):
        criterion = Criterion.objects.create(criteria_set=criteria_set, number=number, name=f"Tiêu chí thử {number}")
        for k in range(1, 5):
            numeric = k % 2 == 0
            indicators.append(
                Indicator.objects.create(
                    criterion=criterion,
                    code=f"{number}.{k}",
                    order=k,
                    kind=IndicatorKind.NUMERIC if numeric else IndicatorKind.BOOLEAN,
                    comparator=">=" if numeric else "",
                )
            )
    Threshold.objects.bulk_create(
        [Threshold(indicator=i, value=50) for i in indicators if i.kind == IndicatorKind.NUMERIC]
    )
    return criteria_set, indicators


def synthetic_units(count, prefix="bench"):
    district = AdministrativeUnit.objects.create(code=f"{prefix}-huyen", name="Huyện thử", kind=Kind.DISTRICT)
    return AdministrativeUnit.objects.bulk_create(
        [
            AdministrativeUnit(code=f"{prefix}-xa-{n:04d}", name=f"Xã thử {n}", kind=Kind.COMMUNE, parent=district)
            for n in range(count)
        ]
    )


def synthetic_enrolments(criteria_set, units):
    """Enrol the made-up communes in the made-up set: an import refuses rows for units not enrolled."""
    Enrolment.objects.bulk_create([Enrolment(unit=unit, criteria_set=criteria_set) for unit in units])


def synthetic_rows(rows, criteria_set, indicators, units):
    out, day = [], date(2026, 3, 31)
    while len(out) < rows:
        for unit in units:
            for n, indicator in enumerate(indicators):
                value = (
                    ("Đạt" if (n + len(out)) % 3 else "Không đạt")
                    if indicator.kind == IndicatorKind.BOOLEAN
                    else (len(out) % 100)
                )
                out.append([unit.code, "", criteria_set.code, indicator.code, "", "", day, value, ""])
                if len(out) == rows:
                    return out
        day += timedelta(days=91)
    return out


def synthetic_record_file(rows, *, units=100, name="bench.xlsx"):
    """Create the set and units, and return an in-memory .xlsx upload of `rows` record rows."""
    criteria_set, indicators = synthetic_set()
    commune_list = synthetic_units(units)
    synthetic_enrolments(criteria_set, commune_list)
    upload = io.BytesIO(
        write_xlsx([(RECORD_SHEET, RECORD_HEADERS, synthetic_rows(rows, criteria_set, indicators, commune_list))])
    )
    upload.name = name
    return upload


def benchmark_records_import(rows=20_000):
    """Time a record import of about `rows` rows on synthetic data; returns (rows, seconds, rows/s).

    Everything is written inside a transaction that is rolled back, so any database can be used.
    """

    class _Rollback(Exception):
        pass

    outcome = {}
    try:
        with transaction.atomic():
            upload = synthetic_record_file(rows)
            started = time.perf_counter()
            result = records_import(file=upload, user=None, unit=None, dry_run=False, max_bytes=0)
            elapsed = time.perf_counter() - started
            if not result.ok:
                raise RuntimeError(result.errors[:3])
            outcome = {"rows": result.rows_read, "seconds": elapsed, "rows_per_second": result.rows_read / elapsed}
            raise _Rollback
    except _Rollback:
        pass
    return outcome
