"""Figures per child unit (`rollup`): the sums of the per-commune results `summarise` gives."""

from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communes.models import Kind
from criteria.models import Indicator
from reports.engine import distribution, gaps, rollup, rollup_dates, summarise, summarise_dates, unit_detail
from reports.models import BasicStandardThreshold, ReportSettings
from reports.serializers import summary_dict
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

EARLIER, LATER = date(2025, 6, 30), date(2025, 12, 31)
REFORM = date(2025, 7, 1)
REVOKED = date(2025, 9, 30)  # a revoked recognition is no longer in force on this day
# The trend's days: before any record, the old units' last day and the new ones' first, either
# side of the revocation, the last records.
TREND_DAYS = [date(2025, 1, 1), EARLIER, REFORM, date(2025, 9, 29), REVOKED, LATER]

# Per commune: where it sits (0, 1: district 1 or 2 of province A; 2: directly under A from the
# reform; 3: province B), per indicator a status on each date (None: no record, True, False),
# and whether it was recognised (None: no, "kept", "revoked" on REVOKED).
commune = st.tuples(
    st.integers(0, 3),
    st.lists(
        st.tuples(st.sampled_from([None, True, False]), st.sampled_from([None, True, False])), min_size=4, max_size=4
    ),
    st.sampled_from([None, "kept", "revoked"]),
)


# How the nation and province A write their reports: the cơ bản đạt chuẩn threshold of each
# (None: no row, A then falls back to the nation's), their average rules ('' : not set), and the
# set's bins ('' : the default for three criteria, 3 / 0-2).
report_rules = st.tuples(
    st.sampled_from([None, 1, 2, 3]),
    st.sampled_from([None, 1, 2]),
    st.sampled_from(["", "truncate2", "one_decimal", "whole"]),
    st.sampled_from(["", "round2", "one_decimal"]),
    st.sampled_from(["", "3; 2; 0-1", "3; 1-2; 0"]),
)


class Rollback(Exception):
    pass


def _expected(summary, child_of):
    """{(set code, child code): (units, criteria met, indicators met, đạt đủ, recognised, not
    maintaining, cơ bản đạt chuẩn, units per bin)} counted in the test from `summarise`'s
    per-unit results, by the summary's own threshold and the set's bins."""
    expected = {}
    for s in summary.sets:
        bins = s.criteria_set.bins(s.criteria_total)
        threshold = s.basic_threshold
        for u in s.units:
            key = (s.criteria_set.code, child_of[u.unit.pk])
            basic = threshold is not None and u.criteria_met >= threshold and not u.standard_met
            counts = (1, u.criteria_met, u.indicators_met, u.standard_met, u.recognised, u.standard_at_risk, basic)
            counts += tuple(u.criteria_met in b for b in bins)
            row = expected.get(key, (0,) * len(counts))
            expected[key] = tuple(a + b for a, b in zip(row, counts, strict=True))
    return expected


def _found(result):
    return {
        (s.criteria_set.code, f.unit.code): (
            f.unit_count,
            f.criteria_met_sum,
            f.indicators_met_sum,
            f.units_meeting_standard,
            f.units_recognised,
            f.units_at_risk,
            f.units_basic,
            *f.bin_counts,
        )
        for s in result.sets
        for f in s.children
    }


class _Whole(dict):
    """Every unit's row is the whole page's."""

    def __missing__(self, key):
        return "*"


def _totals(point):
    """A trend point's set totals as `_expected` counts them (one row per set)."""
    return {
        (s.criteria_set.code, "*"): (
            s.unit_count,
            s.criteria_met_sum,
            s.indicators_met_sum,
            s.units_meeting_standard,
            s.units_recognised,
            s.units_at_risk,
            s.units_basic,
            *s.bin_counts,
        )
        for s in point.sets
    }


def _unmet(result):
    return [[(i.code, unmet, missing) for i, unmet, missing in s.most_unmet] for s in result.sets]


def _standing(dist):
    """A distribution as plain figures: bins and statuses (count, base, base count, percent), averages."""
    shares = [b.share for b in dist.bins] + [st.share for st in dist.statuses]
    return (
        [b.bin for b in dist.bins],
        [None if sh is None else (sh.count, sh.base, sh.base_count, sh.percent) for sh in shares],
        dist.basic_threshold,
        [(a.total, a.count, a.rule, a.value) for a in (dist.average_criteria, dist.average_indicators)],
    )


def _gap_lists(found):
    """`gaps` as ids: per set, each unit's unmet and missing indicators and each indicator's units."""
    return [
        (
            g.criteria_set.pk,
            [(u.unit.pk, [i.pk for i in u.unmet], [i.pk for i in u.missing]) for u in g.units],
            [(i.indicator.pk, [u.pk for u in i.unmet_units], [u.pk for u in i.missing_units]) for i in g.indicators],
        )
        for g in found
    ]


@pytest.mark.django_db(transaction=False)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(communes=st.lists(commune, min_size=1, max_size=12), rules=report_rules)
def test_rows_per_child_are_the_sums_of_the_communes_results(communes, rules):
    try:
        with transaction.atomic():
            nation = UnitFactory(kind=Kind.COUNTRY)
            a, b = ProvinceFactory(parent=nation), ProvinceFactory(parent=nation)
            districts = [DistrictFactory(parent=a, valid_to=REFORM), DistrictFactory(parent=a, valid_to=REFORM)]
            # Criteria of one, two and one indicators.
            criteria_set = build_set([1, 2, 1], distribution_bins=rules[4])
            nation_threshold, a_threshold, nation_rule, a_rule, _ = rules
            for unit, threshold, rule in ((nation, nation_threshold, nation_rule), (a, a_threshold, a_rule)):
                written = ReportSettings.objects.create(unit=unit, average_rule=rule)
                if threshold is not None:
                    BasicStandardThreshold.objects.create(
                        settings=written, criteria_set=criteria_set, min_criteria=threshold
                    )
            indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("code"))
            by_province, by_a_child = {}, {}
            for place, statuses, recognised in communes:
                parent = districts[place] if place < 2 else (a if place == 2 else b)
                fields = {"valid_to": REFORM} if place < 2 else ({"valid_from": REFORM} if place == 2 else {})
                unit = CommuneFactory(parent=parent, **fields)
                EnrolmentFactory(unit=unit, criteria_set=criteria_set)
                for indicator, on_days in zip(indicators, statuses):
                    for day, met in zip((EARLIER, LATER), on_days):
                        if met is not None:
                            RecordFactory(unit=unit, indicator=indicator, as_of=day, met=met)
                if recognised:
                    revoked_on = REVOKED if recognised == "revoked" else None
                    RecognitionFactory(
                        unit=unit, criteria_set=criteria_set, decision_date=EARLIER, revoked_on=revoked_on
                    )
                by_province[unit.pk] = (a if place < 3 else b).code
                # Under province A a commune directly under it is its own row.
                by_a_child[unit.pk] = unit.code if place == 2 else parent.code

            for day in (EARLIER, LATER):
                national = rollup(nation, day)
                assert _found(national) == _expected(summarise(nation, day), by_province)
                assert _found(rollup(a, day)) == _expected(summarise(a, day), by_a_child)
                engine = summarise(nation, day).sets
                for s, t in zip(national.sets, engine, strict=True):  # the totals are the engine's figures
                    assert _standing(distribution(s)) == _standing(distribution(t))
                    assert (s.unit_count, s.average_criteria, s.average_indicators, s.percent_criteria) == (
                        t.unit_count,
                        t.average_criteria,
                        t.average_indicators,
                        t.percent_criteria,
                    )
                    assert s.indicators_missing_sum == t.indicators_missing_sum
                for s, t in zip(rollup(a, day).sets, summarise(a, day).sets, strict=True):  # A's own rules
                    assert _standing(distribution(s)) == _standing(distribution(t))
                    assert [f.average_criteria for f in s.children] == [
                        distribution(f).average_criteria.value for f in s.children
                    ]
                # The verified figures come from the set standings; counted from the records
                # instead (the submitted path, none submitted here), every figure is the same,
                # the indicators least often met included.
                for top in (nation, a):
                    standings = rollup(top, day, unmet_limit=99, dates=TREND_DAYS)
                    records = rollup(top, day, include_submitted=True, unmet_limit=99, dates=TREND_DAYS)
                    assert _found(standings) == _found(records)
                    assert _unmet(standings) == _unmet(records)
                    assert [_totals(p) for p in standings.trend] == [_totals(p) for p in records.trend]
            # Every day of a trend read in one pass: the totals of `summarise` on that day.
            for top, trend in (
                (nation, rollup_dates(nation, TREND_DAYS)),
                (a, rollup(a, EARLIER, dates=TREND_DAYS).trend),
            ):
                assert [point.as_of for point in trend] == TREND_DAYS
                for point in trend:
                    assert _totals(point) == _expected(summarise(top, point.as_of), _Whole()), point.as_of
            # A small subtree's trend (one pass over the intervals, recognitions checked per day)
            # is `summarise` on each day; its gaps, from the set standings and the trend's units,
            # are those counted from the records.
            for top in (nation, a):
                for point in summarise_dates(top, TREND_DAYS):
                    assert summary_dict(point) == summary_dict(summarise(top, point.as_of)), point.as_of
                    from_records = _gap_lists(gaps(top, point.as_of, include_submitted=True))
                    found = gaps(top, point.as_of)
                    assert _gap_lists(found) == from_records, point.as_of
                    for set_gaps in found:  # and what each unit's own detail shows
                        for u in set_gaps.units:
                            detail = unit_detail(u.unit, set_gaps.criteria_set, point.as_of)
                            assert [i.pk for i in u.unmet] == [
                                s.indicator.pk for s in detail.indicators if s.status == "unmet"
                            ]
                            assert [i.pk for i in u.missing] == [s.indicator.pk for s in detail.missing]
                    assert _gap_lists(gaps(top, point.as_of, summary=point)) == from_records, point.as_of
            raise Rollback
    except Rollback:
        pass


def test_most_unmet_indicators_count_units_without_a_record_too(db):
    district = DistrictFactory()
    criteria_set = build_set([2])
    first, second = Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("code")
    communes = [CommuneFactory(parent=district) for _ in range(3)]
    for c in communes:
        EnrolmentFactory(unit=c, criteria_set=criteria_set)
    RecordFactory(unit=communes[0], indicator=first, as_of=LATER, met=False)
    RecordFactory(unit=communes[1], indicator=first, as_of=LATER, met=True)
    for c in communes:
        RecordFactory(unit=c, indicator=second, as_of=LATER, met=True)

    (s,) = rollup(district, LATER).sets

    assert [(i.code, unmet, missing) for i, unmet, missing in s.most_unmet] == [("1.1", 1, 1)]


def test_submitted_records_count_when_asked(db):
    district = DistrictFactory()
    criteria_set = build_set([1])
    (indicator,) = Indicator.objects.filter(criterion__criteria_set=criteria_set)
    c = CommuneFactory(parent=district)
    EnrolmentFactory(unit=c, criteria_set=criteria_set)
    RecordFactory(unit=c, indicator=indicator, as_of=LATER, met=False)
    RecordFactory(unit=c, indicator=indicator, as_of=LATER, met=True, status="submitted")

    assert rollup(district, LATER).sets[0].units_meeting_standard == 0
    assert rollup(district, LATER, include_submitted=True).sets[0].units_meeting_standard == 1


@pytest.mark.parametrize("communes", [12, 120])
def test_rollup_query_count_does_not_grow_with_communes(db, communes, django_assert_num_queries):
    nation = UnitFactory(kind=Kind.COUNTRY)
    provinces = [ProvinceFactory(parent=nation) for _ in range(3)]
    criteria_set = build_set([1, 1])
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set))
    for k in range(communes):
        c = CommuneFactory(parent=provinces[k % 3])
        EnrolmentFactory(unit=c, criteria_set=criteria_set)
        RecordFactory(unit=c, indicator=indicators[k % 2], as_of=LATER)
    # sets, indicators, one statement (counts per child, per indicator, per date), child units
    with django_assert_num_queries(4):
        result = rollup(nation, LATER)
    assert [f.unit_count for f in result.sets[0].children] == [communes // 3] * 3
    # the same four
    with django_assert_num_queries(4):
        trend = rollup_dates(nation, [EARLIER, LATER])
    assert [t.sets[0].unit_count if t.sets else 0 for t in trend] == [communes, communes]
