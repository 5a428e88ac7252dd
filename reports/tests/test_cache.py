"""Cached engine results: a hit costs one query, and any write, by any path, is seen at once."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import transaction

from criteria.models import Enrolment
from records.models import AchievementRecord
from records.services import record_save
from reports.engine import summarise

MEETING = date(2022, 8, 19)
REPORTED = "có 8 xã đạt bình quân 17,87/19 tiêu chí (94,1%); 55,75/57 chỉ tiêu (97,8%)"


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.NTM_CACHE_SUMMARIES = True
    cache.clear()


def _dai_binh_13_2():
    return AchievementRecord.objects.filter(
        unit__code="xa-dai-binh",
        indicator__code="13.2",
        indicator__criterion__criteria_set__code="xa-ntm-2021-2025",
        as_of=MEETING,
    )


def test_a_cached_summary_costs_one_query(demo, django_assert_num_queries):
    with django_assert_num_queries(5):  # data version, then the engine's four
        first = summarise(demo["dam-ha"], MEETING)
    with django_assert_num_queries(1):  # data version only
        again = summarise(demo["dam-ha"], MEETING)
    assert again.sets[0].criteria_met_sum == first.sets[0].criteria_met_sum == 143


def test_record_changed_by_a_bulk_update_is_visible_on_the_next_request(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    assert REPORTED in client.get("/").content.decode()

    _dai_binh_13_2().update(value_bool=True, is_met=True)  # no signals, no service

    page = client.get("/").content.decode()
    assert REPORTED not in page
    assert "55,87/57 chỉ tiêu" in page


def test_record_saved_through_the_service_is_visible_at_once(demo):
    before = summarise(demo["dam-ha"], MEETING).sets[0].indicators_met_sum
    record = _dai_binh_13_2().get()
    record_save(unit=record.unit, indicator=record.indicator, as_of=MEETING, value_bool=True)
    assert summarise(demo["dam-ha"], MEETING).sets[0].indicators_met_sum == before + 1


def test_deleted_enrolment_is_visible_at_once(demo):
    assert summarise(demo["dam-ha"], MEETING).sets[0].unit_count == 8
    Enrolment.objects.filter(unit__code="xa-dai-binh", criteria_set__code="xa-ntm-2021-2025").delete()
    assert summarise(demo["dam-ha"], MEETING).sets[0].unit_count == 7


def test_figures_read_inside_a_rolled_back_write_are_not_served_afterwards(demo):
    summarise(demo["dam-ha"], MEETING)
    with pytest.raises(RuntimeError), transaction.atomic():
        _dai_binh_13_2().update(value_bool=True, is_met=True)
        assert summarise(demo["dam-ha"], MEETING).sets[0].indicators_met_sum == 447
        raise RuntimeError("rolled back")
    assert summarise(demo["dam-ha"], MEETING).sets[0].indicators_met_sum == 446
    _dai_binh_13_2().update(note="sửa ghi chú")  # a later write must not resurrect the rolled-back figures
    assert summarise(demo["dam-ha"], MEETING).sets[0].indicators_met_sum == 446


def test_turning_the_cache_off_reads_the_database_every_time(demo, settings, django_assert_num_queries):
    settings.NTM_CACHE_SUMMARIES = False
    summarise(demo["dam-ha"], MEETING)
    with django_assert_num_queries(4):
        summarise(demo["dam-ha"], MEETING)


def test_cached_trend_and_gaps_cost_one_query_and_see_a_write_at_once(demo, django_assert_num_queries):
    from reports.engine import gaps, summarise_dates

    district = demo["dam-ha"]
    with django_assert_num_queries(5):  # data version, then the trend's four
        summarise_dates(district, [MEETING])
    with django_assert_num_queries(4):  # data version, then gaps' three
        gaps(district, MEETING)
    with django_assert_num_queries(1):  # data version only
        (trend,) = summarise_dates(district, [MEETING])
    with django_assert_num_queries(1):
        basic = gaps(district, MEETING)[0]
    assert trend.sets[0].indicators_met_sum == summarise(district, MEETING).sets[0].indicators_met_sum
    assert "xa-dai-binh" in {u.code for g in basic.indicators if g.indicator.code == "13.2" for u in g.unmet_units}

    _dai_binh_13_2().update(value_bool=True, is_met=True)

    assert summarise_dates(district, [MEETING])[0].sets[0].indicators_met_sum == trend.sets[0].indicators_met_sum + 1
    assert "xa-dai-binh" not in {
        u.code for g in gaps(district, MEETING)[0].indicators if g.indicator.code == "13.2" for u in g.unmet_units
    }
