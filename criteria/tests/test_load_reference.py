"""`manage.py load_reference`: the national sets and commune groups without the demo, idempotently."""

import io

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from criteria.models import CommuneGroup, CriteriaSet, Criterion, Indicator
from reports.engine import summarise
from tests.io_helpers import MEETING

pytestmark = pytest.mark.django_db


def _run():
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    return out.getvalue()


def _snapshot():
    return {
        model._meta.model_name: sorted((model_to_dict(row) for row in model.objects.all()), key=lambda d: d["id"])
        for model in (CriteriaSet, Criterion, Indicator, CommuneGroup)
    }


def test_load_reference_fills_an_empty_database_with_the_national_sets():
    assert not CriteriaSet.objects.exists()
    out = _run()
    assert "5 bộ tiêu chí, 61 tiêu chí, 180 chỉ tiêu, 3 nhóm xã" in out
    new_set = CriteriaSet.objects.get(code="xa-ntm-2026-2030")
    assert new_set.decision_number == "51/2025/QĐ-TTg"
    assert new_set.criteria.count() == 10
    assert new_set.criteria.get(number=7).name == "Khoa học công nghệ và chuyển đổi số"
    # The 47 indicators are known only as a total: none is invented, and the set says so.
    assert not Indicator.objects.filter(criterion__criteria_set=new_set).exists()
    assert new_set.is_illustrative
    assert "47 chỉ tiêu" in new_set.note
    assert list(new_set.commune_groups.values_list("number", flat=True)) == [1, 2, 3]
    assert new_set.commune_groups.get(number=2).definition == "Xã nhóm 2 là xã không thuộc nhóm 1 và nhóm 3."


def test_load_reference_loads_no_demo_unit_or_account():
    from django.contrib.auth import get_user_model

    from communes.models import AdministrativeUnit

    _run()
    assert not AdministrativeUnit.objects.exists()
    assert not get_user_model().objects.exists()


def test_running_load_reference_twice_changes_nothing():
    _run()
    before = _snapshot()
    out = _run()
    assert "0 bộ tiêu chí, 0 tiêu chí, 0 chỉ tiêu, 0 nhóm xã" in out
    assert _snapshot() == before


def test_load_reference_keeps_what_a_set_workbook_loaded_since():
    _run()
    criteria_set = CriteriaSet.objects.get(code="xa-ntm-2021-2025")
    criteria_set.is_illustrative, criteria_set.note = False, "Bộ tiêu chí chính thức của tỉnh"
    criteria_set.save()
    criterion = criteria_set.criteria.get(number=17)
    criterion.indicators.exclude(code="17.1").delete()
    Indicator.objects.filter(criterion=criterion).update(name="Tên chỉ tiêu do tỉnh nạp")
    _run()
    criteria_set.refresh_from_db()
    assert (criteria_set.is_illustrative, criteria_set.note) == (False, "Bộ tiêu chí chính thức của tỉnh")
    assert list(criterion.indicators.values_list("code", "name")) == [("17.1", "Tên chỉ tiêu do tỉnh nạp")]


def test_load_reference_after_the_demo_leaves_its_figures_unchanged(demo):
    def figures():
        return [
            (s.criteria_set.code, s.unit_count, s.criteria_met_sum, s.indicators_met_sum)
            for s in summarise(demo["dam-ha"], MEETING).sets
        ]

    before, rows_before = figures(), _snapshot()
    _run()
    assert figures() == before
    rows_after = _snapshot()
    rows_after.pop("communegroup")  # the demo loads no commune groups: the only rows added
    rows_before.pop("communegroup")
    assert rows_after == rows_before
