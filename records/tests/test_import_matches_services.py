"""An import writes what entering the same rows one by one writes: the same records, statuses and
audit-trail rows, whatever order the rows and files come in.

The import writes in bulk (one INSERT or UPDATE for all rows, the history copied in one statement);
`record_save` is the district's one-record write. Hypothesis draws files of rows (new values,
corrections of earlier files, restated values) in any order and compares the two, field by field,
history included.
"""

from datetime import date

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from accounts.services import account_create
from records.imports import records_import, value_text
from records.models import AchievementRecord
from records.services import record_save
from shared.cells import parse_decimal, parse_yes_no
from tests.factories import (
    CommuneFactory,
    CriteriaSetFactory,
    CriterionFactory,
    DistrictFactory,
    EnrolmentFactory,
    IndicatorFactory,
    NumericIndicatorFactory,
    ThresholdFactory,
)
from tests.io_helpers import record_file, record_row

UNITS = ["xa-mot", "xa-hai"]
INDICATORS = {"1.1": "boolean", "1.2": "numeric", "2.1": "boolean"}
DATES = [date(2024, 6, 30), date(2024, 12, 31), date(2025, 6, 30)]
VALUES = {"boolean": ["Đạt", "Không đạt"], "numeric": ["30", "49,5", "50", "70"]}


@pytest.fixture
def world(db):
    """A district of two enrolled communes, a set of three indicators and its staff account."""
    district = DistrictFactory(code="huyen-so-sanh")
    criteria_set = CriteriaSetFactory(code="bo-so-sanh")
    first, second = (
        CriterionFactory(criteria_set=criteria_set, number=1),
        CriterionFactory(criteria_set=criteria_set, number=2),
    )
    indicators = {
        "1.1": IndicatorFactory(criterion=first, code="1.1", order=1),
        "1.2": NumericIndicatorFactory(criterion=first, code="1.2", order=2),
        "2.1": IndicatorFactory(criterion=second, code="2.1", order=1),
    }
    ThresholdFactory(indicator=indicators["1.2"], value=50)
    units = {}
    for code in UNITS:
        units[code] = CommuneFactory(parent=district, code=code)
        EnrolmentFactory(unit=units[code], criteria_set=criteria_set)
    staff = account_create(username="bcd-so-sanh", password="x", role=Role.DISTRICT_STAFF, unit=district)
    return {"district": district, "set": criteria_set, "indicators": indicators, "units": units, "staff": staff}


@st.composite
def files(draw):
    """1-3 files of rows {(unit, indicator, date): (value, note)}, each row in a drawn order."""
    keys = st.tuples(st.sampled_from(UNITS), st.sampled_from(sorted(INDICATORS)), st.sampled_from(DATES))
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        rows = {}
        for key in draw(st.lists(keys, min_size=1, max_size=10, unique=True)):
            value = draw(st.sampled_from(VALUES[INDICATORS[key[1]]]))
            rows[key] = (value, draw(st.sampled_from(["", "đo lại", "theo biên bản"])))
        order = draw(st.permutations(list(rows)))
        out.append(([(key, *rows[key]) for key in order], draw(st.sampled_from(["xlsx", "csv"]))))
    return out


def _by_import(world, drawn):
    for rows, fmt in drawn:
        table = [
            record_row(unit, world["set"].code, code, value, as_of=day, note=note)
            for (unit, code, day), value, note in rows
        ]
        if fmt == "csv":
            table = [[f"{c:%d/%m/%Y}" if isinstance(c, date) else c for c in row] for row in table]
        result = records_import(
            file=record_file(table, name=f"ket-qua.{fmt}"), user=world["staff"], unit=world["district"], dry_run=False
        )
        assert result.ok, result.errors


def _one_by_one(world, drawn):
    """Each row through `record_save`, skipping a row that restates the record of its date (and
    its note, when it gives one): that is no change, and the import writes nothing for it either."""
    for rows, _fmt in drawn:
        for (unit_code, code, day), value, note in rows:
            unit, indicator = world["units"][unit_code], world["indicators"][code]
            current = AchievementRecord.objects.filter(unit=unit, indicator=indicator, as_of=day).first()
            boolean = INDICATORS[code] == "boolean"
            value_bool = parse_yes_no(value) if boolean else None
            value_number = None if boolean else parse_decimal(value)
            if (
                current is not None
                and value_text(current.value_bool, current.value_number) == value_text(value_bool, value_number)
                and (not note or note == current.note)
            ):
                continue
            record_save(
                unit=unit,
                indicator=indicator,
                as_of=day,
                value_bool=value_bool,
                value_number=value_number,
                note=note,
                user=world["staff"],
            )


def _written():
    """Every record and its audit-trail rows (oldest first), without times, ids and reasons."""
    records = {}
    for record in AchievementRecord.objects.select_related("unit", "indicator"):
        history = [
            (h.history_type, h.status, h.value_bool, h.value_number, h.is_met, h.note, h.version, h.history_user_id)
            for h in record.history.order_by("history_id")
        ]
        records[(record.unit.code, record.indicator.code, record.as_of)] = (
            record.status,
            record.value_bool,
            record.value_number,
            record.value_items,
            record.is_met,
            record.note,
            record.version,
            record.recorded_by_id,
            record.verified_by_id,
            record.reporting_round_id,
            history,
        )
    return records


class _Rollback(Exception):
    """Ends one way of writing: what it wrote is rolled back before the other way runs."""


def _written_by(way, world, drawn):
    written = {}
    try:
        with transaction.atomic():
            way(world, drawn)
            written = _written()
            written["reasons"] = set(
                AchievementRecord.history.values_list("history_change_reason", flat=True).distinct()
            )
            raise _Rollback
    except _Rollback:
        pass
    return written


@settings(
    max_examples=60 if connection.vendor == "postgresql" else 40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=files())
def test_an_import_writes_the_records_and_audit_rows_that_entering_rows_one_by_one_writes(world, drawn):
    imported = _written_by(_by_import, world, drawn)
    entered = _written_by(_one_by_one, world, drawn)
    assert imported.pop("reasons") == {"Nhập từ tệp"}
    entered.pop("reasons")
    assert imported == entered
    assert imported  # something was written: the comparison is not of two empty databases
