from django.core.management.base import BaseCommand

from criteria.models import CriteriaSet, Scope
from criteria.reference import load_reference

# What the command reports, by model name, in the order a reader expects.
_NOUNS = [
    ("criteriaset", "bộ tiêu chí"),
    ("criterion", "tiêu chí"),
    ("indicator", "chỉ tiêu"),
    ("communegroup", "nhóm xã"),
]


class Command(BaseCommand):
    help = (
        "Nạp bộ tiêu chí quốc gia (2021-2025, 2026-2030), tên tiêu chí và nhóm xã vào cơ sở dữ liệu, "
        "không kèm dữ liệu minh hoạ. Chạy lại nhiều lần được: chỉ thêm những gì còn thiếu."
    )

    def handle(self, *args, **options):
        created = load_reference()
        added = ", ".join(f"{created[name]} {noun}" for name, noun in _NOUNS)
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu tham chiếu; thêm mới: {added}."))
        for criteria_set in CriteriaSet.objects.filter(scope=Scope.NATIONAL, is_illustrative=True):
            self.stdout.write(f"  (*) {criteria_set.code}: {criteria_set.note}")
