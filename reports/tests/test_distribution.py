"""Reports the way provinces write them: units by number of criteria met in the set's bins, the
statuses counted apart over their stated base, and the average by the province's rule."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communes.models import AdministrativeUnit, Kind
from criteria.models import CriteriaSet, Indicator
from reports.engine import average, distribution, summarise
from reports.engine.results import CriterionResult, SetSummary, UnitResult
from reports.models import BasicStandardThreshold, ReportSettings
from tests.factories import (
    CommuneFactory,
    DistrictFactory,
    EnrolmentFactory,
    ProvinceFactory,
    RecognitionFactory,
    RecordFactory,
    UnitFactory,
    build_set,
)

DAY = date(2022, 8, 19)


# --- The arithmetic, against an oracle written here --------------------------------------------


def _half_up_tenths(part, whole):
    """part/whole in percent, half up to one decimal, in integers only."""
    if not whole:
        return Decimal(0)
    return Decimal((2 * part * 1000 + whole) // (2 * whole)) / 10


def _oracle_default_bins(total):
    """Every criterion alone; then groups of five counted from zero (the 19-criterion pattern)."""
    groups = {}
    for met in range(total):
        groups.setdefault(met // 5, []).append(met)
    return [(total, total)] + [(min(g), max(g)) for _k, g in sorted(groups.items(), reverse=True)]


@st.composite
def set_and_units(draw):
    total = draw(st.integers(min_value=1, max_value=25))
    if draw(st.booleans()):
        bins_text, bins = "", _oracle_default_bins(total)
    else:
        cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=total), max_size=total)))
        bounds = [0, *cuts, total + 1]
        bins = [(low, high - 1) for low, high in zip(bounds, bounds[1:])]
        written = draw(
            st.permutations(
                [str(lo) if lo == hi else f"{lo}{draw(st.sampled_from(['-', ' - ', '–']))}{hi}" for lo, hi in bins]
            )
        )
        bins_text = "; ".join(written)
        bins = sorted(bins, reverse=True)
    units = draw(st.lists(st.tuples(st.integers(min_value=0, max_value=total), st.booleans()), max_size=40))
    threshold = draw(st.none() | st.integers(min_value=1, max_value=max(total - 1, 1)))
    return total, bins_text, bins, units, threshold


def _set_summary(total, bins_text, units, threshold):
    criteria_set = CriteriaSet(code="bo", level="commune", distribution_bins=bins_text)
    results = []
    for k, (met, recognised) in enumerate(units):
        criteria = [CriterionResult(None, 1, 1 if i < met else 0, 1) for i in range(total)]
        unit = AdministrativeUnit(code=f"xa-{k:03d}", name=f"Xã {k}", kind=Kind.COMMUNE)
        results.append(UnitResult(unit=unit, criteria_set=criteria_set, criteria=criteria, recognised=recognised))
    return SetSummary(
        criteria_set=criteria_set,
        criteria_total=total,
        indicators_total=total,
        units=results,
        basic_threshold=threshold,
    )


@settings(max_examples=300, deadline=None)
@given(set_and_units())
def test_bins_and_statuses_equal_an_independent_count(case):
    total, bins_text, bins, units, threshold = case
    dist = distribution(_set_summary(total, bins_text, units, threshold))
    codes = [f"xa-{k:03d}" for k in range(len(units))]
    n = len(units)

    assert [(b.bin.low, b.bin.high) for b in dist.bins] == bins
    for b, (low, high) in zip(dist.bins, bins):
        expected = [codes[k] for k, (met, _r) in enumerate(units) if low <= met <= high]
        assert [u.code for u in b.share.units] == expected
        assert (b.share.base_count, b.share.base) == (n, "pursuing")
        assert b.share.percent == _half_up_tenths(len(expected), n)
    assert sum(b.share.count for b in dist.bins) == n  # every unit in exactly one bin

    def units_of(code):
        return [u.code for u in dist.status(code).share.units]

    assert units_of("standard_met") == [codes[k] for k, (met, _r) in enumerate(units) if met == total]
    assert units_of("recognised") == [codes[k] for k, (_m, rec) in enumerate(units) if rec]
    recognised = [k for k, (_m, rec) in enumerate(units) if rec]
    not_maintained = dist.status("not_maintained").share
    assert [u.code for u in not_maintained.units] == [codes[k] for k in recognised if units[k][0] < total]
    assert (not_maintained.base, not_maintained.base_count) == ("recognised", len(recognised))
    if threshold is None:
        assert dist.status("basic").share is None
    else:
        assert units_of("basic") == [codes[k] for k, (met, _r) in enumerate(units) if threshold <= met < total]
    assert (dist.average_criteria.total, dist.average_criteria.count) == (sum(m for m, _r in units), n)


def test_the_19_criterion_default_is_all_then_15_18_10_14_5_9_and_under_5():
    dist = distribution(_set_summary(19, "", [(19, False), (15, False), (14, False), (4, False)], None))
    assert [b.label for b in dist.bins] == [
        "đạt 19 tiêu chí",
        "đạt 15-18 tiêu chí",
        "đạt 10-14 tiêu chí",
        "đạt 5-9 tiêu chí",
        "dưới 5 tiêu chí",
    ]
    assert [b.share.count for b in dist.bins] == [1, 1, 1, 0, 1]


def test_a_ten_criterion_set_defaults_to_all_then_5_9_and_under_5():
    assert _oracle_default_bins(10) == [(10, 10), (5, 9), (0, 4)]
    dist = distribution(_set_summary(10, "", [], None))
    assert [b.bin.text for b in dist.bins] == ["10", "5-9", "0-4"]


@pytest.mark.parametrize(
    "rule, shown",
    [("truncate2", "17.87"), ("round2", "17.88"), ("one_decimal", "17.9"), ("whole", "18")],
)
def test_each_display_rule_writes_143_over_8(rule, shown):
    assert average(143, 8, rule) == Decimal(shown)


def test_one_decimal_and_whole_round_half_up_the_exact_ratio_not_the_truncated_average():
    # 17,875 -> 17,9 (half up), 16,25 -> 16,3; 17,8496 would become 17,85 -> 17,9 if rounded twice.
    assert average(1625, 100, "one_decimal") == Decimal("16.3")
    assert average(178496, 10000, "one_decimal") == Decimal("17.8")
    assert average(87, 7, "one_decimal") == Decimal("12.4")
    assert average(87, 7, "truncate2") == Decimal("12.42")  # Nông Sơn
    assert average(35, 2, "whole") == Decimal("18")  # 17,5 -> 18
    assert average(349, 20, "whole") == Decimal("17")  # 17,45 -> 17


def test_without_a_rule_the_deployment_setting_applies(settings):
    assert average(143, 8) == Decimal("17.87")
    settings.NTM_AVERAGE_MODE = "round"
    assert average(143, 8) == Decimal("17.88")


# --- Settings per province, read with the figures ------------------------------------------------


def _communes_meeting(district, criteria_set, counts):
    """One commune per count, meeting that many of the set's one-indicator criteria."""
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("criterion__number"))
    communes = []
    for met in counts:
        commune = CommuneFactory(parent=district)
        EnrolmentFactory(unit=commune, criteria_set=criteria_set)
        for k, indicator in enumerate(indicators):
            RecordFactory(unit=commune, indicator=indicator, as_of=DAY, met=k < met)
        communes.append(commune)
    return communes


@pytest.fixture
def country(db):
    """A national root with two provinces, a district each, three communes each on a 4-criterion set."""
    root = UnitFactory(kind=Kind.COUNTRY, code="viet-nam")
    criteria_set = build_set([1, 1, 1, 1])
    provinces, districts = [], []
    for name in ("tinh-mot", "tinh-hai"):
        province = ProvinceFactory(code=name, parent=root)
        district = DistrictFactory(parent=province)
        communes = _communes_meeting(district, criteria_set, [4, 3, 1])  # 8 criteria met over 3 communes
        RecognitionFactory(unit=communes[1], criteria_set=criteria_set)  # recognised, now 3/4
        provinces.append(province)
        districts.append(district)
    return root, provinces, districts, criteria_set


def _settings(unit, criteria_set=None, minimum=None, rule="", illustrative=False):
    row = ReportSettings.objects.create(unit=unit, average_rule=rule, is_illustrative=illustrative)
    if criteria_set is not None:
        BasicStandardThreshold.objects.create(settings=row, criteria_set=criteria_set, min_criteria=minimum)
    return row


def test_a_provinces_settings_apply_to_its_districts_and_others_fall_back_to_the_national_default(country):
    root, (one, two), (district_one, district_two), criteria_set = country
    _settings(root, criteria_set, 1, rule="whole")
    _settings(one, criteria_set, 3, rule="one_decimal", illustrative=True)

    (s1,) = summarise(district_one, DAY).sets
    d1 = distribution(s1)
    assert (s1.average_rule, s1.average_criteria) == ("one_decimal", Decimal("2.7"))  # 8/3 = 2,67
    assert d1.basic_threshold == 3 and d1.basic_threshold_illustrative
    assert d1.status("basic").share.count == 1  # the 3/4 commune; the 4/4 one meets the standard

    (s2,) = summarise(district_two, DAY).sets
    d2 = distribution(s2)
    assert (s2.average_rule, s2.average_criteria) == ("whole", Decimal("3"))
    assert d2.basic_threshold == 1 and d2.status("basic").share.count == 2
    assert not d2.basic_threshold_illustrative


def test_a_blank_rule_falls_back_field_by_field_then_to_the_deployment(country):
    root, (one, _two), (district_one, _d2), criteria_set = country
    _settings(one, criteria_set, 2)  # a threshold, no rule of its own
    national = _settings(root, rule="one_decimal")
    assert summarise(district_one, DAY).sets[0].average_rule == "one_decimal"
    national.delete()
    (s,) = summarise(district_one, DAY).sets
    assert (s.average_rule, s.average_criteria, s.basic_threshold) == (None, Decimal("2.66"), 2)
    assert distribution(s).average_criteria.rule == "truncate2"


def test_without_settings_there_is_no_basic_status_and_not_maintaining_is_over_the_recognised(country):
    _root, _provinces, (district_one, _d2), _set = country
    dist = distribution(summarise(district_one, DAY).sets[0])
    assert dist.status("basic").share is None
    not_maintained = dist.status("not_maintained").share
    assert (not_maintained.count, not_maintained.base_count, not_maintained.base) == (1, 1, "recognised")
    assert dist.status("recognised").share.base_count == 3


def test_changing_the_settings_changes_the_cached_figures(country, settings):
    settings.NTM_CACHE_SUMMARIES = True
    root, (one, _two), (district_one, _d2), criteria_set = country
    assert summarise(district_one, DAY).sets[0].average_criteria == Decimal("2.66")
    row = _settings(one, rule="whole")
    assert summarise(district_one, DAY).sets[0].average_criteria == Decimal("3")
    BasicStandardThreshold.objects.create(settings=row, criteria_set=criteria_set, min_criteria=2)
    assert summarise(district_one, DAY).sets[0].basic_threshold == 2


@pytest.mark.parametrize("communes", [10, 200])
def test_the_settings_cost_no_query_of_their_own(db, communes, django_assert_num_queries):
    root = UnitFactory(kind=Kind.COUNTRY, code="viet-nam")
    province = ProvinceFactory(parent=root)
    district = DistrictFactory(parent=province)
    criteria_set = build_set([1, 1, 1])
    _communes_meeting(district, criteria_set, [k % 4 for k in range(communes)])
    _settings(province, criteria_set, 2, rule="one_decimal")
    _settings(root, criteria_set, 1, rule="whole")
    # 1 enrolments with units and sets, 2 criteria with indicator counts and the province's
    # settings, 3 latest-record counts per unit and criterion, 4 recognitions in force
    with django_assert_num_queries(4):
        (s,) = summarise(district, DAY).sets
    with django_assert_num_queries(0):
        dist = distribution(s)
    assert s.average_rule == "one_decimal" and dist.basic_threshold == 2
    assert sum(b.share.count for b in dist.bins) == communes


def test_the_demo_figures_stay_as_the_meeting_wrote_them(demo):
    (basic, advanced, model, _district) = summarise(demo["dam-ha"], DAY).sets
    dist = distribution(basic)
    assert (dist.average_criteria.total, dist.average_criteria.count, dist.average_criteria.value) == (
        143,
        8,
        Decimal("17.87"),
    )
    assert [b.share.count for b in dist.bins] == [3, 5, 0, 0, 0]
    assert [b.share.count for b in distribution(advanced).bins] == [2, 1, 3, 0, 0]
    assert [(b.bin.text, b.share.count) for b in distribution(model).bins] == [("4", 1), ("0-3", 3)]
    assert distribution(advanced).status("not_maintained").share.base_count == 1
