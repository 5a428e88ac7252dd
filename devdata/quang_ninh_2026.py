"""The Quảng Ninh 2026 demo, today's world, on top of the Đầm Hà 2022 demo (`devdata.demo`).

On 1/7/2025 districts were abolished and communes merged: huyện Đầm Hà, its town and its eight
communes end, and two new communes take their place directly under the province. The 2021-2025
figures stay on the old units (the Đầm Hà 2022 records, unchanged); the 2026-2030 series starts
afresh on the new ones, with made-up records for 2026.

Sources and confidence (shared/data/after_2025.md):
- which old units form which new commune: NQ 1679/NQ-UBTVQH15 of 16/6/2025, as a secondary source
  reports it; whether any old commune moved only in part is unknown;
- the national codes 06913 and 06895: Cục Thống kê list of 25/6/2025, secondary;
- the 2026-2030 set (QĐ 51/2025/QĐ-TTg): 10 criteria and 47 indicators, but not the list of
  indicators, so the demo creates 47 indicators by code only with a made-up split per criterion
  (the set is flagged illustrative and its note says so);
- the commune groups, rounds and every 2026 record are made up, and each says "minh hoạ".
"""

from datetime import UTC, date, datetime

from django.db import transaction

from communes.models import AdministrativeUnit, Kind, Share, UnitSuccession
from criteria.models import CriteriaSet, Criterion, Enrolment, Indicator, IndicatorKind
from devdata.demo import PROVINCE, REFORM, load_demo
from records.models import AchievementRecord, RecordStatus, ReportingRound
from records.services import record_save

NEW_SET = "xa-ntm-2026-2030"

# The new communes and the old units (codes of the Đầm Hà demo) each is formed from.
NEW_COMMUNES = [
    ("xa-quang-tan-2025", "Quảng Tân", ["xa-quang-an", "xa-duc-yen", "xa-quang-lam", "xa-quang-tan"]),
    ("xa-dam-ha-2025", "Đầm Hà", ["tt-dam-ha", "xa-tan-binh", "xa-dai-binh", "xa-tan-lap", "xa-dam-ha"]),
]
# Mã ĐVHC (Cục Thống kê, 25/6/2025; secondary): goes onto the units once they carry an official code.
OFFICIAL_CODES = {"xa-quang-tan-2025": "06913", "xa-dam-ha-2025": "06895"}
# Recorded as whole: the secondary source lists whole communes; a move in part is not known.
LINEAGE_SOURCE = "NQ 1679/NQ-UBTVQH15 (nguồn thứ cấp; chưa rõ có xã nào chỉ chuyển một phần)"
LINEAGE_EFFECTIVE = REFORM

RECORD_NOTE = (
    "Số liệu minh hoạ (demo): bộ tiêu chí 2026-2030 chưa có danh sách chỉ tiêu, "
    "kết quả từng chỉ tiêu của xã mới là giả định."
)
SET_NOTE = (
    "Dữ liệu minh hoạ (demo): 47 chỉ tiêu được tạo theo mã, số chỉ tiêu của từng tiêu chí là giả định; "
    "cần nạp bộ tiêu chí chính thức từ tệp."
)
ENROLMENT_NOTE = "Nhóm xã minh hoạ (demo): nguồn chưa có quyết định phân nhóm xã giai đoạn 2026-2030."
# Indicators per criterion: only the total (47) is published; this split is made up.
INDICATORS_PER_CRITERION = {1: 2, 2: 9, 3: 5, 4: 3, 5: 8, 6: 4, 7: 4, 8: 6, 9: 4, 10: 2}
COMMUNE_GROUPS = {"xa-quang-tan-2025": 2, "xa-dam-ha-2025": 2}

FIRST_HALF = date(2026, 6, 30)
LATER = date(2026, 11, 30)
# Rounds organised by the province (the district is gone); names, deadlines and closing made up.
ROUNDS = [
    (FIRST_HALF, "Đợt báo cáo đến 30/06/2026 (minh hoạ)", date(2026, 7, 15), datetime(2026, 7, 16, tzinfo=UTC)),
    (LATER, "Đợt báo cáo đến 30/11/2026 (minh hoạ)", date(2026, 12, 15), None),
]
# Indicators not met, per date and new commune; every other indicator is met.
UNMET = {
    FIRST_HALF: {
        "xa-quang-tan-2025": ["2.3", "2.7", "3.2", "5.6", "7.3", "8.2", "8.6"],
        "xa-dam-ha-2025": ["3.4", "7.2", "8.5"],
    },
    LATER: {
        "xa-quang-tan-2025": ["2.7", "7.3", "8.6"],
        "xa-dam-ha-2025": [],
    },
}


def _load_new_communes(province):
    """The two communes formed on 1/7/2025, directly under the province."""
    return {
        code: AdministrativeUnit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": Kind.COMMUNE,
                "parent": province,
                "valid_from": REFORM,
                "official_code": OFFICIAL_CODES[code],
            },
        )[0]
        for code, name, _predecessors in NEW_COMMUNES
    }


def _load_lineage(units):
    """End every old unit on the reform date and link it to the new commune it went into.

    Source LINEAGE_SOURCE, effective LINEAGE_EFFECTIVE; each old unit is linked as a whole,
    though whether any moved only in part is unknown.
    """
    for code, _name, predecessors in NEW_COMMUNES:
        for old_code in predecessors:
            old = units[old_code]
            if old.valid_to != LINEAGE_EFFECTIVE:
                old.valid_to = LINEAGE_EFFECTIVE
                old.save(update_fields=["valid_to"])
            UnitSuccession.objects.update_or_create(
                predecessor=old,
                successor=units[code],
                defaults={"share": Share.WHOLE, "effective_on": LINEAGE_EFFECTIVE, "source": LINEAGE_SOURCE},
            )


def _load_indicators(criteria_set):
    """The set's indicators by code only ("2.3"), as many per criterion as the made-up split says."""
    criteria = {c.number: c for c in Criterion.objects.filter(criteria_set=criteria_set)}
    for number, count in INDICATORS_PER_CRITERION.items():
        for k in range(1, count + 1):
            Indicator.objects.get_or_create(
                criterion=criteria[number],
                code=f"{number}.{k}",
                defaults={"kind": IndicatorKind.BOOLEAN, "order": k},
            )
    if SET_NOTE not in criteria_set.note:
        criteria_set.note = f"{criteria_set.note} {SET_NOTE}".strip()
        criteria_set.save(update_fields=["note"])
    return list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("pk"))


def _load_rounds(province):
    for as_of, name, deadline, closed_at in ROUNDS:
        ReportingRound.objects.update_or_create(
            unit=province, as_of=as_of, defaults={"name": name, "deadline": deadline, "closed_at": closed_at}
        )


def _load_records(communes, indicators):
    """The 2026 records, verified, through the one record writer; unchanged ones are left alone
    so that loading twice writes no new version."""
    existing = {
        (r.unit_id, r.indicator_id, r.as_of): r
        for r in AchievementRecord.objects.filter(
            unit__in=communes.values(), as_of__in=list(UNMET), status=RecordStatus.VERIFIED
        )
    }
    for as_of, by_commune in UNMET.items():
        for code, unmet in by_commune.items():
            unit = communes[code]
            for indicator in indicators:
                met = indicator.code not in unmet
                old = existing.get((unit.pk, indicator.pk, as_of))
                if old is not None and (old.value_bool, old.value_number, old.note) == (met, None, RECORD_NOTE):
                    continue
                record_save(unit=unit, indicator=indicator, as_of=as_of, value_bool=met, note=RECORD_NOTE)


@transaction.atomic
def load_quang_ninh_2026():
    """Load (or reload, idempotently) the Đầm Hà 2022 demo and today's Quảng Ninh on top of it."""
    units = load_demo()
    province = units[PROVINCE[0]]
    communes = _load_new_communes(province)
    units.update(communes)
    _load_lineage(units)

    criteria_set = CriteriaSet.objects.get(code=NEW_SET)
    indicators = _load_indicators(criteria_set)
    for code, unit in communes.items():
        Enrolment.objects.update_or_create(
            unit=unit,
            criteria_set=criteria_set,
            defaults={
                "target_year": criteria_set.period_end,
                "commune_group": COMMUNE_GROUPS[code],
                "note": ENROLMENT_NOTE,
            },
        )
    _load_rounds(province)
    _load_records(communes, indicators)
    return units


ACCOUNTS = [
    # username, role, unit code, display name, e-mail (example domain)
    ("bcd_tinh", "district_staff", "quang-ninh", "Cán bộ BCĐ tỉnh Quảng Ninh", "bcd.tinh@quangninh.example"),
    (
        "xa_quangtan_moi",
        "commune_officer",
        "xa-quang-tan-2025",
        "Cán bộ xã Quảng Tân (mới)",
        "quangtan@quangninh.example",
    ),
    ("xa_damha_moi", "commune_officer", "xa-dam-ha-2025", "Cán bộ xã Đầm Hà (mới)", "damha@quangninh.example"),
]


def load_quang_ninh_2026_accounts():
    """The province's steering account and one officer per new commune, password `demo`.
    Callers must refuse this outside DEBUG."""
    from accounts.services import account_create
    from devdata.demo import DEMO_PASSWORD

    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=[a[2] for a in ACCOUNTS])}
    return [
        account_create(
            username=username, password=DEMO_PASSWORD, role=role, unit=units[code], first_name=name, email=email
        )
        for username, role, code, name, email in ACCOUNTS
    ]
