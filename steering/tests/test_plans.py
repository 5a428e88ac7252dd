from datetime import date

import pytest
from django.core.exceptions import ValidationError

from criteria.models import CriteriaSet
from devdata.demo import MEETING, MODEL
from records.services import record_save
from steering.models import PlanItem, PlanStatus
from steering.querysets import mark_indicator_met
from steering.services import plan_items_from_gaps
from tests.factories import CommuneFactory, EnrolmentFactory, RecordFactory, build_set


@pytest.fixture
def commune_with_gaps(db):
    """A commune on a 2-criterion set: 1.1 met, 1.2 unmet, 2.1 and 2.2 without a record."""
    criteria_set = build_set([2, 2])
    commune = CommuneFactory()
    EnrolmentFactory(unit=commune, criteria_set=criteria_set)
    indicators = {i.code: i for i in criteria_set.criteria.get(number=1).indicators.all()}
    RecordFactory(unit=commune, indicator=indicators["1.1"], met=True)
    RecordFactory(unit=commune, indicator=indicators["1.2"], met=False)
    return commune, criteria_set


def test_one_click_creates_a_draft_item_for_every_unmet_indicator(commune_with_gaps):
    commune, criteria_set = commune_with_gaps
    created = plan_items_from_gaps(unit=commune, criteria_set=criteria_set, as_of=date(2022, 8, 19))
    assert sorted(i.indicator.code for i in created) == ["1.2", "2.1", "2.2"]
    assert {i.status for i in PlanItem.objects.all()} == {PlanStatus.DRAFT}


def test_creating_items_twice_adds_none_for_gaps_with_an_open_item(commune_with_gaps):
    commune, criteria_set = commune_with_gaps
    plan_items_from_gaps(unit=commune, criteria_set=criteria_set, as_of=date(2022, 8, 19))
    again = plan_items_from_gaps(unit=commune, criteria_set=criteria_set, as_of=date(2022, 8, 19))
    assert again == []
    assert PlanItem.objects.count() == 3


def test_a_gap_whose_only_item_is_done_gets_a_new_draft(commune_with_gaps):
    commune, criteria_set = commune_with_gaps
    plan_items_from_gaps(unit=commune, criteria_set=criteria_set, as_of=date(2022, 8, 19))
    PlanItem.objects.filter(indicator__code="1.2").update(status=PlanStatus.DONE)
    again = plan_items_from_gaps(unit=commune, criteria_set=criteria_set, as_of=date(2022, 8, 19))
    assert [i.indicator.code for i in again] == ["1.2"]


def test_items_cannot_be_created_for_a_set_the_unit_does_not_pursue(commune_with_gaps):
    commune, _set = commune_with_gaps
    other = build_set([1])
    with pytest.raises(ValidationError, match="chưa đăng ký"):
        plan_items_from_gaps(unit=commune, criteria_set=other, as_of=date(2022, 8, 19))
    assert not PlanItem.objects.exists()


def test_quang_tan_model_gaps_are_the_five_the_demo_defines(demo):
    created = plan_items_from_gaps(
        unit=demo["xa-quang-tan"], criteria_set=CriteriaSet.objects.get(code=MODEL), as_of=MEETING
    )
    assert sorted(i.indicator.code for i in created) == ["1.1", "1.2", "4.1", "4.2", "4.3"]


def test_overdue_means_open_with_a_deadline_before_the_day(commune_with_gaps):
    commune, criteria_set = commune_with_gaps
    plan_items_from_gaps(unit=commune, criteria_set=criteria_set, as_of=date(2022, 8, 19))
    PlanItem.objects.filter(indicator__code="1.2").update(deadline=date(2022, 8, 1))
    PlanItem.objects.filter(indicator__code="2.1").update(deadline=date(2022, 8, 1), status=PlanStatus.DONE)
    PlanItem.objects.filter(indicator__code="2.2").update(deadline=date(2022, 9, 1))
    day = date(2022, 8, 19)
    assert [i.indicator.code for i in PlanItem.objects.overdue(day)] == ["1.2"]
    assert [i.indicator.code for i in PlanItem.objects.all() if i.is_overdue(day)] == ["1.2"]
    assert [i.indicator.code for i in PlanItem.objects.due_before(date(2022, 9, 1))] == ["1.2", "2.2"]


def test_an_indicator_becoming_met_marks_its_items(commune_with_gaps):
    commune, criteria_set = commune_with_gaps
    plan_items_from_gaps(unit=commune, criteria_set=criteria_set, as_of=date(2022, 8, 19))
    item = PlanItem.objects.get(indicator__code="1.2")
    [before] = mark_indicator_met([item], date(2022, 9, 30))
    assert before.indicator_met is False
    record_save(unit=commune, indicator=item.indicator, as_of=date(2022, 9, 30), value_bool=True)
    [after] = mark_indicator_met([item], date(2022, 9, 30))
    assert after.indicator_met is True
    # Still unmet on the earlier date: the engine reads records as of the day asked.
    [earlier] = mark_indicator_met([item], date(2022, 8, 19))
    assert earlier.indicator_met is False
