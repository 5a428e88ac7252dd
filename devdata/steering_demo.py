"""Steering demo on top of the Đầm Hà 2022 scenario: offices, gap-plan items, works, dossiers.

Grounded in the meeting of 19/08/2022 where it can be: Phòng KT-HT (Phòng Kinh tế và Hạ tầng) and
the communes' steering committees (BCĐ xã) are named there, as are the tasks quoted below. Every
deadline, amount and progress figure is made up, and every row says so in its note.
"""

from datetime import date

from django.db import transaction

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, Criterion
from devdata.demo import BASIC, COMMUNES, DISTRICT_ADVANCED, EARLIER, MEETING, MODEL
from steering.models import Dossier, DossierCondition, Office, OfficeKind, PlanItem, PlanStatus, Work
from steering.services import plan_items_from_gaps

DEMO_NOTE = "Số liệu minh hoạ (demo): thời hạn, kinh phí và tiến độ là giả định."
WORK_NOTE = (
    "Công trình minh hoạ (demo), lấy từ nhiệm vụ nêu trong cuộc họp BCĐ ngày 19/8/2022; "
    "không phải danh mục công trình thật. Vốn, giải ngân và tiến độ là giả định."
)
# Named in the meeting's conclusions ("tập trung lập và hoàn thiện hồ sơ", issue 8 examples).
CONDITIONS = [
    "Kết quả khảo sát mức độ hài lòng của người dân",
    "Không còn nợ đọng xây dựng cơ bản",
]
# Tasks quoted from the chairman's conclusions, per (set, criterion number).
ACTIONS = {
    (MODEL, 1): "Lập kế hoạch chi tiết để triển khai thực hiện các chỉ tiêu, tiêu chí chưa đạt",
    (MODEL, 2): "Lập kế hoạch chi tiết để triển khai thực hiện các chỉ tiêu, tiêu chí chưa đạt",
    (MODEL, 4): "Triển khai thực hiện các tiêu chí về môi trường, cảnh quan, hoàn thiện hồ sơ",
    (DISTRICT_ADVANCED, 3): "Triển khai thực hiện các chỉ tiêu, tiêu chí về thủy lợi",
    (DISTRICT_ADVANCED, 7): "Triển khai thực hiện các chỉ tiêu, tiêu chí về môi trường",
}
# (estimated cost in đồng, funding source): made up, like the deadlines.
COSTS = {
    (MODEL, 4): (150_000_000, "Ngân sách xã (minh hoạ)"),
    (DISTRICT_ADVANCED, 3): (2_000_000_000, "Vốn Chương trình MTQG xây dựng NTM (minh hoạ)"),
}
DEADLINES = {
    (MODEL, 1): date(2022, 6, 30),  # passed by the meeting: overdue
    (MODEL, 2): date(2022, 6, 30),  # met by the meeting: the item says so
    (MODEL, 4): date(2022, 9, 15),  # due before a meeting a month later
    (DISTRICT_ADVANCED, 3): date(2022, 12, 31),
    (DISTRICT_ADVANCED, 7): date(2022, 12, 31),
}
# name, commune, (set, criterion numbers), capital, disbursed, progress %, start, due
WORKS = [
    (
        "Lắp đặt biển báo, sơn kẻ đường trục thôn",
        "xa-quang-tan",
        (BASIC, [2]),
        1_200_000_000,
        450_000_000,
        40,
        date(2022, 5, 1),
        date(2022, 10, 31),
    ),
    (
        "Lắp đặt hệ thống camera, wifi ở điểm công cộng",
        "xa-tan-lap",
        (BASIC, [8]),
        800_000_000,
        800_000_000,
        100,
        date(2022, 3, 1),
        date(2022, 7, 31),
    ),
    (
        "Bảo dưỡng, chăm sóc đường giao thông ngõ xóm",
        "xa-quang-lam",
        (BASIC, [2]),
        650_000_000,
        300_000_000,
        70,
        date(2022, 4, 1),
        date(2022, 7, 31),
    ),
    (
        "Lắp đặt biển báo, sơn kẻ đường giao thông",
        "xa-duc-yen",
        (BASIC, [2]),
        900_000_000,
        500_000_000,
        65,
        date(2022, 6, 1),
        date(2022, 11, 30),
    ),
]


@transaction.atomic
def load_steering_demo():
    """Load (or reload, idempotently) the steering demo; needs `devdata.demo.load_demo` first."""
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=["dam-ha", *(c for c, _ in COMMUNES)])}
    sets = {s.code: s for s in CriteriaSet.objects.filter(code__in=[BASIC, MODEL, DISTRICT_ADVANCED])}
    district = units["dam-ha"]
    kt_ht, _ = Office.objects.update_or_create(
        unit=district,
        name="Phòng Kinh tế và Hạ tầng",
        defaults={"short_name": "Phòng KT-HT", "kind": OfficeKind.DISTRICT_OFFICE},
    )
    bcd = {}
    for code, name in COMMUNES:
        bcd[code], _ = Office.objects.update_or_create(
            unit=units[code],
            name=f"Ban chỉ đạo xã {name}",
            defaults={"short_name": f"BCĐ xã {name}", "kind": OfficeKind.COMMUNE_BODY},
        )

    # Plans drawn up from the gaps of 31/12/2021 (Quảng Tân, model) and of the meeting (district).
    plan_items_from_gaps(unit=units["xa-quang-tan"], criteria_set=sets[MODEL], as_of=EARLIER)
    plan_items_from_gaps(unit=district, criteria_set=sets[DISTRICT_ADVANCED], as_of=MEETING)
    for item in PlanItem.objects.filter(
        unit__in=[units["xa-quang-tan"], district], criteria_set__in=[sets[MODEL], sets[DISTRICT_ADVANCED]]
    ).select_related("indicator__criterion", "criteria_set"):
        key = (item.criteria_set.code, item.indicator.criterion.number)
        if key not in ACTIONS:
            continue
        item.action = ACTIONS[key]
        item.deadline = DEADLINES[key]
        item.office = bcd.get(item.unit.code)
        item.status = PlanStatus.IN_PROGRESS
        item.estimated_cost, item.funding_source = COSTS.get(key, (None, ""))
        item.progress_note = DEMO_NOTE
        item.save()

    for condition_set in (MODEL, DISTRICT_ADVANCED):
        for order, text in enumerate(CONDITIONS, start=1):
            DossierCondition.objects.update_or_create(
                criteria_set=sets[condition_set], text=text, defaults={"order": order}
            )
    # The meeting: the district prepares Quảng Tân's model dossier and its own advanced one.
    for unit, set_code in ((units["xa-quang-tan"], MODEL), (district, DISTRICT_ADVANCED)):
        Dossier.objects.get_or_create(unit=unit, criteria_set=sets[set_code], defaults={"note": DEMO_NOTE})

    for name, commune, (set_code, numbers), capital, disbursed, progress, start, due in WORKS:
        work, _ = Work.objects.update_or_create(
            name=name,
            unit=units[commune],
            defaults={
                "approved_capital": capital,
                "disbursed": disbursed,
                "physical_progress": progress,
                "start_date": start,
                "due_date": due,
                "funding_sources": "Vốn Chương trình MTQG xây dựng NTM năm 2022 (minh hoạ)",
                "office": kt_ht,
                "note": WORK_NOTE,
            },
        )
        work.criteria.set(Criterion.objects.filter(criteria_set=sets[set_code], number__in=numbers))
