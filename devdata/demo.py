"""The Đầm Hà 2022 demo: Quảng Ninh > huyện Đầm Hà > the town and 8 communes, enrolments,
recognitions and records as of 31/12/2021 and 19/08/2022.

Only the district averages are real (the steering-committee meeting of 19/08/2022); how they split
per commune and per indicator is made up here, and every record says so in its note. The split
is written out below so that anyone can check it against the report table:

| set                        | units | criteria met | indicators met |
| xã NTM 2021-2025           | 8     | 143/152      | 446/456        |
| xã NTM nâng cao 2021-2025  | 6     | 91/114       | 415/450        |
| xã NTM kiểu mẫu 2021-2025  | 4     | 8/16         | 20/40          |
| huyện NTM nâng cao         | 1     | 7/9          | 33/38          |
"""

from datetime import UTC, date, datetime

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communes.models import AdministrativeUnit, Kind
from criteria.models import CriteriaSet, Enrolment, Indicator, Recognition
from criteria.reference import load_reference_sets
from records.models import AchievementRecord, RecordStatus, ReportingRound

EARLIER = date(2021, 12, 31)
MEETING = date(2022, 8, 19)
REFORM = date(2025, 7, 1)  # districts abolished nationwide (two-tier local government)

# The demo's two reporting rounds, organised by the district. The deadlines are made up (demo);
# the earlier round is closed, the meeting's round stays open so the demo can be used for entry.
ROUNDS = [
    (EARLIER, "Đợt báo cáo đến 31/12/2021 (demo)", date(2022, 1, 15), True),
    (MEETING, "Đợt báo cáo đến 19/08/2022 (demo)", date(2022, 8, 31), False),
]

EARLIER_ROUND_CLOSED_AT = datetime(2022, 1, 16, tzinfo=UTC)

DEMO_NOTE = "Số liệu minh hoạ (demo): chỉ số bình quân của huyện là thật, phân bổ theo xã là giả định."

PROVINCE = ("quang-ninh", "Quảng Ninh", Kind.PROVINCE)
DISTRICT = ("dam-ha", "Đầm Hà", Kind.DISTRICT)
TOWN = ("tt-dam-ha", "Đầm Hà", Kind.TOWNSHIP)
COMMUNES = [
    ("xa-dai-binh", "Đại Bình"),
    ("xa-dam-ha", "Đầm Hà"),
    ("xa-duc-yen", "Dực Yên"),
    ("xa-quang-an", "Quảng An"),
    ("xa-quang-lam", "Quảng Lâm"),
    ("xa-quang-tan", "Quảng Tân"),
    ("xa-tan-binh", "Tân Bình"),
    ("xa-tan-lap", "Tân Lập"),
]
# Quảng Lợi merged into Quảng Tân on 1/1/2020: kept as history, with Quảng Tân as successor.
MERGED = ("xa-quang-loi", "Quảng Lợi", date(2020, 1, 1), "xa-quang-tan")

BASIC = "xa-ntm-2021-2025"
ADVANCED = "xa-ntm-nang-cao-2021-2025"
MODEL = "xa-ntm-kieu-mau-2021-2025"
DISTRICT_ADVANCED = "huyen-ntm-nang-cao-2021-2025"

# Indicators NOT met on 19/08/2022, per set and unit; every other indicator is met.
UNMET_AT_MEETING = {
    BASIC: {
        "xa-dai-binh": ["13.2", "17.4", "17.7"],
        "xa-dam-ha": [],
        "xa-duc-yen": ["3.2", "17.7"],
        "xa-quang-an": ["13.3", "15.4"],
        "xa-quang-lam": ["17.8"],
        "xa-quang-tan": [],
        "xa-tan-binh": ["3.1", "13.5"],
        "xa-tan-lap": [],
    },
    ADVANCED: {
        "xa-dam-ha": [],
        "xa-duc-yen": ["3.1", "3.2", "8.5", "12.3", "13.6", "13.7", "15.6", "15.7", "17.4", "17.7", "18.7"],
        "xa-quang-lam": ["2.5", "3.4", "6.4", "13.6", "13.7", "15.6", "15.7", "17.8", "17.15", "19.2"],
        "xa-quang-tan": ["13.7", "17.3", "17.9"],
        "xa-tan-binh": ["3.1", "3.4", "8.4", "8.5", "12.3", "13.5", "14.4", "15.6", "15.7", "17.12", "17.15"],
        "xa-tan-lap": [],
    },
    MODEL: {
        "xa-dam-ha": [],
        "xa-quang-lam": ["1.1", "1.2", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"],
        "xa-quang-tan": ["1.1", "1.2", "4.1", "4.2", "4.3"],
        "xa-tan-lap": ["2.2", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"],
    },
    DISTRICT_ADVANCED: {
        "dam-ha": ["3.1", "3.3", "7.2", "7.3", "7.5"],
    },
}
# Further indicators not yet met on 31/12/2021, for units not recognised by the meeting.
ALSO_UNMET_EARLIER = {
    BASIC: ["2.4", "8.4"],
    ADVANCED: ["2.4", "8.3"],
    MODEL: ["2.1"],
    DISTRICT_ADVANCED: ["5.7"],
}
# The recognitions named in the meeting report. The article gives neither decision numbers nor
# dates, only "by now" (19/08/2022), so the date is the latest one it allows and the number is blank.
RECOGNITIONS = [
    ("xa-dam-ha", MODEL),
    ("xa-tan-lap", ADVANCED),
]
RECOGNITION_NOTE = (
    "Theo tin họp BCĐ huyện ngày 19/8/2022 (“đến nay, UBND tỉnh đã công nhận”); "
    "số và ngày quyết định chưa có trong nguồn, ngày ghi là ngày họp."
)


def _unit(code, name, kind, parent=None, **extra):
    unit, _ = AdministrativeUnit.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent, **extra}
    )
    return unit


def _load_units():
    province = _unit(*PROVINCE)
    district = _unit(*DISTRICT, parent=province, valid_to=REFORM)
    units = {province.code: province, district.code: district}
    units[TOWN[0]] = _unit(*TOWN, parent=district)
    for code, name in COMMUNES:
        units[code] = _unit(code, name, Kind.COMMUNE, parent=district)
    code, name, merged_on, successor = MERGED
    merged = _unit(code, name, Kind.COMMUNE, parent=district, valid_to=merged_on)
    merged.successors.set([units[successor]], through_defaults={"effective_on": merged_on})
    units[code] = merged
    return units


def _load_rounds(district):
    rounds = {}
    for as_of, name, deadline, closed in ROUNDS:
        rounds[as_of], _ = ReportingRound.objects.update_or_create(
            unit=district,
            as_of=as_of,
            defaults={"name": name, "deadline": deadline, "closed_at": EARLIER_ROUND_CLOSED_AT if closed else None},
        )
    return rounds


def _records_for(criteria_set, unit, indicators, unmet_now, unmet_earlier, rounds):
    for as_of, unmet in ((EARLIER, unmet_earlier), (MEETING, unmet_now)):
        for indicator in indicators:
            met = indicator.code not in unmet
            yield AchievementRecord(
                unit=unit,
                indicator=indicator,
                as_of=as_of,
                reporting_round=rounds[as_of],
                status=RecordStatus.VERIFIED,
                value_bool=met,
                is_met=met,
                note=DEMO_NOTE,
            )


def _save_records(records):
    """Create missing verified records and reset changed ones, each with a history row."""
    existing = {
        (r.unit_id, r.indicator_id, r.as_of): r
        for r in AchievementRecord.objects.filter(
            status=RecordStatus.VERIFIED,
            as_of__in=[EARLIER, MEETING],
            unit__in={r.unit_id for r in records},
        )
    }
    new, changed = [], []
    for record in records:
        old = existing.get((record.unit_id, record.indicator_id, record.as_of))
        if old is None:
            new.append(record)
        elif (old.value_bool, old.value_number, old.is_met, old.note, old.reporting_round_id) != (
            record.value_bool,
            None,
            record.is_met,
            record.note,
            record.reporting_round_id,
        ):
            old.value_bool, old.value_number, old.is_met = record.value_bool, None, record.is_met
            old.note, old.reporting_round_id = record.note, record.reporting_round_id
            old.version += 1
            changed.append(old)
    bulk_create_with_history(new, AchievementRecord, default_change_reason="load_demo")
    bulk_update_with_history(
        changed,
        AchievementRecord,
        ["value_bool", "value_number", "is_met", "note", "reporting_round", "version"],
        default_change_reason="load_demo",
    )


@transaction.atomic
def load_demo():
    """Load (or reload, idempotently) the reference sets and the Đầm Hà scenario."""
    load_reference_sets()
    units = _load_units()
    rounds = _load_rounds(units[DISTRICT[0]])
    sets = {s.code: s for s in CriteriaSet.objects.filter(code__in=UNMET_AT_MEETING)}
    recognised = set(RECOGNITIONS)

    records = []
    for set_code, by_unit in UNMET_AT_MEETING.items():
        criteria_set = sets[set_code]
        indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("pk"))
        for unit_code, unmet in by_unit.items():
            unit = units[unit_code]
            Enrolment.objects.update_or_create(
                unit=unit, criteria_set=criteria_set, defaults={"target_year": criteria_set.period_end}
            )
            earlier = set(unmet)
            if (unit_code, set_code) not in recognised:
                earlier |= set(ALSO_UNMET_EARLIER[set_code])
            records.extend(_records_for(criteria_set, unit, indicators, set(unmet), earlier, rounds))

    _save_records(records)
    for unit_code, set_code in RECOGNITIONS:
        Recognition.objects.update_or_create(
            unit=units[unit_code],
            criteria_set=sets[set_code],
            defaults={
                "decision_number": "",
                "decision_date": MEETING,
                "issuer": "UBND tỉnh Quảng Ninh",
                "note": RECOGNITION_NOTE,
            },
        )
    return units


DEMO_ACCOUNTS = [
    # username, role, unit code, display name
    ("bcd", "district_staff", "dam-ha", "Cán bộ BCĐ huyện"),
    ("lanhdao", "leader", "dam-ha", "Lãnh đạo huyện"),
    ("xa_quangtan", "commune_officer", "xa-quang-tan", "Cán bộ xã Quảng Tân"),
    ("xa_tanlap", "commune_officer", "xa-tan-lap", "Cán bộ xã Tân Lập"),
]
DEMO_PASSWORD = "demo"


def load_demo_accounts():
    """One account per role, password `demo`. Callers must refuse this outside DEBUG."""
    from accounts.services import account_create

    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=[a[2] for a in DEMO_ACCOUNTS])}
    return [
        account_create(username=username, password=DEMO_PASSWORD, role=role, unit=units[code], first_name=name)
        for username, role, code, name in DEMO_ACCOUNTS
    ]
