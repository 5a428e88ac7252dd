"""Loads the national criteria set structures shipped in `criteria/reference/criteria_sets.csv`.

The CSV gives criteria names and indicator counts, not the official indicator texts: indicators are
created by code only ("17.3"), and a set whose counts are not confirmed is marked illustrative.
Loading is idempotent: existing rows are updated in place, never duplicated.
"""

import csv
import re
from datetime import date
from pathlib import Path

from django.db import transaction

from criteria.models import CriteriaSet, Criterion, Indicator, IndicatorKind

REFERENCE_CSV = Path(__file__).resolve().parent / "reference" / "criteria_sets.csv"

# The criterion groups of QĐ 318/QĐ-TTg (2021-2025 commune sets), by criterion number.
GROUPS_2021_2025 = [
    (range(1, 2), "Quy hoạch"),
    (range(2, 10), "Hạ tầng kinh tế - xã hội"),
    (range(10, 14), "Kinh tế và tổ chức sản xuất"),
    (range(14, 18), "Văn hóa - xã hội - môi trường"),
    (range(18, 20), "Hệ thống chính trị"),
]
GROUPED_SETS = {"xa-ntm-2021-2025", "xa-ntm-nang-cao-2021-2025"}

_LEGAL_BASIS = re.compile(r"Quyết định (?P<number>\S+) ngày (?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")
# "recalled" counts are plausible but unchecked; only made-up counts mark a set illustrative.
_NOT_ILLUSTRATIVE_COUNT = {"published", "recalled"}


def _group(set_code, number):
    if set_code not in GROUPED_SETS:
        return ""
    return next(name for numbers, name in GROUPS_2021_2025 if number in numbers)


def _read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def load_reference_sets(path=REFERENCE_CSV):
    """Create or update every set, criterion and (code-only) indicator in the reference CSV."""
    rows = _read_rows(path)
    sets = {}
    for row in rows:
        code = row["set_code"]
        if code not in sets:
            basis = _LEGAL_BASIS.match(row["legal_basis"])
            start, end = (int(y) for y in row["period"].split("-"))
            sets[code] = {
                "name": row["set_name_vi"],
                "level": row["level"],
                "tier": row["tier"],
                "period_start": start,
                "period_end": end,
                "decision_number": basis["number"] if basis else "",
                "decision_date": date(int(basis["y"]), int(basis["m"]), int(basis["d"])) if basis else None,
                "is_illustrative": False,
                "note": "",
            }
        if row["count_status"] not in _NOT_ILLUSTRATIVE_COUNT:
            sets[code]["is_illustrative"] = True
            sets[code]["note"] = (
                "Số chỉ tiêu của từng tiêu chí chưa đối chiếu với văn bản chính thức "
                f"({row['count_status']}); tên chỉ tiêu hiển thị theo mã."
            )

    created = {}
    for code, fields in sets.items():
        created[code], _ = CriteriaSet.objects.update_or_create(code=code, defaults=fields)

    for row in rows:
        criteria_set = created[row["set_code"]]
        number = int(row["criterion_no"])
        criterion, _ = Criterion.objects.update_or_create(
            criteria_set=criteria_set,
            number=number,
            defaults={
                "name": row["criterion_name_vi"],
                "name_en": row["criterion_name_en"],
                "group": _group(criteria_set.code, number),
                "source_status": row["name_status"],
            },
        )
        count = row["indicator_count"]
        if not count.isdigit():
            continue  # counts unknown (2026-2030): no indicators until the official set is loaded
        for k in range(1, int(count) + 1):
            Indicator.objects.get_or_create(
                criterion=criterion,
                code=f"{number}.{k}",
                defaults={"kind": IndicatorKind.BOOLEAN, "order": k},
            )
    return list(created.values())
