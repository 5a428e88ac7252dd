from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from communes.models import Region
from records.models import AchievementRecord
from records.services import record_evaluate, record_save, records_reevaluate
from tests.factories import CommuneFactory, IndicatorFactory, NumericIndicatorFactory, ThresholdFactory

pytestmark = pytest.mark.django_db
DAY = date(2022, 8, 19)


@pytest.fixture
def coverage():
    """A numeric indicator ('at least X %') whose target differs by region and by commune group."""
    indicator = NumericIndicatorFactory(code="17.3")
    ThresholdFactory(indicator=indicator, value=90)  # everyone else
    ThresholdFactory(indicator=indicator, region=Region.NORTHERN_MOUNTAINS, value=70)
    ThresholdFactory(indicator=indicator, commune_group=3, value=60)
    ThresholdFactory(indicator=indicator, region=Region.NORTHERN_MOUNTAINS, commune_group=3, value=50)
    return indicator


def test_default_threshold_applies_without_region_or_group(coverage):
    commune = CommuneFactory(region=Region.RED_RIVER_DELTA)
    assert record_evaluate(unit=commune, indicator=coverage, value_number=Decimal("90")) is True
    assert record_evaluate(unit=commune, indicator=coverage, value_number=Decimal("89.9")) is False


def test_threshold_by_region(coverage):
    commune = CommuneFactory(region=Region.NORTHERN_MOUNTAINS)
    assert record_evaluate(unit=commune, indicator=coverage, value_number=Decimal("70")) is True
    assert record_evaluate(unit=commune, indicator=coverage, value_number=Decimal("69")) is False


def test_threshold_by_commune_group(coverage):
    commune = CommuneFactory(region=Region.MEKONG_DELTA, commune_group=3)
    assert record_evaluate(unit=commune, indicator=coverage, value_number=Decimal("60")) is True
    assert record_evaluate(unit=commune, indicator=coverage, value_number=Decimal("59")) is False


def test_region_and_group_together_is_the_most_specific(coverage):
    commune = CommuneFactory(region=Region.NORTHERN_MOUNTAINS, commune_group=3)
    assert record_evaluate(unit=commune, indicator=coverage, value_number=Decimal("50")) is True


def test_disadvantaged_communes_use_the_northern_mountains_targets(coverage):
    commune = CommuneFactory(region=Region.MEKONG_DELTA, is_disadvantaged=True)
    assert record_evaluate(unit=commune, indicator=coverage, value_number=Decimal("70")) is True


def test_numeric_indicator_without_an_applicable_target_is_refused():
    indicator = NumericIndicatorFactory(code="9.9")
    ThresholdFactory(indicator=indicator, region=Region.CENTRAL_HIGHLANDS, value=10)
    commune = CommuneFactory(region=Region.SOUTHEAST)
    with pytest.raises(ValidationError, match="chưa có mức đạt áp dụng"):
        record_save(unit=commune, indicator=indicator, as_of=DAY, value_number=Decimal(50))
    assert not AchievementRecord.objects.exists()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"value_number": Decimal(1)}, "chỉ nhận giá trị Đạt / Không đạt"),
        ({}, "chỉ nhận giá trị Đạt / Không đạt"),
    ],
)
def test_yes_no_indicator_refuses_a_number_or_nothing(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        record_save(unit=CommuneFactory(), indicator=IndicatorFactory(), as_of=DAY, **kwargs)
    assert not AchievementRecord.objects.exists()


def test_numeric_indicator_refuses_yes_no_and_non_numbers(coverage):
    commune = CommuneFactory()
    with pytest.raises(ValidationError, match="cần một giá trị số"):
        record_evaluate(unit=commune, indicator=coverage, value_bool=True)
    with pytest.raises(ValidationError, match="không phải là số"):
        record_evaluate(unit=commune, indicator=coverage, value_number="nhiều")
    with pytest.raises(ValidationError, match="không phải là số"):
        record_evaluate(unit=commune, indicator=coverage, value_number="NaN")


def test_record_save_replaces_the_record_of_the_same_date(coverage):
    commune = CommuneFactory()
    record_save(unit=commune, indicator=coverage, as_of=DAY, value_number=Decimal(80))
    record = record_save(unit=commune, indicator=coverage, as_of=DAY, value_number=Decimal(95), note="đã rà soát")
    assert AchievementRecord.objects.count() == 1
    assert record.is_met is True
    assert record.note == "đã rà soát"


def test_changing_a_target_re_evaluates_existing_records(coverage):
    commune = CommuneFactory(region=Region.RED_RIVER_DELTA)
    record = record_save(unit=commune, indicator=coverage, as_of=DAY, value_number=Decimal(85))
    assert record.is_met is False

    coverage.thresholds.filter(region="", commune_group__isnull=True).update(value=80)
    assert records_reevaluate(indicator=coverage) == []
    record.refresh_from_db()
    assert record.is_met is True
