"""Reports count verified records by default; submitted ones only when asked; drafts never."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from criteria.models import Indicator
from records.models import AchievementRecord, RecordStatus
from reports.engine import gaps, latest_record_date, summarise, summarise_dates, unit_detail
from tests.factories import CommuneFactory, DistrictFactory, EnrolmentFactory, RecordFactory, build_set

pytestmark = pytest.mark.django_db

DAY = date(2022, 8, 19)
LATER = date(2022, 12, 31)


@pytest.fixture
def commune():
    return CommuneFactory(parent=DistrictFactory())


@pytest.fixture
def one_indicator_set(commune):
    criteria_set = build_set([1])
    EnrolmentFactory(unit=commune, criteria_set=criteria_set)
    return criteria_set


def _met(commune, include_submitted=False, day=LATER):
    (figures,) = summarise(commune.parent, day, include_submitted=include_submitted).sets
    return figures.indicators_met_sum


@pytest.mark.parametrize("status", [RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.RETURNED])
def test_a_later_record_that_is_not_verified_leaves_the_verified_one_counted(commune, one_indicator_set, status):
    indicator = Indicator.objects.get(criterion__criteria_set=one_indicator_set)
    RecordFactory(unit=commune, indicator=indicator, as_of=DAY, met=True)
    RecordFactory(unit=commune, indicator=indicator, as_of=LATER, met=False, status=status, return_reason="sai")

    assert _met(commune) == 1
    assert unit_detail(commune, one_indicator_set, LATER).indicators_met == 1
    assert latest_record_date(commune.parent) == DAY
    counts_submitted = status == RecordStatus.SUBMITTED
    assert _met(commune, include_submitted=True) == (0 if counts_submitted else 1)
    assert latest_record_date(commune.parent, include_submitted=True) == (LATER if counts_submitted else DAY)


def test_a_submitted_correction_of_the_same_date_counts_only_when_asked(commune, one_indicator_set):
    indicator = Indicator.objects.get(criterion__criteria_set=one_indicator_set)
    RecordFactory(unit=commune, indicator=indicator, as_of=DAY, met=False)
    RecordFactory(unit=commune, indicator=indicator, as_of=DAY, met=True, status=RecordStatus.SUBMITTED)

    assert _met(commune, day=DAY) == 0
    assert _met(commune, include_submitted=True, day=DAY) == 1
    detail = unit_detail(commune, one_indicator_set, DAY, include_submitted=True)
    assert detail.indicators[0].record.status == RecordStatus.SUBMITTED
    assert summarise(commune.parent, DAY, include_submitted=True).include_submitted is True


@pytest.mark.parametrize("communes", [10, 200])
def test_including_submitted_records_keeps_the_query_count(communes, django_assert_num_queries):
    criteria_set = build_set([2, 3])
    district = DistrictFactory()
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set))
    for _ in range(communes):
        commune = CommuneFactory(parent=district)
        EnrolmentFactory(unit=commune, criteria_set=criteria_set)
        AchievementRecord.objects.bulk_create(
            [
                AchievementRecord(unit=commune, indicator=i, as_of=DAY, value_bool=True, is_met=True, status=s)
                for i in indicators
                for s in (RecordStatus.VERIFIED, RecordStatus.SUBMITTED)
            ]
        )
    # enrolments, criteria with indicator counts, latest counted records per unit and criterion,
    # recognitions in force
    with django_assert_num_queries(4):
        summary = summarise(district, DAY, include_submitted=True)
    assert summary.sets[0].indicators_met_sum == communes * 5  # each indicator counted once


def test_ntm_report_can_include_submitted_records(demo):
    from devdata.demo import load_demo_accounts
    from records.models import ReportingRound
    from records.services import Entry, entry_save

    accounts = {u.username: u for u in load_demo_accounts()}
    officer = accounts["xa_quangtan"]
    entry_save(
        unit=officer.profile.unit,
        reporting_round=ReportingRound.objects.get(as_of=DAY),
        entries=[
            Entry(
                indicator=Indicator.objects.get(criterion__criteria_set__code="xa-ntm-nang-cao-2021-2025", code=c),
                value_bool=True,
            )
            for c in ["13.7", "17.3", "17.9"]
        ],
        submit=True,
        user=officer,
    )

    def report(*extra):
        out = StringIO()
        call_command("ntm_report", "--as-of", "2022-08-19", "--unit", "dam-ha", *extra, stdout=out)
        return out.getvalue()

    assert "có 6 xã đạt bình quân 15,16/19 tiêu chí" in report()
    with_submitted = report("--include-submitted")
    assert "có 6 xã đạt bình quân 15,5/19 tiêu chí" in with_submitted
    assert with_submitted.startswith("Gồm cả số liệu đã gửi, chưa được duyệt.")


def test_trend_and_gaps_count_a_submitted_correction_only_when_asked(commune, one_indicator_set):
    # Verified-only reads take one grouped pass; with submitted records, the anti-join decides.
    indicator = Indicator.objects.get(criterion__criteria_set=one_indicator_set)
    RecordFactory(unit=commune, indicator=indicator, as_of=DAY, met=False)
    RecordFactory(unit=commune, indicator=indicator, as_of=DAY, met=True, status=RecordStatus.SUBMITTED)
    RecordFactory(unit=commune, indicator=indicator, as_of=LATER, met=True, status=RecordStatus.DRAFT)

    def trend_met(include_submitted):
        return [t.sets[0].indicators_met_sum for t in summarise_dates(commune.parent, [DAY, LATER], include_submitted)]

    def gap_units(include_submitted):
        (set_gaps,) = gaps(commune.parent, LATER, include_submitted)
        return set_gaps.indicators[0].unmet_units

    assert trend_met(False) == [0, 0]
    assert trend_met(True) == [1, 1]
    assert gap_units(False) == [commune]
    assert gap_units(True) == []
