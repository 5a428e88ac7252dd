"""Province and national roll-ups: the same figures and rounding as a district, at every level."""

from datetime import date
from decimal import Decimal

import pytest

from communes.models import AdministrativeUnit, Kind
from criteria.models import Indicator
from reports.engine import summarise
from tests.factories import (
    CommuneFactory,
    DistrictFactory,
    EnrolmentFactory,
    ProvinceFactory,
    RecordFactory,
    UnitFactory,
    build_set,
)

pytestmark = pytest.mark.django_db

BEFORE_REFORM = date(2024, 12, 31)
AFTER_REFORM = date(2025, 12, 31)
REFORM = date(2025, 7, 1)


def _pursue(unit, criteria_set, as_of, unmet=()):
    EnrolmentFactory(unit=unit, criteria_set=criteria_set)
    for indicator in Indicator.objects.filter(criterion__criteria_set=criteria_set):
        RecordFactory(unit=unit, indicator=indicator, as_of=as_of, met=indicator.code not in unmet)


@pytest.fixture
def three_criteria_set():
    return build_set([1, 1, 1])  # criteria 1, 2, 3 with one indicator each


def test_province_sums_communes_of_all_its_districts(three_criteria_set):
    province = ProvinceFactory()
    first, second = DistrictFactory(parent=province), DistrictFactory(parent=province)
    unmet_per_commune = [set(), {"1.1"}, {"1.1", "2.1"}]  # 3 + 2 + 1 criteria met
    for district, unmet in zip([first, second, second], unmet_per_commune):
        _pursue(CommuneFactory(parent=district), three_criteria_set, BEFORE_REFORM, unmet)
    _pursue(CommuneFactory(parent=DistrictFactory()), three_criteria_set, BEFORE_REFORM)  # another province

    (s,) = summarise(province, BEFORE_REFORM).sets

    assert s.unit_count == 3
    assert s.criteria_met_sum == 6
    assert s.average_criteria == Decimal("2")
    assert s.units_meeting_standard == 1
    (second_only,) = summarise(second, BEFORE_REFORM).sets
    assert second_only.unit_count == 2


def test_province_after_the_reform_counts_communes_directly_under_it(three_criteria_set):
    province = ProvinceFactory()
    old_district = DistrictFactory(parent=province, valid_to=REFORM)
    merged = CommuneFactory(parent=old_district, valid_to=REFORM)
    _pursue(merged, three_criteria_set, BEFORE_REFORM)
    new_communes = [CommuneFactory(parent=province, valid_from=REFORM) for _ in range(3)]
    for commune, unmet in zip(new_communes, [set(), {"3.1"}, {"3.1"}]):
        _pursue(commune, three_criteria_set, AFTER_REFORM, unmet)

    (before,) = summarise(province, BEFORE_REFORM).sets
    (after,) = summarise(province, AFTER_REFORM).sets

    assert before.unit_count == 1
    assert after.unit_count == 3
    assert after.criteria_met_sum == 3 + 2 + 2
    # 7/3 = 2.333…: truncated to 2,33 like a district's average; 7/9 = 77,8%.
    assert after.average_criteria == Decimal("2.33")
    assert after.percent_criteria == Decimal("77.8")


def test_province_average_truncates_like_a_district_unless_set_to_round(three_criteria_set, settings):
    # 8 communes, one of them meeting 2 criteria and the rest 3: 23/8 = 2.875, shown 2,87 (like 17,87).
    province = ProvinceFactory()
    districts = [DistrictFactory(parent=province) for _ in range(2)]
    for k in range(7):
        _pursue(CommuneFactory(parent=districts[k % 2]), three_criteria_set, AFTER_REFORM)
    _pursue(CommuneFactory(parent=province, valid_from=REFORM), three_criteria_set, AFTER_REFORM, {"3.1"})

    (s,) = summarise(province, AFTER_REFORM).sets

    assert (s.unit_count, s.criteria_met_sum) == (8, 23)
    assert s.average_criteria == Decimal("2.87")
    settings.NTM_AVERAGE_MODE = "round"
    assert s.average_criteria == Decimal("2.88")


def test_national_root_sums_every_province_down_to_communes(three_criteria_set):
    nation = UnitFactory(kind=Kind.COUNTRY)
    provinces = [ProvinceFactory(parent=nation) for _ in range(2)]
    _pursue(CommuneFactory(parent=DistrictFactory(parent=provinces[0])), three_criteria_set, AFTER_REFORM)
    _pursue(CommuneFactory(parent=DistrictFactory(parent=provinces[1])), three_criteria_set, AFTER_REFORM, {"2.1"})
    _pursue(CommuneFactory(parent=provinces[1], valid_from=REFORM), three_criteria_set, AFTER_REFORM, {"1.1", "2.1"})

    (s,) = summarise(nation, AFTER_REFORM).sets

    assert s.unit_count == 3
    assert s.criteria_met_sum == 3 + 2 + 1
    assert s.indicators_met_sum == 6
    assert AdministrativeUnit.objects.within(nation).count() == 1 + 2 + 2 + 3


@pytest.mark.parametrize("communes", [10, 200])
def test_national_summary_query_count_does_not_grow_with_communes(
    communes, three_criteria_set, django_assert_num_queries
):
    nation = UnitFactory(kind=Kind.COUNTRY)
    province = ProvinceFactory(parent=nation)
    districts = [DistrictFactory(parent=province) for _ in range(3)]
    for k in range(communes):
        _pursue(CommuneFactory(parent=districts[k % 3]), three_criteria_set, AFTER_REFORM, {"1.1"})
    # enrolments, criteria with indicator counts, latest-record counts, recognitions
    with django_assert_num_queries(4):
        summary = summarise(nation, AFTER_REFORM)
    assert summary.sets[0].unit_count == communes
    assert summary.sets[0].criteria_met_sum == 2 * communes
