from datetime import date

from devdata.demo import MEETING
from records.services import record_save
from reports.engine import standards_at_risk
from tests.factories import CommuneFactory, EnrolmentFactory, RecognitionFactory, RecordFactory, build_set


def test_the_demo_has_no_recognised_unit_at_risk_on_the_meeting_date(demo):
    assert standards_at_risk(demo["dam-ha"], MEETING) == []


def test_keep_the_standard_flag_appears_and_disappears_with_the_records(db):
    criteria_set = build_set([1, 2])
    commune = CommuneFactory()
    EnrolmentFactory(unit=commune, criteria_set=criteria_set)
    RecognitionFactory(unit=commune, criteria_set=criteria_set, decision_date=date(2022, 6, 1))
    indicators = {i.code: i for c in criteria_set.criteria.all() for i in c.indicators.all()}
    for code in indicators:
        RecordFactory(unit=commune, indicator=indicators[code], as_of=date(2022, 6, 1), met=True)
    district = commune.parent
    assert standards_at_risk(district, date(2022, 7, 1)) == []

    record_save(unit=commune, indicator=indicators["2.2"], as_of=date(2022, 7, 1), value_bool=False)
    [risk] = standards_at_risk(district, date(2022, 7, 1))
    assert risk.unit == commune and [c.criterion.number for c in risk.criteria] == [2]

    record_save(unit=commune, indicator=indicators["2.2"], as_of=date(2022, 8, 1), value_bool=True)
    assert standards_at_risk(district, date(2022, 8, 1)) == []


def test_a_unit_that_is_not_recognised_is_never_at_risk(db):
    criteria_set = build_set([1])
    commune = CommuneFactory()
    EnrolmentFactory(unit=commune, criteria_set=criteria_set)
    RecordFactory(unit=commune, indicator=criteria_set.criteria.get().indicators.get(), met=False)
    assert standards_at_risk(commune.parent, date(2022, 8, 19)) == []


def test_at_risk_costs_the_four_queries_of_the_summary(db, django_assert_num_queries):
    criteria_set = build_set([1])
    commune = CommuneFactory()
    EnrolmentFactory(unit=commune, criteria_set=criteria_set)
    with django_assert_num_queries(4):
        standards_at_risk(commune.parent, date(2022, 8, 19))
