"""Record import: the preview lists what changes, confirming saves all of it, scope is enforced."""

import math
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.models import AdministrativeUnit
from devdata.demo import BASIC
from records.imports import records_import
from records.models import AchievementRecord, RecordStatus, ReportingRound
from records.services import UPDATE_BATCH_SIZE, records_verify, round_close
from reports.engine import summarise
from tests.factories import CommuneFactory, EnrolmentFactory, NumericIndicatorFactory, ThresholdFactory
from tests.io_helpers import MEETING, record_file, record_row, record_snapshot

pytestmark = pytest.mark.django_db


def _basic_average(unit_code="dam-ha", day=MEETING, include_submitted=False):
    summary = summarise(AdministrativeUnit.objects.get(code=unit_code), day, include_submitted=include_submitted)
    return next(s for s in summary.sets if s.criteria_set.code == BASIC)


def test_dry_run_previews_the_changes_and_saves_nothing(demo_accounts):
    officer, before = demo_accounts["xa_quangtan"], record_snapshot()
    file = record_file(
        [record_row("xa-quang-tan", BASIC, "2.1", "Không đạt"), record_row("xa-quang-tan", BASIC, "3.1", "Đạt")]
    )
    result = records_import(file=file, user=officer, unit=demo_accounts["xa_quangtan"].profile.unit, dry_run=True)
    assert result.ok and not result.saved
    assert [(c.indicator.code, c.old, c.new, c.is_met) for c in result.changes] == [("2.1", "Đạt", "Không đạt", False)]
    assert result.unchanged == 1
    assert record_snapshot() == before


def test_a_communes_import_is_submitted_and_counts_once_the_district_verifies(demo_accounts):
    officer = demo_accounts["xa_quangtan"]
    assert _basic_average().criteria_met_sum == 143
    file = record_file(
        [record_row("xa-quang-tan", BASIC, "2.1", "Không đạt"), record_row("xa-quang-tan", BASIC, "5.1", "không đạt")]
    )
    result = records_import(file=file, user=officer, unit=officer.profile.unit, dry_run=False)
    assert result.saved and len(result.changes) == 2

    assert _basic_average().criteria_met_sum == 143  # verified figures do not move yet
    assert _basic_average(include_submitted=True).criteria_met_sum == 141
    submitted = AchievementRecord.objects.filter(status=RecordStatus.SUBMITTED, unit__code="xa-quang-tan")
    assert sorted(r.indicator.code for r in submitted) == ["2.1", "5.1"]
    assert all(r.recorded_by == officer and r.is_met is False for r in submitted)

    records_verify(records=list(submitted), user=demo_accounts["bcd"])
    assert _basic_average().criteria_met_sum == 141


def test_district_staff_import_counts_at_once_and_is_in_the_audit_trail(demo_accounts):
    staff = demo_accounts["bcd"]
    file = record_file(
        [
            record_row("xa-quang-tan", BASIC, "2.1", "Không đạt"),
            record_row("xa-tan-lap", BASIC, "3.1", "Không đạt", as_of=date(2022, 12, 31)),
        ]
    )
    result = records_import(file=file, user=staff, unit=staff.profile.unit, dry_run=False)
    assert result.saved
    assert _basic_average().criteria_met_sum == 142
    record = AchievementRecord.objects.get(
        unit__code="xa-quang-tan", indicator__criterion__criteria_set__code=BASIC, indicator__code="2.1", as_of=MEETING
    )
    assert (record.status, record.is_met, record.verified_by) == (RecordStatus.VERIFIED, False, staff)
    latest = record.history.first()  # newest first
    assert (latest.history_user, latest.history_change_reason, latest.value_bool) == (staff, "Nhập từ tệp", False)
    assert record.history.count() == 2  # the demo's row and the import
    created = AchievementRecord.objects.get(
        unit__code="xa-tan-lap",
        indicator__criterion__criteria_set__code=BASIC,
        indicator__code="3.1",
        as_of=date(2022, 12, 31),
    )
    assert created.history.get().history_type == "+"


def test_a_communes_import_into_a_closed_round_is_refused(demo_accounts):
    officer = demo_accounts["xa_quangtan"]
    reporting_round = ReportingRound.objects.get(as_of=MEETING)
    round_close(reporting_round=reporting_round, user=demo_accounts["bcd"])
    before = record_snapshot()
    file = record_file([record_row("xa-quang-tan", BASIC, "2.1", "Không đạt")])
    result = records_import(file=file, user=officer, unit=officer.profile.unit, dry_run=False)
    assert not result.saved
    [error] = result.errors
    assert (error.row, error.column) == (2, "Tính đến ngày") and "đã đóng" in error.message
    assert record_snapshot() == before


def test_a_row_for_a_new_date_creates_a_record_and_keeps_the_old_one(demo_accounts):
    staff = demo_accounts["bcd"]
    later = date(2022, 12, 31)
    file = record_file([record_row("xa-quang-tan", BASIC, "2.1", "Không đạt", as_of=later)])
    result = records_import(file=file, user=staff, unit=staff.profile.unit, dry_run=False)
    assert result.created_count == 1
    assert _basic_average(day=MEETING).criteria_met_sum == 143
    assert _basic_average(day=later).criteria_met_sum == 142


def test_rows_for_another_commune_are_rejected_and_nothing_is_saved(demo_accounts):
    officer, before = demo_accounts["xa_quangtan"], record_snapshot()
    file = record_file(
        [record_row("xa-quang-tan", BASIC, "2.1", "Không đạt"), record_row("xa-tan-lap", BASIC, "2.1", "Không đạt")]
    )
    result = records_import(file=file, user=officer, unit=officer.profile.unit, dry_run=False)
    assert not result.saved
    [error] = result.errors
    assert (error.row, error.column) == (3, "Mã đơn vị")
    assert "xa-tan-lap" in error.message and "phạm vi" in error.message
    assert record_snapshot() == before


def test_district_staff_may_import_for_any_commune_of_their_district(demo_accounts):
    staff = demo_accounts["bcd"]
    file = record_file(
        [record_row("xa-quang-tan", BASIC, "2.1", "Không đạt"), record_row("xa-tan-lap", BASIC, "2.1", "Không đạt")]
    )
    result = records_import(file=file, user=staff, unit=staff.profile.unit, dry_run=False)
    assert result.saved and len(result.changes) == 2


def test_district_staff_cannot_import_for_a_commune_of_another_district(demo_accounts):
    elsewhere = CommuneFactory(code="xa-ngoai-huyen")
    EnrolmentFactory(unit=elsewhere)
    staff = demo_accounts["bcd"]
    result = records_import(
        file=record_file([record_row("xa-ngoai-huyen", BASIC, "2.1", "Đạt")]),
        user=staff,
        unit=staff.profile.unit,
        dry_run=False,
    )
    assert "phạm vi" in result.errors[0].message


def test_leaders_may_not_import(demo_accounts):
    leader = demo_accounts["lanhdao"]
    with pytest.raises(PermissionDenied):
        records_import(
            file=record_file([record_row("xa-quang-tan", BASIC, "2.1", "Đạt")]),
            user=leader,
            unit=leader.profile.unit,
            dry_run=True,
        )


def test_blank_values_in_a_template_are_left_alone(demo_accounts):
    officer = demo_accounts["xa_quangtan"]
    file = record_file(
        [record_row("xa-quang-tan", BASIC, "2.1", None), record_row("xa-quang-tan", BASIC, "2.2", "Không đạt")]
    )
    result = records_import(file=file, user=officer, unit=officer.profile.unit, dry_run=True)
    assert result.blank == 1 and len(result.changes) == 1


def test_numeric_values_are_judged_against_the_communes_group_target(db):
    commune = CommuneFactory(code="xa-nhom-3", commune_group=3)
    indicator = NumericIndicatorFactory(code="4.2")
    ThresholdFactory(indicator=indicator, value=90)
    ThresholdFactory(indicator=indicator, commune_group=3, value=60)
    EnrolmentFactory(unit=commune, criteria_set=indicator.criterion.criteria_set)
    set_code = indicator.criterion.criteria_set.code
    file = record_file([record_row("xa-nhom-3", set_code, "4.2", "65,5")])
    result = records_import(file=file, user=None, unit=None, dry_run=False)
    assert result.saved
    record = AchievementRecord.objects.get(unit=commune)
    assert record.value_number == Decimal("65.5") and record.is_met is True


def test_a_numeric_indicator_without_a_target_for_the_commune_is_an_error(db):
    commune = CommuneFactory(code="xa-vung-khac")
    indicator = NumericIndicatorFactory(code="4.3")
    ThresholdFactory(indicator=indicator, commune_group=1, value=60)
    EnrolmentFactory(unit=commune, criteria_set=indicator.criterion.criteria_set)
    result = records_import(
        file=record_file([record_row("xa-vung-khac", indicator.criterion.criteria_set.code, "4.3", 70)]),
        user=None,
        unit=None,
        dry_run=False,
    )
    assert result.errors[0].column == "Giá trị" and "chưa có mức đạt" in result.errors[0].message
    assert not AchievementRecord.objects.exists()


def _import_queries(rows, commune_count, update=False):
    """Queries of one import of `rows` rows spread over `commune_count` fresh communes."""
    from devdata.benchmark import synthetic_enrolments, synthetic_rows, synthetic_set, synthetic_units

    AchievementRecord.objects.all().delete()
    criteria_set, indicators = synthetic_set(code=f"q-set-{rows}")
    units = synthetic_units(commune_count, prefix=f"q{rows}")
    synthetic_enrolments(criteria_set, units)
    table = synthetic_rows(rows, criteria_set, indicators, units)
    if update:
        records_import(file=record_file(table), user=None, unit=None, dry_run=False)
        for row in table:  # change every value, so that every row updates its record
            row[7] = {"Đạt": "Không đạt", "Không đạt": "Đạt"}.get(
                row[7], row[7] + 1 if isinstance(row[7], int) else row[7]
            )
    with CaptureQueriesContext(connection) as queries:
        result = records_import(file=record_file(table), user=None, unit=None, dry_run=False)
    assert result.saved and len(result.changes) == rows
    assert result.updated_count == (rows if update else 0)
    return [q["sql"] for q in queries.captured_queries]


def _reads(sqls):
    return [s for s in sqls if not s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


@pytest.mark.parametrize("update", [False, True], ids=["new records", "changed records"])
def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(db, update):
    # 20,000 rows on PostgreSQL (the acceptance size); fewer on SQLite to keep the suite quick.
    large_rows = 20_000 if connection.vendor == "postgresql" else 2_400
    small, large = _import_queries(80, 2, update), _import_queries(large_rows, 100, update)
    # Reads: units in scope, sets, indicators, enrolments, thresholds, existing records, rounds;
    # the same for 80 rows and for 20,000.
    assert len(_reads(small)) == len(_reads(large))
    # Writes are batched, never one per row: new records and their history rows in one INSERT each
    # on PostgreSQL; changed ones in UPDATEs of UPDATE_BATCH_SIZE rows (CASE WHEN grows
    # quadratically with the batch), each with its history INSERT.
    writes = len(large) - len(_reads(large))
    if connection.vendor == "postgresql":
        batches = math.ceil(large_rows / UPDATE_BATCH_SIZE) if update else 0
        assert writes <= 2 + 2 * batches
        assert writes < large_rows / 100


@pytest.mark.parametrize("update", [False, True], ids=["new records", "changed records"])
def test_fifty_rows_and_five_hundred_cost_the_same_statements(db, update):
    small, large = _import_queries(50, 2, update), _import_queries(500, 13, update)
    assert len(_reads(small)) == len(_reads(large))
    if connection.vendor == "postgresql":
        # One INSERT (or UPDATE) for the records and one INSERT ... SELECT for their history rows,
        # whatever the number of rows.
        assert len(small) == len(large)
        assert len(large) - len(_reads(large)) == 2
    else:
        # SQLite limits a statement's parameters, so the ORM's batches grow with the rows; the
        # history is still one statement.
        writes = len(large) - len(_reads(large))
        assert writes < 500 / 10


def test_the_benchmark_imports_and_rolls_everything_back(db):
    from devdata.benchmark import benchmark_records_import

    outcome = benchmark_records_import(400)
    assert outcome["rows"] == 400 and outcome["rows_per_second"] > 0
    assert not AchievementRecord.objects.exists() and not AdministrativeUnit.objects.exists()


def _one_indicator_commune():
    commune = CommuneFactory(code="xa-thu-tu")
    enrolment = EnrolmentFactory(unit=commune)
    from tests.factories import IndicatorFactory, RecordFactory

    indicator = IndicatorFactory(criterion__criteria_set=enrolment.criteria_set, code="1.1")
    RecordFactory(unit=commune, indicator=indicator, as_of=date(2023, 12, 31), met=True)
    return commune, enrolment.criteria_set


@pytest.mark.parametrize("late_round_last", [False, True], ids=["in date order", "late round last"])
def test_the_order_rounds_are_imported_in_does_not_change_the_figures(db, late_round_last):
    commune, criteria_set = _one_indicator_commune()
    september = record_file([record_row("xa-thu-tu", criteria_set.code, "1.1", "Đạt", as_of=date(2024, 9, 30))])
    may = record_file([record_row("xa-thu-tu", criteria_set.code, "1.1", "Không đạt", as_of=date(2024, 5, 15))])
    for file in [september, may] if late_round_last else [may, september]:
        assert records_import(file=file, user=None, unit=None, dry_run=False).ok
    (figures,) = summarise(commune.parent, date(2024, 9, 30)).sets
    # The 30/09/2024 round says met, whatever arrived first; 15/05/2024 says not met.
    assert (figures.criteria_met_sum, figures.units_meeting_standard) == (1, 1)
    (in_may,) = summarise(commune.parent, date(2024, 6, 30)).sets
    assert in_may.criteria_met_sum == 0


def test_a_row_equal_to_an_earlier_record_is_stored_for_its_own_date(db):
    commune, criteria_set = _one_indicator_commune()
    file = record_file([record_row("xa-thu-tu", criteria_set.code, "1.1", "Đạt", as_of=date(2024, 9, 30))])
    result = records_import(file=file, user=None, unit=None, dry_run=False)
    assert (result.created_count, result.unchanged) == (1, 0)
    again = records_import(
        file=record_file([record_row("xa-thu-tu", criteria_set.code, "1.1", "Đạt", as_of=date(2024, 9, 30))]),
        user=None,
        unit=None,
        dry_run=False,
    )
    assert (len(again.changes), again.unchanged, again.saved) == (0, 1, False)
    assert sorted(AchievementRecord.objects.filter(unit=commune).values_list("as_of", flat=True)) == [
        date(2023, 12, 31),
        date(2024, 9, 30),
    ]


def test_a_row_outside_the_unit_chosen_to_import_for_names_that_choice(demo_accounts):
    # District staff import for one commune a file that holds another commune of their district:
    # the row is refused, and the message points at the page's "Nhập cho", the usual cause.
    from communes.models import AdministrativeUnit
    from records.imports import records_import
    from tests.io_helpers import record_file, record_row

    chosen = AdministrativeUnit.objects.get(code="xa-quang-tan")
    rows = [record_row("xa-tan-lap", "xa-ntm-nang-cao-2021-2025", "13.7", "Đạt")]
    result = records_import(file=record_file(rows), user=demo_accounts["bcd"], unit=chosen, dry_run=True)
    [error] = result.errors
    assert "Nhập cho" in error.message and chosen.display_name in error.message
