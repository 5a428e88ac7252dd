"""A root's report dates are read by probing the (as_of, status) index one date at a time, not by
a DISTINCT over every record; they must be the same dates, in any mix of statuses, dates and
roots, and a second root's records must never leak into the first's list."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.models import Indicator
from records.models import AchievementRecord, RecordStatus
from reports.engine import latest_record_date
from reports.engine.dates import _report_dates
from tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory, RecordFactory, build_set

START = date(2021, 3, 31)


class Rollback(Exception):
    pass


record = st.tuples(
    st.integers(0, 3),  # commune: 0-1 under the first province, 2-3 under the second
    st.integers(0, 1),  # indicator
    st.integers(0, 40),  # days after START (collisions on purpose)
    st.sampled_from(list(RecordStatus)),
)


def _expected(records, communes, include_submitted):
    counted = {RecordStatus.VERIFIED, RecordStatus.SUBMITTED} if include_submitted else {RecordStatus.VERIFIED}
    return sorted(
        {START + timedelta(days=day) for unit, _, day, status in records if unit in communes and status in counted}
    )


@pytest.mark.django_db(transaction=False)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(record, max_size=25, unique_by=lambda r: (r[0], r[1], r[2], r[3] == RecordStatus.VERIFIED)))
def test_a_roots_dates_by_probe_equal_the_distinct_dates_of_its_subtree(records):
    try:
        with transaction.atomic():
            first, second = ProvinceFactory(), ProvinceFactory()
            communes = [CommuneFactory(parent=DistrictFactory(parent=p)) for p in (first, first, second, second)]
            criteria_set = build_set([2])
            indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("code"))
            for unit, indicator, day, status in records:
                RecordFactory(
                    unit=communes[unit],
                    indicator=indicators[indicator],
                    as_of=START + timedelta(days=day),
                    status=status,
                    return_reason="sai" if status == RecordStatus.RETURNED else "",
                )
            for root, own in ((first, {0, 1}), (second, {2, 3})):
                for include_submitted in (False, True):
                    expected = _expected(records, own, include_submitted)
                    assert _report_dates(root, include_submitted) == expected
                    # A district is read by the DISTINCT: the two readings agree on what they share.
                    district = communes[min(own)].parent
                    assert _report_dates(district, include_submitted) == _expected(
                        records, {min(own)}, include_submitted
                    )
                    assert latest_record_date(root, include_submitted) == (expected[-1] if expected else None)
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
def test_a_root_without_records_has_no_dates():
    root = ProvinceFactory()
    CommuneFactory(parent=DistrictFactory(parent=root))
    assert AchievementRecord.objects.exists() is False
    assert _report_dates(root, False) == []
    assert _report_dates(root, True) == []
