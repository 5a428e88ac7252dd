import pytest

from criteria.models import CriteriaSet, Indicator
from criteria.reference import load_reference_sets

pytestmark = pytest.mark.django_db


def test_reference_sets_have_the_published_structure():
    load_reference_sets()
    expected = {
        "xa-ntm-2021-2025": (19, 57, False),
        "xa-ntm-nang-cao-2021-2025": (19, 75, True),
        "xa-ntm-kieu-mau-2021-2025": (4, 10, True),
        "huyen-ntm-nang-cao-2021-2025": (9, 38, True),
        "xa-ntm-2026-2030": (10, 0, True),  # 47 indicators exist, but their list is not available
    }
    for code, (criteria, indicators, illustrative) in expected.items():
        s = CriteriaSet.objects.get(code=code)
        assert s.criteria.count() == criteria, code
        assert Indicator.objects.filter(criterion__criteria_set=s).count() == indicators, code
        assert s.is_illustrative is illustrative, code


def test_reference_indicators_are_named_by_code_never_invented():
    load_reference_sets()
    indicator = Indicator.objects.get(criterion__criteria_set__code="xa-ntm-2021-2025", code="17.3")
    assert indicator.name == ""
    assert indicator.display_name == "17.3 (Môi trường và an toàn thực phẩm)"


def test_reference_legal_basis_and_groups():
    load_reference_sets()
    s = CriteriaSet.objects.get(code="xa-ntm-2021-2025")
    assert s.legal_basis == "Quyết định 318/QĐ-TTg ngày 08/03/2022"
    assert s.criteria.get(number=13).group == "Kinh tế và tổ chức sản xuất"
    assert CriteriaSet.objects.get(code="xa-ntm-2026-2030").decision_number == "51/2025/QĐ-TTg"


def test_loading_reference_sets_twice_changes_nothing():
    load_reference_sets()
    before = Indicator.objects.count()
    load_reference_sets()
    assert Indicator.objects.count() == before
    assert CriteriaSet.objects.count() == 5
