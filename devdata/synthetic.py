"""Synthetic national data for load tests and the benchmark (dữ liệu giả lập).

A nation > provinces > districts > communes tree (a share of communes created by the 2025 reform
sits directly under its province), enrolments in the reference sets, yes/no records at several
half-yearly dates with progress that mostly improves, and recognitions of communes that met a
standard. Everything depends only on the seed. Every code starts with `syn-` and every record
note says the data is synthetic, so it can never pass for real figures.

Rows are written in bulk: `bulk_create` in batches for the small tables and, on PostgreSQL,
COPY for the records (about ten times faster than `bulk_create` there; see the README).
"""

import io
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.db import connection, transaction

from communes.models import AdministrativeUnit, Kind
from criteria.models import CriteriaSet, Enrolment, Indicator, Recognition
from criteria.reference import load_reference_sets
from records.models import AchievementRecord
from shared.formatting import vi_number

PREFIX = "syn-"
NOTE = "Dữ liệu giả lập (synthetic), không phải số liệu thật."
REFORM = date(2025, 7, 1)
LAST_DATE = date(2025, 12, 31)
# Commune sets in the order they are added by --sets: basic, advanced, model.
SET_CODES = ["xa-ntm-2021-2025", "xa-ntm-nang-cao-2021-2025", "xa-ntm-kieu-mau-2021-2025"]
# Share of communes that also pursue the advanced / model set.
SET_SHARE = {"xa-ntm-2021-2025": 1.0, "xa-ntm-nang-cao-2021-2025": 0.4, "xa-ntm-kieu-mau-2021-2025": 0.1}
COMMUNES_PER_DISTRICT = 10
POST_REFORM_SHARE = 0.05
MISSING_SHARE = 0.03  # a record not entered at a date: the earlier one still counts
REGRESSION_SHARE = 0.003  # an indicator met earlier and lost again
RECOGNISED_SHARE = 0.6  # of units that met a standard, how many the province recognised
BATCH = 100_000


@dataclass
class Stats:
    units: int = 0
    enrolments: int = 0
    records: int = 0
    recognitions: int = 0
    seconds: dict = field(default_factory=dict)


def report_dates(count):
    """`count` half-yearly report dates ending on 31/12/2025, oldest first."""
    dates, year, half = [], LAST_DATE.year, 2
    for _ in range(count):
        dates.append(date(year, 12, 31) if half == 2 else date(year, 6, 30))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return sorted(dates)


def has_synthetic_data():
    return AdministrativeUnit.objects.filter(code__startswith=PREFIX).exists()


def _units(rng, provinces, communes, progress):
    """Create the tree; returns the communes as (unit, capability) pairs."""
    nation = AdministrativeUnit.objects.create(code=f"{PREFIX}vn", name="Việt Nam (giả lập)", kind=Kind.COUNTRY)
    regions = [choice for choice, _label in AdministrativeUnit._meta.get_field("region").choices]
    province_rows = [
        AdministrativeUnit(
            code=f"{PREFIX}p{p:02d}",
            name=f"Giả lập {p:02d}",
            kind=Kind.PROVINCE,
            parent=nation,
            region=regions[p % len(regions)],
        )
        for p in range(1, provinces + 1)
    ]
    AdministrativeUnit.objects.bulk_create(province_rows, batch_size=1000)
    province_rows = list(AdministrativeUnit.objects.filter(parent=nation).order_by("code"))

    per_province = [communes // provinces + (1 if p < communes % provinces else 0) for p in range(provinces)]
    district_rows, plan = [], []
    for province, count in zip(province_rows, per_province):
        direct = round(count * POST_REFORM_SHARE)
        in_districts = count - direct
        n_districts = max(1, round(in_districts / COMMUNES_PER_DISTRICT)) if in_districts else 0
        for d in range(1, n_districts + 1):
            district_rows.append(
                AdministrativeUnit(
                    code=f"{province.code}-d{d:02d}",
                    name=f"Giả lập {province.code[-2:]}.{d:02d}",
                    kind=Kind.DISTRICT,
                    parent=province,
                    region=province.region,
                )
            )
        plan.append((province, in_districts, n_districts, direct))
    AdministrativeUnit.objects.bulk_create(district_rows, batch_size=1000)
    districts = {u.code: u for u in AdministrativeUnit.objects.filter(kind=Kind.DISTRICT, code__startswith=PREFIX)}

    commune_rows = []
    for province, in_districts, n_districts, direct in plan:
        for c in range(in_districts):
            parent = districts[f"{province.code}-d{c % n_districts + 1:02d}"]
            commune_rows.append(_commune(rng, f"{parent.code}-c{c // n_districts + 1:03d}", parent, None))
        for c in range(direct):
            commune_rows.append(_commune(rng, f"{province.code}-x{c + 1:03d}", province, REFORM))
    for start in range(0, len(commune_rows), 5000):
        AdministrativeUnit.objects.bulk_create(commune_rows[start : start + 5000])
    progress(f"đơn vị: {1 + len(province_rows)} tỉnh/quốc gia, {len(district_rows)} huyện, {len(commune_rows)} xã")
    saved = AdministrativeUnit.objects.filter(code__startswith=PREFIX, kind=Kind.COMMUNE).order_by("code")
    # Capability: how far along a commune is, drawn in code order so it depends only on the seed.
    return [(unit, rng.betavariate(5, 2)) for unit in saved], 1 + len(province_rows) + len(district_rows) + len(
        commune_rows
    )


def _commune(rng, code, parent, valid_from):
    return AdministrativeUnit(
        code=code,
        name=f"Giả lập {code[len(PREFIX) + 1 :]}",
        kind=Kind.COMMUNE,
        parent=parent,
        region=parent.region,
        valid_from=valid_from,
        commune_group=rng.choice([1, 2, 2, 3]),
        is_disadvantaged=rng.random() < 0.1,
    )


def _other_fields():
    """A constant value for every record field this generator does not set itself.

    Looked up from the model so that a field added later (with a default) does not break COPY.
    """
    fixed = {"id", "unit", "indicator", "as_of", "value_bool", "value_number", "is_met", "note", "recorded_at"}
    values = {}
    for f in AchievementRecord._meta.concrete_fields:
        if f.name in fixed:
            continue
        if f.name == "status" and "verified" in {c[0] for c in (f.choices or [])}:
            values[f] = "verified"  # the engine counts verified records only
        else:
            values[f] = f.get_default()
    return values


@transaction.atomic
def generate(*, provinces, communes, dates, seed, sets=2, use_copy=None, progress=print):
    """Create synthetic data in the current database; returns a `Stats`. Refuses to run twice."""
    if has_synthetic_data():
        raise ValueError("Cơ sở dữ liệu đã có dữ liệu giả lập (mã bắt đầu bằng “syn-”).")
    if provinces < 1 or communes < provinces or dates < 1 or not 1 <= sets <= len(SET_CODES):
        raise ValueError("Tham số không hợp lệ: cần ít nhất 1 tỉnh, mỗi tỉnh ít nhất 1 xã, 1 ngày, 1-3 bộ tiêu chí.")
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    rng = random.Random(seed)
    stats = Stats()
    started = time.perf_counter()

    load_reference_sets()
    set_codes = SET_CODES[:sets]
    criteria_sets = {s.code: s for s in CriteriaSet.objects.filter(code__in=set_codes)}
    indicators = {
        code: list(
            Indicator.objects.filter(criterion__criteria_set=criteria_sets[code])
            .order_by("criterion__number", "order")
            .values_list("pk", "criterion__number")
        )
        for code in set_codes
    }
    communes_list, stats.units = _units(rng, provinces, communes, progress)
    stats.seconds["units"] = time.perf_counter() - started

    t = time.perf_counter()
    enrolments = []
    for unit, capability in communes_list:
        for rank, code in enumerate(set_codes):
            # Higher tiers are pursued by the most capable communes.
            if rank == 0 or capability > 1 - SET_SHARE[code] * 0.5 or rng.random() < SET_SHARE[code] * 0.3:
                enrolments.append(
                    Enrolment(unit=unit, criteria_set=criteria_sets[code], target_year=rng.choice([2024, 2025]))
                )
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    stats.enrolments = len(enrolments)
    stats.seconds["enrolments"] = time.perf_counter() - t
    progress(f"đăng ký thực hiện: {len(enrolments)}")

    t = time.perf_counter()
    days = report_dates(dates)
    capability_of = {unit.pk: capability for unit, capability in communes_list}
    writer = _CopyWriter() if use_copy else _BulkWriter()
    recognitions = []
    for enrolment in enrolments:
        unit, code = enrolment.unit, enrolment.criteria_set.code
        unit_days = [d for d in days if unit.valid_from is None or d >= unit.valid_from]
        if not unit_days:
            continue
        tier = set_codes.index(code)
        # Scaled so that the most capable communes meet every indicator by the last date.
        capability = 1.3 * capability_of[unit.pk] - 0.15 * tier
        # Each indicator gets a fixed draw; it is met at date i once the commune's progress passes it.
        draws = [rng.random() for _ in indicators[code]]
        met_standard_on = None
        for i, day in enumerate(unit_days):
            level = capability * (0.7 + 0.3 * (i + 1 + len(days) - len(unit_days)) / len(days))
            all_met = True
            for (indicator_id, _number), draw in zip(indicators[code], draws):
                if i and rng.random() < MISSING_SHARE:
                    continue
                met = draw < level and rng.random() >= REGRESSION_SHARE
                all_met = all_met and met
                writer.add(unit.pk, indicator_id, day, met)
            if all_met and met_standard_on is None:
                met_standard_on = day
        if met_standard_on and rng.random() < RECOGNISED_SHARE:
            recognitions.append(
                Recognition(
                    unit=unit,
                    criteria_set=enrolment.criteria_set,
                    decision_date=met_standard_on + timedelta(days=45),
                    decision_number=f"{rng.randint(100, 3999)}/QĐ-UBND",
                    issuer="UBND tỉnh (giả lập)",
                    note=NOTE,
                )
            )
        if writer.pending >= BATCH:
            writer.flush()
            progress(f"kết quả chỉ tiêu: {vi_number(writer.written, 0)} dòng")
    writer.flush()
    stats.records = writer.written
    stats.seconds["records"] = time.perf_counter() - t
    progress(f"kết quả chỉ tiêu: {vi_number(writer.written, 0)} dòng ({'COPY' if use_copy else 'bulk_create'})")

    Recognition.objects.bulk_create(recognitions, batch_size=5000)
    stats.recognitions = len(recognitions)
    stats.seconds["total"] = time.perf_counter() - started
    return stats


class _BulkWriter:
    """Records through `bulk_create`, in batches."""

    def __init__(self):
        self.rows, self.written = [], 0
        self.extra = {f.attname: value for f, value in _other_fields().items()}

    @property
    def pending(self):
        return len(self.rows)

    def add(self, unit_id, indicator_id, day, met):
        self.rows.append(
            AchievementRecord(
                unit_id=unit_id,
                indicator_id=indicator_id,
                as_of=day,
                value_bool=met,
                is_met=met,
                note=NOTE,
                **self.extra,
            )
        )

    def flush(self):
        AchievementRecord.objects.bulk_create(self.rows, batch_size=5000)
        self.written += len(self.rows)
        self.rows = []


class _CopyWriter:
    """Records through PostgreSQL's COPY, one tab-separated buffer per batch."""

    def __init__(self):
        extra = {f.column: value for f, value in _other_fields().items()}
        self.columns = ["unit_id", "indicator_id", "as_of", "value_bool", "is_met", "note", "recorded_at", *extra]
        self.tail = "\t".join(
            [NOTE, datetime.now(dt_timezone.utc).isoformat(), *(_copy_text(v) for v in extra.values())]
        )
        self.lines, self.written = [], 0

    @property
    def pending(self):
        return len(self.lines)

    def add(self, unit_id, indicator_id, day, met):
        flag = "t" if met else "f"
        self.lines.append(f"{unit_id}\t{indicator_id}\t{day.isoformat()}\t{flag}\t{flag}\t{self.tail}\n")

    def flush(self):
        if not self.lines:
            return
        table = AchievementRecord._meta.db_table
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(self.columns)}) FROM STDIN", io.StringIO("".join(self.lines))
            )
        self.written += len(self.lines)
        self.lines = []


def _copy_text(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)
