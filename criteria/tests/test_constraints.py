"""The database itself refuses rows that would corrupt the figures."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from criteria.models import CriteriaSet, Indicator, Threshold
from records.models import AchievementRecord
from tests.factories import (
    CommuneFactory,
    CriteriaSetFactory,
    CriterionFactory,
    EnrolmentFactory,
    IndicatorFactory,
    NumericIndicatorFactory,
    RecognitionFactory,
    RecordFactory,
    ThresholdFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db
DAY = date(2022, 8, 19)


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_record_per_unit_indicator_and_date():
    record = RecordFactory()
    _refused(lambda: RecordFactory(unit=record.unit, indicator=record.indicator, as_of=record.as_of))
    RecordFactory(unit=record.unit, indicator=record.indicator, as_of=date(2022, 12, 31))
    assert AchievementRecord.objects.count() == 2


def test_record_needs_exactly_one_value():
    indicator, unit = IndicatorFactory(), CommuneFactory()
    _refused(lambda: AchievementRecord.objects.create(unit=unit, indicator=indicator, as_of=DAY, is_met=False))
    _refused(
        lambda: AchievementRecord.objects.create(
            unit=unit, indicator=indicator, as_of=DAY, value_bool=True, value_number=1, is_met=True
        )
    )


def test_yes_no_record_cannot_claim_met_when_the_answer_is_no():
    _refused(lambda: RecordFactory(value_bool=False, is_met=True))


def test_one_threshold_per_indicator_region_and_group():
    threshold = ThresholdFactory()
    _refused(lambda: ThresholdFactory(indicator=threshold.indicator))
    group = ThresholdFactory(indicator=threshold.indicator, commune_group=2)
    _refused(lambda: ThresholdFactory(indicator=group.indicator, commune_group=2))
    _refused(lambda: ThresholdFactory(indicator=group.indicator, commune_group=4))


def test_numeric_indicator_needs_a_comparator_and_yes_no_has_none():
    _refused(lambda: NumericIndicatorFactory(comparator=""))
    _refused(lambda: IndicatorFactory(comparator=">="))


def test_indicator_code_unique_within_criterion():
    indicator = IndicatorFactory(code="1.1")
    _refused(lambda: IndicatorFactory(criterion=indicator.criterion, code="1.1"))


def test_criterion_number_unique_within_set():
    criterion = CriterionFactory(number=3)
    _refused(lambda: CriterionFactory(criteria_set=criterion.criteria_set, number=3))


def test_provincial_set_needs_its_province_and_national_has_none():
    _refused(lambda: CriteriaSetFactory(scope="provincial"))
    _refused(lambda: CriteriaSetFactory(scope="national", province=UnitFactory(kind="tinh")))
    _refused(lambda: CriteriaSetFactory(period_start=2025, period_end=2021))


def test_unit_cannot_end_before_it_starts_and_groups_are_1_to_3():
    _refused(lambda: UnitFactory(valid_from=date(2020, 1, 1), valid_to=date(2019, 1, 1)))
    _refused(lambda: UnitFactory(commune_group=4))


def test_unit_enrols_in_a_set_once():
    enrolment = EnrolmentFactory()
    _refused(lambda: EnrolmentFactory(unit=enrolment.unit, criteria_set=enrolment.criteria_set))


def test_revocation_cannot_precede_the_decision():
    _refused(lambda: RecognitionFactory(decision_date=date(2022, 6, 1), revoked_on=date(2022, 5, 1)))


def test_deleting_what_history_points_at_is_refused():
    record = RecordFactory()
    with pytest.raises(ProtectedError):
        record.indicator.delete()
    with pytest.raises(ProtectedError):
        record.unit.delete()
    with pytest.raises(ProtectedError):
        CriteriaSet.objects.filter(pk=record.indicator.criterion.criteria_set_id).delete()
    assert Indicator.objects.filter(pk=record.indicator_id).exists()


def test_deleting_a_merged_units_parent_is_refused():
    commune = CommuneFactory()
    with pytest.raises(ProtectedError):
        commune.parent.delete()


def test_thresholds_go_with_their_indicator_when_nothing_was_recorded():
    threshold = ThresholdFactory()
    threshold.indicator.delete()
    assert not Threshold.objects.exists()
