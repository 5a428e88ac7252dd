"""Loads the national criteria set structures shipped in `criteria/reference/criteria_sets.csv`
and the commune groups of `criteria/reference/commune_groups.csv`.

The CSV gives criteria names and indicator counts, not the official indicator texts: indicators are
created by code only ("17.3"), and a set whose counts are not confirmed is marked illustrative.
Loading is idempotent: existing rows are updated in place (`load_reference_sets`, the demo's way)
or left as they are (`load_reference`, the command's way), never duplicated.
"""

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

from django.db import transaction

from criteria.models import CommuneGroup, CriteriaSet, Criterion, Indicator, IndicatorKind

REFERENCE_CSV = Path(__file__).resolve().parent / "reference" / "criteria_sets.csv"
COMMUNE_GROUPS_CSV = Path(__file__).resolve().parent / "reference" / "commune_groups.csv"

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
_TOTAL = re.compile(r"(?P<total>\d+) in total")


def _group(set_code, number):
    if set_code not in GROUPED_SETS:
        return ""
    return next(name for numbers, name in GROUPS_2021_2025 if number in numbers)


def _read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _note(count_status):
    total = _TOTAL.search(count_status)
    if total:  # 2026-2030: the total is known, the list and its split per criterion are not
        return (
            f"Bộ tiêu chí có {total['total']} chỉ tiêu; danh sách chỉ tiêu chưa có trong dữ liệu tham chiếu, "
            "cần nạp bộ tiêu chí chính thức từ tệp."
        )
    return (
        "Số chỉ tiêu của từng tiêu chí chưa đối chiếu với văn bản chính thức "
        f"({count_status}); tên chỉ tiêu hiển thị theo mã."
    )


def _put(model, created, update, defaults, **keys):
    """Create the row with `keys`; an existing one is updated when `update`, else left alone."""
    if update:
        row, is_new = model.objects.update_or_create(defaults=defaults, **keys)
    else:
        row, is_new = model.objects.get_or_create(defaults=defaults, **keys)
    created[model._meta.model_name] += is_new
    return row


@transaction.atomic
def load_reference_sets(path=REFERENCE_CSV, *, update=True, created=None):
    """Create or update every set, criterion and (code-only) indicator in the reference CSV.

    With `update=False` rows that exist keep what they hold (a set workbook may have loaded the
    official texts since); `created` counts the rows added per model name.
    """
    created = created if created is not None else Counter()
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
            sets[code]["note"] = _note(row["count_status"])

    loaded = {code: _put(CriteriaSet, created, update, fields, code=code) for code, fields in sets.items()}

    for row in rows:
        criteria_set = loaded[row["set_code"]]
        number = int(row["criterion_no"])
        criterion = _put(
            Criterion,
            created,
            update,
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
        if not update and criterion.indicators.exists():
            continue  # its indicators are whatever a workbook (or an earlier load) made them
        for k in range(1, int(count) + 1):
            _put(
                Indicator,
                created,
                False,  # indicators are never updated: a workbook may have given them their kind
                criterion=criterion,
                code=f"{number}.{k}",
                defaults={"kind": IndicatorKind.BOOLEAN, "order": k},
            )
    return list(loaded.values())


@transaction.atomic
def load_commune_groups(path=COMMUNE_GROUPS_CSV, *, update=True, created=None):
    """Create (or update) the commune groups of the reference sets, with their definitions."""
    created = created if created is not None else Counter()
    sets = {s.code: s for s in CriteriaSet.objects.all()}
    for row in _read_rows(path):
        _put(
            CommuneGroup,
            created,
            update,
            criteria_set=sets[row["set_code"]],
            number=int(row["group"]),
            defaults={"definition": row["definition_vi"], "source": row["source"]},
        )
    return created


@transaction.atomic
def load_reference():
    """Bộ tiêu chí quốc gia: the national sets and commune groups, into an empty database or
    beside what is there. Only missing rows are added; returns how many per model name."""
    created = Counter()
    load_reference_sets(update=False, created=created)
    load_commune_groups(update=False, created=created)
    return created
