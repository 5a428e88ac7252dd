"""Pass rules as data: a numeric indicator is judged by its comparator against the target that
applies to the unit: at least, at most (an upper limit such as a poverty rate), or a band (a score
from 50 to under 70). The targets of these tests are made up; none is an official figure.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.models import Comparator, Threshold
from criteria.set_imports import THRESHOLD_COLUMNS
from records.services import criteria_set_import, record_evaluate
from reports.exports import criteria_set_workbook
from tests.factories import CommuneFactory, NumericIndicatorFactory, ThresholdFactory
from tests.io_helpers import upload

pytestmark = pytest.mark.django_db

ORACLE = {
    ">=": lambda v, low, high: v >= low,
    ">": lambda v, low, high: v > low,
    "<=": lambda v, low, high: v <= low,
    "<": lambda v, low, high: v < low,
    "=": lambda v, low, high: v == low,
    "[)": lambda v, low, high: low <= v < high,
}
numbers = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


def test_every_comparator_has_an_independent_oracle_here():
    assert set(ORACLE) == set(Comparator.values)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(comparator=st.sampled_from(Comparator.values), low=numbers, width=numbers, value=numbers)
def test_a_value_is_met_exactly_when_the_rule_says_so(comparator, low, width, value):
    high = low + abs(width) + Decimal("0.01") if comparator == "[)" else None
    indicator = NumericIndicatorFactory.build(comparator=comparator)
    threshold = Threshold(indicator=indicator, value=low, upper=high)
    unit = CommuneFactory.build()
    met = record_evaluate(unit=unit, indicator=indicator, value_number=value, thresholds=[threshold])
    assert met is ORACLE[comparator](value, low, high)


def test_a_band_includes_its_lower_bound_and_excludes_its_upper_bound():
    indicator = NumericIndicatorFactory(comparator="[)", unit_of_measure="điểm")
    threshold = ThresholdFactory(indicator=indicator, value=50, upper=70)
    unit = CommuneFactory()
    judged = {
        v: record_evaluate(unit=unit, indicator=indicator, value_number=Decimal(v))
        for v in ("49.99", "50", "69.99", "70")
    }
    assert judged == {"49.99": False, "50": True, "69.99": True, "70": False}
    assert threshold.rule_text == "từ 50 đến dưới 70"


def test_an_upper_limit_is_met_at_or_below_it():
    indicator = NumericIndicatorFactory(comparator="<=")
    threshold = ThresholdFactory(indicator=indicator, value=Decimal("3.5"))
    unit = CommuneFactory()
    assert record_evaluate(unit=unit, indicator=indicator, value_number=Decimal("3.5")) is True
    assert record_evaluate(unit=unit, indicator=indicator, value_number=Decimal("3.51")) is False
    assert threshold.rule_text == "≤ 3,5"


def test_a_band_without_its_upper_bound_cannot_judge_and_says_so():
    indicator = NumericIndicatorFactory(comparator="[)")
    ThresholdFactory(indicator=indicator, value=50)
    with pytest.raises(ValidationError, match="chưa có mức đạt"):
        record_evaluate(unit=CommuneFactory(), indicator=indicator, value_number=Decimal(60))


def test_the_database_refuses_an_upper_bound_not_above_the_lower():
    from django.db import IntegrityError, transaction

    indicator = NumericIndicatorFactory(comparator="[)")
    with pytest.raises(IntegrityError), transaction.atomic():
        ThresholdFactory(indicator=indicator, value=70, upper=50)


# --- The set workbook carries bands ---------------------------------------------------------------


def _band_set(upper_cell=70, comparator="[)"):
    from criteria.tests.test_import_sets import set_file, synthetic_set_rows

    rows = synthetic_set_rows(sizes=[3])
    rows["indicators"].append([1, "1.9", "", "Số liệu", comparator, "điểm", 9])
    rows["thresholds"].append(["1.9", "", None, 50, upper_cell])
    return set_file(rows)


def test_a_band_loads_from_the_set_workbook_and_goes_back_out_unchanged():
    result = criteria_set_import(file=_band_set(), dry_run=False)
    assert result.ok and result.saved, result.errors
    threshold = Threshold.objects.get(indicator__code="1.9")
    assert (threshold.value, threshold.upper) == (Decimal(50), Decimal(70))
    again = criteria_set_import(
        file=upload(criteria_set_workbook(threshold.indicator.criterion.criteria_set), "bo.xlsx"), dry_run=True
    )
    assert again.ok and again.changes == [], again.errors


@pytest.mark.parametrize(
    ("upper_cell", "comparator", "message"),
    [
        (None, "[)", "cần cận trên"),
        (40, "[)", "Cận trên phải lớn hơn"),
        (70, ">=", "Chỉ ghi “Đến dưới”"),
    ],
)
def test_a_wrong_band_is_refused_with_the_cell_and_nothing_is_saved(upper_cell, comparator, message):
    result = criteria_set_import(file=_band_set(upper_cell, comparator), dry_run=False)
    assert not result.saved
    assert [(e.column, message in e.message) for e in result.errors] == [(THRESHOLD_COLUMNS["upper"], True)]
    assert not Threshold.objects.exists()


def test_the_set_page_writes_the_band_in_words(client, demo_accounts):
    result = criteria_set_import(file=_band_set(), dry_run=False)
    assert result.saved, result.errors
    client.force_login(demo_accounts["bcd"])
    response = client.get("/bo-tieu-chi/thu-nghiem-2026-2030/")
    assert response.status_code == 200
    assert "từ 50 đến dưới 70" in response.content.decode()


@pytest.mark.parametrize(
    ("comparator", "upper", "message"),
    [("[)", None, "cần cận trên"), (">=", 70, "Chỉ ghi"), ("[)", 40, "Cận trên phải lớn hơn")],
)
def test_the_admin_form_of_a_target_refuses_a_wrong_band(comparator, upper, message):
    threshold = Threshold(indicator=NumericIndicatorFactory(comparator=comparator), value=50, upper=upper)
    with pytest.raises(ValidationError, match=message):
        threshold.full_clean()
