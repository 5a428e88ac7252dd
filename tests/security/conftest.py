"""A district beside Đầm Hà, a province's own set, and a marker on every row a unit owns.

Security tests look for another unit's data in a response by its marker, `DANHDAU[<unit code>]`:
plain ASCII, so it survives HTML escaping, JSON's \\u escapes and CSV, and is found inside .xlsx
files once they are unzipped.
"""

import re
from datetime import date

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat
from simple_history.utils import bulk_create_with_history

MEETING = date(2022, 8, 19)
BASIC = "xa-ntm-2021-2025"
PROVINCIAL_SET = "qn-bo-thu"
NATIONAL_SET = "qg-bo-thu"
MARKER = re.compile(r"DANHDAU\[([a-z0-9-]+)\]")


def mark(code):
    return f"DANHDAU[{code}]"


@pytest.fixture
def site(demo_accounts, settings, tmp_path):
    """The Đầm Hà demo with its steering demo, a second district (huyện Khác, xã Khác) with rows
    of its own, a provincial set of Quảng Ninh, a superuser `quantri`, province staff `bcd_tinh`
    and staff of the other district `bcd_khac`; every unit-owned row carries its unit's marker.
    Returns the accounts by username."""
    from accounts.models import Role
    from accounts.services import account_create
    from communes.models import AdministrativeUnit, Kind
    from criteria.models import CriteriaSet, Enrolment, Indicator, Recognition, Scope
    from devdata.steering_demo import load_steering_demo
    from notices.models import Notification, NotificationKind
    from records.models import AchievementRecord, RecordStatus, ReportingRound
    from steering.models import Dossier, DossierCondition, Office, OfficeKind, PlanItem, Work
    from tests.factories import CriterionFactory, NumericIndicatorFactory, ThresholdFactory
    from tests.urlwalk import add_evidence

    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    load_steering_demo()
    province = AdministrativeUnit.objects.get(code="quang-ninh")
    other_district = AdministrativeUnit.objects.create(
        code="huyen-khac", name="Khác", kind=Kind.DISTRICT, parent=province
    )
    other = AdministrativeUnit.objects.create(code="xa-khac", name="Khác", kind=Kind.COMMUNE, parent=other_district)
    basic = CriteriaSet.objects.get(code=BASIC)
    Enrolment.objects.create(unit=other, criteria_set=basic, target_year=2025)
    ReportingRound.objects.create(
        unit=other_district, name="Đợt báo cáo của huyện Khác (kiểm thử)", as_of=MEETING, deadline=date(2022, 8, 31)
    )
    indicators = list(Indicator.objects.filter(criterion__criteria_set=basic).order_by("pk"))
    bulk_create_with_history(
        [
            AchievementRecord(
                unit=other,
                indicator=i,
                as_of=MEETING,
                status="verified",
                is_met=True,
                **({"value_bool": True} if i.kind == "boolean" else {"value_number": 100}),
            )
            for i in indicators
        ],
        AchievementRecord,
    )
    Recognition.objects.create(unit=other, criteria_set=basic, decision_date=MEETING, issuer="UBND tỉnh (kiểm thử)")
    office = Office.objects.create(unit=other, name="Ban chỉ đạo xã Khác", kind=OfficeKind.COMMUNE_BODY)
    PlanItem.objects.create(unit=other, criteria_set=basic, indicator=indicators[0], office=office)
    Work.objects.create(
        name="Công trình xã Khác",
        unit=other,
        approved_capital=1_000_000,
        start_date=date(2022, 1, 1),
        due_date=date(2022, 12, 31),
        office=office,
    )
    Dossier.objects.create(unit=other, criteria_set=basic)

    provincial = CriteriaSet.objects.create(
        code=PROVINCIAL_SET,
        name="Bộ tiêu chí thử của tỉnh (kiểm thử)",
        level="commune",
        tier="basic",
        period_start=2021,
        period_end=2025,
        scope=Scope.PROVINCIAL,
        province=province,
        is_illustrative=True,
    )
    ThresholdFactory(
        indicator=NumericIndicatorFactory(criterion=CriterionFactory(criteria_set=provincial, number=1), code="1.1")
    )
    # A national set of test data with a target and a dossier condition (the reference sets have
    # no official targets loaded, and none is invented).
    national = CriteriaSet.objects.create(
        code=NATIONAL_SET,
        name="Bộ tiêu chí quốc gia thử (kiểm thử)",
        level="commune",
        tier="basic",
        period_start=2021,
        period_end=2025,
        is_illustrative=True,
    )
    ThresholdFactory(
        indicator=NumericIndicatorFactory(criterion=CriterionFactory(criteria_set=national, number=1), code="1.1")
    )
    DossierCondition.objects.create(criteria_set=national, text="Điều kiện thử (kiểm thử)")

    accounts = dict(demo_accounts)
    accounts["quantri"] = account_create(username="quantri", password="x", role=Role.SITE_ADMIN, unit=None)
    accounts["bcd_tinh"] = account_create(username="bcd_tinh", password="x", role=Role.DISTRICT_STAFF, unit=province)
    accounts["bcd_khac"] = account_create(
        username="bcd_khac", password="x", role=Role.DISTRICT_STAFF, unit=other_district
    )
    officer_khac = account_create(username="xa_khac", password="x", role=Role.COMMUNE_OFFICER, unit=other)
    for user in (accounts["xa_quangtan"], accounts["xa_tanlap"], officer_khac):
        user.last_name = mark(user.profile.unit.code)
        user.email = f"{user.username}@example.vn"
        user.save()

    # Markers on every row a unit owns.
    for unit in AdministrativeUnit.objects.exclude(code="quang-ninh"):
        tag = " " + mark(unit.code)
        records = AchievementRecord.objects.filter(unit=unit)
        records.update(note=Concat(F("note"), Value(tag)))
        PlanItem.objects.filter(unit=unit).update(action=Concat(F("action"), Value(tag)))
        Work.objects.filter(unit=unit).update(note=Concat(F("note"), Value(tag)))
        Dossier.objects.filter(unit=unit).update(note=Concat(F("note"), Value(tag)), return_reason=mark(unit.code))
        Office.objects.filter(unit=unit, kind=OfficeKind.COMMUNE_BODY).update(name=Concat(F("name"), Value(tag)))
        Recognition.objects.filter(unit=unit).update(note=Concat(F("note"), Value(tag)))
        record = records.filter(status=RecordStatus.VERIFIED).order_by("-as_of", "pk").first()
        if record is None:
            continue
        add_evidence(record, name=f"minh-chung-{mark(unit.code)}.pdf")
        # A returned correction with its reason, as the commune sees it on the entry form.
        round_ = ReportingRound.objects.for_unit(unit).open().get()
        AchievementRecord.objects.create(
            unit=unit,
            indicator=record.indicator,
            as_of=round_.as_of,
            reporting_round=round_,
            value_bool=False,
            is_met=False,
            status=RecordStatus.RETURNED,
            return_reason=f"Thiếu biên bản {mark(unit.code)}",
            note=mark(unit.code),
        )
        Notification.objects.create(
            kind=NotificationKind.RECORD_RETURNED,
            key=f"record:{record.pk}:kiem-thu",
            recipient=f"{unit.code}@example.vn",
            subject=f"[NTM] Kết quả bị trả lại {mark(unit.code)}",
            body=f"Lý do: Thiếu biên bản {mark(unit.code)}",
        )
    return accounts
