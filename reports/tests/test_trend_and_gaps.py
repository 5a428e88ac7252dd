from datetime import date

import pytest

from reports.engine import gaps, recognitions_in_force, report_dates, summarise, summarise_dates, unit_detail
from reports.serializers import summary_dict
from tests.factories import DISTRICT_DAY as DAY
from tests.factories import DISTRICT_EARLIER as EARLIER


def test_trend_gives_the_same_figures_as_summarise_on_each_date(demo):
    district = demo["dam-ha"]
    dates = report_dates(district)
    assert dates == [date(2021, 12, 31), date(2022, 8, 19)]
    trend = summarise_dates(district, dates + [date(2020, 6, 1)])
    assert [t.as_of for t in trend] == [date(2020, 6, 1), *dates]
    for summary in trend:
        assert summary_dict(summary) == summary_dict(summarise(district, summary.as_of))


@pytest.mark.parametrize("include_submitted", [False, True])
@pytest.mark.parametrize("given_summary", [False, True])
def test_gaps_list_exactly_what_each_units_detail_shows_unmet_or_missing(demo, include_submitted, given_summary):
    district = demo["dam-ha"]
    for day in report_dates(district):
        summary = summarise(district, day, include_submitted=include_submitted) if given_summary else None
        for set_gaps in gaps(district, day, include_submitted, summary):
            for unit_gaps in set_gaps.units:
                detail = unit_detail(unit_gaps.unit, set_gaps.criteria_set, day, include_submitted)
                assert [i.pk for i in unit_gaps.unmet] == [
                    s.indicator.pk for s in detail.indicators if s.status == "unmet"
                ]
                assert [i.pk for i in unit_gaps.missing] == [s.indicator.pk for s in detail.missing]


def test_trend_drops_units_merged_before_a_date(demo):
    # Quảng Lợi merged on 1/1/2020; it has no enrolment, so only validity is checked here.
    trend = summarise_dates(demo["dam-ha"], [date(2019, 6, 1), date(2022, 8, 19)])
    assert [len(s.sets) for s in trend] == [
        len(summarise(demo["dam-ha"], d).sets) for d in (date(2019, 6, 1), date(2022, 8, 19))
    ]


def test_trend_of_no_dates_is_empty(demo):
    assert summarise_dates(demo["dam-ha"], []) == []


@pytest.mark.parametrize("communes", [10, 200])
def test_trend_and_gaps_read_in_constant_queries(district_of, django_assert_num_queries, communes):
    district, *_ = district_of(communes)
    with django_assert_num_queries(4):  # enrolments, criteria, record counts (UNION), recognitions (UNION)
        trend = summarise_dates(district, [EARLIER, DAY])
    assert [s.sets[0].unit_count for s in trend] == [communes, communes]
    assert trend[1].sets[0].units_recognised == 1
    assert trend[0].sets[0].units_recognised == 0
    with django_assert_num_queries(3):  # enrolments, indicators, set standings
        (set_gaps,) = gaps(district, DAY)
    assert set_gaps.most_unmet[0].count == communes // 2
    with django_assert_num_queries(2):  # the summary's units and sets stand for the enrolments
        assert gaps(district, DAY, summary=trend[1]) == [set_gaps]


def test_gaps_refuse_a_summary_of_another_date(demo):
    with pytest.raises(ValueError):
        gaps(demo["dam-ha"], DAY, summary=summarise(demo["dam-ha"], EARLIER))


def test_gaps_tell_unmet_from_missing(demo):
    from records.models import AchievementRecord

    AchievementRecord.objects.filter(
        unit__code="xa-tan-binh", indicator__code="13.5", indicator__criterion__criteria_set__code="xa-ntm-2021-2025"
    ).delete()
    basic = next(g for g in gaps(demo["dam-ha"], date(2022, 8, 19)) if g.criteria_set.code == "xa-ntm-2021-2025")
    tan_binh = next(u for u in basic.units if u.unit.code == "xa-tan-binh")
    assert [i.code for i in tan_binh.unmet] == ["3.1"]
    assert [i.code for i in tan_binh.missing] == ["13.5"]
    top = basic.most_unmet[0]
    assert (top.indicator.code, top.count) == ("17.7", 2)
    assert {u.code for u in top.unmet_units} == {"xa-dai-binh", "xa-duc-yen"}


def test_missing_records_show_as_missing_in_gaps(demo):
    from records.models import AchievementRecord

    AchievementRecord.objects.filter(unit__code="xa-tan-binh").delete()
    basic = next(g for g in gaps(demo["dam-ha"], date(2022, 8, 19)) if g.criteria_set.code == "xa-ntm-2021-2025")
    tan_binh = next(u for u in basic.units if u.unit.code == "xa-tan-binh")
    assert tan_binh.unmet == []
    assert len(tan_binh.missing) == 57


def test_recognitions_in_force_on_the_meeting_date(demo):
    recognised = {(r.unit.code, r.criteria_set.code) for r in recognitions_in_force(demo["dam-ha"], date(2022, 8, 19))}
    assert recognised == {("xa-dam-ha", "xa-ntm-kieu-mau-2021-2025"), ("xa-tan-lap", "xa-ntm-nang-cao-2021-2025")}
    assert recognitions_in_force(demo["dam-ha"], date(2022, 8, 18)) == []
