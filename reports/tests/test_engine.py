from datetime import date
from decimal import Decimal

import pytest

from criteria.models import Indicator, Recognition
from reports.engine import average, percent, summarise, unit_detail
from tests.factories import (
    CommuneFactory,
    DistrictFactory,
    EnrolmentFactory,
    RecognitionFactory,
    RecordFactory,
    build_set,
)

pytestmark = pytest.mark.django_db

DAY = date(2022, 8, 19)


def _record_all(unit, criteria_set, as_of=DAY, unmet=()):
    for indicator in Indicator.objects.filter(criterion__criteria_set=criteria_set):
        RecordFactory(unit=unit, indicator=indicator, as_of=as_of, met=indicator.code not in unmet)


@pytest.fixture
def district():
    return DistrictFactory()


@pytest.fixture
def two_criteria_set():
    return build_set([2, 3])  # criterion 1: 1.1 1.2; criterion 2: 2.1 2.2 2.3


def _only_unit(summary):
    (set_summary,) = summary.sets
    (unit_result,) = set_summary.units
    return unit_result


def test_criterion_is_met_only_when_every_indicator_is_met(district, two_criteria_set):
    commune = CommuneFactory(parent=district)
    EnrolmentFactory(unit=commune, criteria_set=two_criteria_set)
    _record_all(commune, two_criteria_set, unmet={"2.3"})

    result = _only_unit(summarise(district, DAY))

    assert [c.met for c in result.criteria] == [True, False]
    assert result.criteria_met == 1
    assert result.indicators_met == 4
    assert result.standard_met is False


def test_standard_is_met_when_every_criterion_is_met(district, two_criteria_set):
    commune = CommuneFactory(parent=district)
    EnrolmentFactory(unit=commune, criteria_set=two_criteria_set)
    _record_all(commune, two_criteria_set)

    result = _only_unit(summarise(district, DAY))

    assert result.standard_met is True
    assert result.unmet_criteria == []


def test_latest_record_on_or_before_the_date_counts(district, two_criteria_set):
    commune = CommuneFactory(parent=district)
    EnrolmentFactory(unit=commune, criteria_set=two_criteria_set)
    _record_all(commune, two_criteria_set, as_of=date(2021, 12, 31), unmet={"1.1"})
    _record_all(commune, two_criteria_set, as_of=date(2022, 6, 30))  # all met by June
    _record_all(commune, two_criteria_set, as_of=date(2022, 12, 31), unmet={"1.1", "2.1"})  # after

    assert _only_unit(summarise(district, date(2022, 1, 1))).criteria_met == 1
    assert _only_unit(summarise(district, DAY)).criteria_met == 2
    assert _only_unit(summarise(district, date(2023, 1, 1))).criteria_met == 0


def test_missing_records_count_as_not_met_and_are_reported(district, two_criteria_set):
    commune = CommuneFactory(parent=district)
    EnrolmentFactory(unit=commune, criteria_set=two_criteria_set)
    first = two_criteria_set.criteria.get(number=1)
    for indicator in first.indicators.all():
        RecordFactory(unit=commune, indicator=indicator, as_of=DAY)

    result = _only_unit(summarise(district, DAY))

    assert result.criteria_met == 1
    assert result.indicators_met == 2
    assert result.indicators_missing == 3
    assert [c.status for c in result.criteria] == ["met", "missing"]
    detail = unit_detail(commune, two_criteria_set, DAY)
    assert [i.indicator.code for i in detail.missing] == ["2.1", "2.2", "2.3"]
    assert [i.indicator.code for i in detail.unmet] == ["2.1", "2.2", "2.3"]


def test_criterion_without_indicators_is_never_met(district):
    criteria_set = build_set([0, 1])
    commune = CommuneFactory(parent=district)
    EnrolmentFactory(unit=commune, criteria_set=criteria_set)
    _record_all(commune, criteria_set)

    result = _only_unit(summarise(district, DAY))

    assert result.criteria_met == 1
    assert result.standard_met is False


def test_averages_truncate_to_two_decimals_by_default():
    assert average(143, 8) == Decimal("17.87")
    assert average(91, 6) == Decimal("15.16")
    assert average(415, 6) == Decimal("69.16")


def test_averages_round_when_the_setting_says_so(settings):
    settings.NTM_AVERAGE_MODE = "round"
    assert average(143, 8) == Decimal("17.88")


def test_percentages_are_of_the_exact_ratio_to_one_decimal():
    assert percent(143, 152) == Decimal("94.1")
    assert percent(415, 450) == Decimal("92.2")
    assert percent(0, 0) == Decimal(0)


def test_summary_averages_over_units_pursuing_the_set_only(district, two_criteria_set):
    pursuing = [CommuneFactory(parent=district) for _ in range(3)]
    CommuneFactory(parent=district)  # not enrolled: must not dilute the average
    for commune, unmet in zip(pursuing, [set(), {"1.1"}, {"1.1", "2.1"}]):
        EnrolmentFactory(unit=commune, criteria_set=two_criteria_set)
        _record_all(commune, two_criteria_set, unmet=unmet)

    (s,) = summarise(district, DAY).sets

    assert s.unit_count == 3
    assert s.criteria_met_sum == 3
    assert s.average_criteria == Decimal("1")
    assert s.indicators_met_sum == 5 + 4 + 3
    assert s.average_indicators == Decimal("4")
    assert s.units_meeting_standard == 1


def test_units_merged_before_the_date_drop_out(district, two_criteria_set):
    merged = CommuneFactory(parent=district, valid_to=date(2022, 1, 1))
    EnrolmentFactory(unit=merged, criteria_set=two_criteria_set)
    _record_all(merged, two_criteria_set, as_of=date(2021, 6, 30))

    assert summarise(district, date(2021, 12, 31)).sets[0].unit_count == 1
    assert summarise(district, DAY).sets == []


def test_recognitions_count_while_in_force(district, two_criteria_set):
    commune = CommuneFactory(parent=district)
    EnrolmentFactory(unit=commune, criteria_set=two_criteria_set)
    _record_all(commune, two_criteria_set)
    recognition = RecognitionFactory(unit=commune, criteria_set=two_criteria_set, decision_date=date(2022, 6, 1))

    assert summarise(district, date(2022, 5, 31)).sets[0].units_recognised == 0
    assert summarise(district, DAY).sets[0].units_recognised == 1

    Recognition.objects.filter(pk=recognition.pk).update(revoked_on=date(2022, 8, 1))
    assert summarise(district, DAY).sets[0].units_recognised == 0


def _district_with_communes(count, criteria_set):
    district = DistrictFactory()
    for _ in range(count):
        commune = CommuneFactory(parent=district)
        EnrolmentFactory(unit=commune, criteria_set=criteria_set)
        _record_all(commune, criteria_set, unmet={"2.2"})
    return district


@pytest.mark.parametrize("communes", [10, 200])
def test_summary_query_count_does_not_grow_with_communes(communes, two_criteria_set, django_assert_num_queries):
    district = _district_with_communes(communes, two_criteria_set)
    # 1 enrolments with units and sets, 2 criteria with indicator counts,
    # 3 latest-record counts per unit and criterion, 4 recognitions in force
    with django_assert_num_queries(4):
        summary = summarise(district, DAY)
    assert summary.sets[0].unit_count == communes
    assert summary.sets[0].criteria_met_sum == communes  # criterion 1 met by all, 2 by none


@pytest.mark.parametrize("communes", [10, 200])
def test_unit_detail_query_count_is_constant(communes, two_criteria_set, django_assert_num_queries):
    district = _district_with_communes(communes, two_criteria_set)
    commune = district.children.first()
    # criteria, their indicators, the indicators' thresholds, latest records, recognition
    with django_assert_num_queries(5):
        detail = unit_detail(commune, two_criteria_set, DAY)
    assert detail.criteria_met == 1


@pytest.mark.parametrize("sets", [1, 3])
def test_unit_details_query_count_does_not_grow_with_the_sets_a_commune_pursues(sets, django_assert_num_queries):
    # At national size the first commune pursues two sets and its page cost five queries more
    # than the budget measured on one (benchmarks/run.py, 19 instead of 14).
    from reports.engine import unit_details

    district = DistrictFactory()
    commune = CommuneFactory(parent=district)
    for number in range(sets):
        criteria_set = build_set([2, 3])
        EnrolmentFactory(unit=commune, criteria_set=criteria_set)
        _record_all(commune, criteria_set, unmet={"2.2"} if number else ())
        RecognitionFactory(unit=commune, criteria_set=criteria_set, decision_date=date(2022, 1, 1))
    # enrolments, criteria, indicators, thresholds, latest records, recognitions
    with django_assert_num_queries(6):
        details = unit_details(commune, DAY)
    assert [d.criteria_met for d in details] == [2] + [1] * (sets - 1)
    assert [d.recognised for d in details] == [True] * sets
    assert [d.indicators_met for d in details] == [5] + [4] * (sets - 1)
