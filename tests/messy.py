"""A messy district, built with factories and the services, as real data arrives (not the demo).

Huyện Lộn Xộn has five communes: xã Đủ reports everything (and a later record undoes a criterion
it was recognised for), xã Thiếu has gaps, a pending correction of a verified value, a draft and
a returned record, xã Trống has nothing recorded, xã Ngoài Bộ pursues no set (one stray record),
and xã Sáp Nhập is merged into xã Đủ on 01/07/2024, half-way through the period. Records are dated
on three days, the last after the open round's date. The district itself pursues a district set
with one indicator of two recorded. A commune set's criterion has no indicators loaded yet.

`build()` returns a `Messy`: the units, sets and accounts by name, and `rows`, every record the
builder asked the services to write, as plain tuples, for an oracle to compute figures from
without the engine.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from accounts.models import Role
from accounts.services import account_create
from communes.models import Kind, Region
from records.models import RecordStatus
from records.services import Entry, entry_save, record_return, record_save, round_close
from tests.factories import (
    CommuneFactory,
    CriteriaSetFactory,
    CriterionFactory,
    DistrictFactory,
    DossierConditionFactory,
    DossierFactory,
    EnrolmentFactory,
    IndicatorFactory,
    NumericIndicatorFactory,
    PlanItemFactory,
    ProvinceFactory,
    RecognitionFactory,
    RoundFactory,
    ThresholdFactory,
    WorkFactory,
)
from tests.urlwalk import add_evidence

D1, D2, D3 = date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31)
MERGED_ON = date(2024, 7, 1)
RECOGNISED_ON = date(2024, 1, 15)

BASIC, ADVANCED, DISTRICT_SET = "bo-co-ban-thu", "bo-nang-cao-thu", "bo-huyen-thu"
# {set code: (level, tier, {criterion number: [(indicator code, comparator or None)]})}
SETS = {
    BASIC: (
        "commune",
        "basic",
        {1: [("1.1", None), ("1.2", None)], 2: [("2.1", ">=")], 3: [("3.1", None), ("3.2", "<=")]},
    ),
    ADVANCED: ("commune", "advanced", {1: [("1.1", None)], 2: []}),  # criterion 2: indicators not loaded yet
    DISTRICT_SET: ("district", "basic", {1: [("1.1", None), ("1.2", None)]}),
}
# Targets of the numeric indicators: [(region, commune group, value)]; "" / None apply to all.
THRESHOLDS = {
    (BASIC, "2.1"): [("", None, Decimal(70)), (Region.NORTHERN_MOUNTAINS, None, Decimal(50))],
    (BASIC, "3.2"): [("", None, Decimal(10)), ("", 3, Decimal(15))],
}
# code: (name, kind, region, commune group, valid_to)
UNITS = {
    "xa-du": ("Đủ", Kind.COMMUNE, Region.NORTHERN_MOUNTAINS, None, None),
    "xa-thieu": ("Thiếu", Kind.COMMUNE, Region.RED_RIVER_DELTA, 3, None),
    "xa-trong": ("Trống", Kind.COMMUNE, Region.RED_RIVER_DELTA, None, None),
    "xa-ngoai-bo": ("Ngoài Bộ", Kind.COMMUNE, Region.RED_RIVER_DELTA, None, None),
    "xa-sap-nhap": ("Sáp Nhập", Kind.COMMUNE, Region.RED_RIVER_DELTA, None, MERGED_ON),
}
DISTRICT, PROVINCE = "huyen-lon-xon", "tinh-thu"
ENROLMENTS = [
    ("xa-du", BASIC),
    ("xa-thieu", BASIC),
    ("xa-trong", BASIC),
    ("xa-sap-nhap", BASIC),
    ("xa-du", ADVANCED),
    ("xa-thieu", ADVANCED),
    (DISTRICT, DISTRICT_SET),
]
RECOGNITIONS = [("xa-du", BASIC, RECOGNISED_ON)]
V, S, DRAFT, RET = RecordStatus.VERIFIED, RecordStatus.SUBMITTED, RecordStatus.DRAFT, RecordStatus.RETURNED
# (unit, set, indicator, date, value, status), in the order they are written.
RECORDS = [
    # xã Đủ: everything, met (2.1 against the northern mountains' 50), then 1.1 lost at D3.
    *[
        ("xa-du", BASIC, code, D1, value, V)
        for code, value in [("1.1", True), ("1.2", True), ("2.1", "55"), ("3.1", True), ("3.2", "8")]
    ],
    *[
        ("xa-du", BASIC, code, D2, value, V)
        for code, value in [("1.1", True), ("1.2", True), ("2.1", "60"), ("3.1", True), ("3.2", "9,5")]
    ],
    ("xa-du", BASIC, "1.1", D3, False, V),
    ("xa-du", ADVANCED, "1.1", D2, True, V),
    # xã Thiếu: gaps; 3.2 judged against group 3's 15; corrections waiting at D2.
    ("xa-thieu", BASIC, "1.1", D1, False, V),
    ("xa-thieu", BASIC, "2.1", D1, "65", V),
    ("xa-thieu", BASIC, "1.2", D2, True, V),
    ("xa-thieu", BASIC, "3.1", D2, True, V),
    ("xa-thieu", BASIC, "3.2", D2, "14", V),
    ("xa-thieu", BASIC, "1.2", D2, False, S),  # a pending correction of a verified value
    ("xa-thieu", BASIC, "2.1", D2, "75", DRAFT),
    ("xa-thieu", BASIC, "1.1", D2, True, RET),
    # xã Sáp Nhập: until its merger.
    *[
        ("xa-sap-nhap", BASIC, code, D1, value, V)
        for code, value in [("1.1", True), ("1.2", True), ("2.1", "80"), ("3.1", True), ("3.2", "5")]
    ],
    ("xa-sap-nhap", BASIC, "1.1", D2, False, V),
    # xã Ngoài Bộ pursues no set, yet a record of the basic set was loaded for it.
    ("xa-ngoai-bo", BASIC, "1.1", D2, True, V),
    # The district's own set: one indicator of two.
    (DISTRICT, DISTRICT_SET, "1.1", D2, True, V),
]
PASSWORD = "x"


@dataclass
class Messy:
    """The messy district's rows by name, its accounts, and the records as written."""

    units: dict
    sets: dict
    indicators: dict  # (set code, indicator code) -> Indicator
    users: dict
    rows: list = field(default_factory=lambda: list(RECORDS))

    @property
    def district(self):
        return self.units[DISTRICT]


def build():
    """Create the messy district (call inside a test with the database)."""
    province = ProvinceFactory(code=PROVINCE, name="Thử")
    district = DistrictFactory(code=DISTRICT, name="Lộn Xộn", parent=province)
    units = {PROVINCE: province, DISTRICT: district}
    for code, (name, kind, region, group, valid_to) in UNITS.items():
        units[code] = CommuneFactory(
            code=code, name=name, kind=kind, parent=district, region=region, commune_group=group, valid_to=valid_to
        )
    units["xa-sap-nhap"].successors.add(units["xa-du"])

    sets, indicators = {}, {}
    for set_code, (level, tier, structure) in SETS.items():
        criteria_set = sets[set_code] = CriteriaSetFactory(
            code=set_code, name=f"Bộ tiêu chí thử {set_code}", level=level, tier=tier
        )
        for number, codes in structure.items():
            criterion = CriterionFactory(criteria_set=criteria_set, number=number, name=f"Tiêu chí thử {number}")
            for order, (code, comparator) in enumerate(codes, start=1):
                if comparator:
                    indicator = NumericIndicatorFactory(
                        criterion=criterion, code=code, order=order, comparator=comparator
                    )
                    for region, group, value in THRESHOLDS[(set_code, code)]:
                        ThresholdFactory(indicator=indicator, region=region, commune_group=group, value=value)
                else:
                    indicator = IndicatorFactory(criterion=criterion, code=code, order=order)
                indicators[(set_code, code)] = indicator
    for unit_code, set_code in ENROLMENTS:
        EnrolmentFactory(unit=units[unit_code], criteria_set=sets[set_code], target_year=2025)
    for unit_code, set_code, day in RECOGNITIONS:
        RecognitionFactory(unit=units[unit_code], criteria_set=sets[set_code], decision_date=day)

    users = {
        "staff": account_create(username="bcd_lx", password=PASSWORD, role=Role.DISTRICT_STAFF, unit=district),
        "leader": account_create(username="lanhdao_lx", password=PASSWORD, role=Role.LEADER, unit=district),
        "officer_gaps": account_create(
            username="xa_thieu", password=PASSWORD, role=Role.COMMUNE_OFFICER, unit=units["xa-thieu"]
        ),
        "officer_empty": account_create(
            username="xa_trong", password=PASSWORD, role=Role.COMMUNE_OFFICER, unit=units["xa-trong"]
        ),
        "admin": get_user_model().objects.create_superuser("quantri_lx", "quantri@example.vn", PASSWORD),
    }
    earlier_round = RoundFactory(unit=district, name="Đợt 31/12/2023", as_of=D1, deadline=date(2024, 1, 10))
    open_round = RoundFactory(unit=district, name="Đợt 30/06/2024", as_of=D2, deadline=date(2024, 7, 10))
    messy = Messy(units=units, sets=sets, indicators=indicators, users=users)
    for row in RECORDS:
        _write(messy, row, open_round)
    round_close(reporting_round=earlier_round, user=users["staff"])

    gap = indicators[(BASIC, "1.1")]
    record = units["xa-thieu"].records.filter(indicator=gap, status=V).get()
    add_evidence(record, user=users["officer_gaps"])
    PlanItemFactory(unit=units["xa-thieu"], indicator=gap, criteria_set=sets[BASIC])
    WorkFactory(unit=units["xa-thieu"])
    DossierFactory(unit=units["xa-du"], criteria_set=sets[BASIC])
    DossierConditionFactory(criteria_set=sets[BASIC], text="Điều kiện thử: không nợ đọng xây dựng cơ bản")
    return messy


def _value_fields(value):
    if isinstance(value, bool):
        return {"value_bool": value}
    return {"value_number": Decimal(value.replace(",", "."))}


def _write(messy, row, open_round):
    """Write one row the way it would arrive: the district's direct write, or a commune's entry."""
    unit_code, set_code, code, day, value, status = row
    unit, indicator = messy.units[unit_code], messy.indicators[(set_code, code)]
    if status == V:
        record_save(
            unit=unit,
            indicator=indicator,
            as_of=day,
            note="số liệu thử",
            user=messy.users["staff"],
            **_value_fields(value),
        )
        return
    assert day == open_round.as_of, row
    officer = messy.users["officer_gaps"]
    entry = Entry(indicator=indicator, note="xã sửa (thử)", seen_verified_version=None, **_value_fields(value))
    (record,) = entry_save(unit=unit, reporting_round=open_round, entries=[entry], submit=status != DRAFT, user=officer)
    if status == RET:
        record_return(record=record, user=messy.users["staff"], reason="Thiếu biên bản (thử)")
