"""Status intervals: whatever writes the records, and in whatever order, the table the database
keeps equals a rebuild from the records, and the engine's figures from it equal the figures
computed from the records themselves (the reference, `latest_keys_from_records`) on every date."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.models import Indicator
from records.intervals import install_interval_triggers, rebuild_status_intervals
from records.models import AchievementRecord, RecordStatus, StatusInterval
from records.services import record_save
from reports.engine.sql import (
    latest_counts,
    latest_counts_by_date,
    latest_counts_by_date_from_records,
    latest_keys,
    latest_keys_from_records,
)
from tests.factories import CommuneFactory, RecordFactory, build_set

DAYS = [date(2022, 1, 1) + timedelta(days=100 * k) for k in range(5)]
# Before the first record, on each record date, between them, and after the last.
PROBES = [DAYS[0] - timedelta(days=1), *DAYS, *(d + timedelta(days=1) for d in DAYS), DAYS[-1] + timedelta(days=400)]
UNITS, INDICATORS = 2, 3

pair = st.tuples(st.integers(0, UNITS - 1), st.integers(0, INDICATORS - 1))
new_record = st.tuples(
    pair,
    st.integers(0, len(DAYS) - 1),
    st.booleans(),
    st.sampled_from([RecordStatus.VERIFIED, RecordStatus.VERIFIED, RecordStatus.SUBMITTED, RecordStatus.RETURNED]),
)
row = st.integers(0, 50)  # an existing record, by position
creates = [
    st.tuples(st.just("factory"), new_record),  # save(): one INSERT
    st.tuples(st.just("service"), new_record),  # record_save: create or replace the date's verified record
    st.tuples(st.just("bulk_create"), st.lists(new_record, min_size=1, max_size=12)),
]
operation = st.one_of(
    *creates,
    *creates,  # twice as likely as each correction, so that pairs get histories of several runs
    st.tuples(st.just("flip"), row),  # is_met corrected by update()
    st.tuples(st.just("flip_unit"), st.integers(0, UNITS - 1)),  # one UPDATE over many pairs
    st.tuples(st.just("save_flipped"), row),  # is_met corrected through save()
    st.tuples(st.just("return"), row),  # verified -> returned
    st.tuples(st.just("verify"), row),  # returned or submitted -> verified
    st.tuples(st.just("move"), row, st.integers(0, len(DAYS) - 1)),  # its date corrected
    st.tuples(st.just("note"), row),  # a change that does not touch the status
    st.tuples(st.just("delete"), row),
    st.tuples(st.just("delete_unit"), st.integers(0, UNITS - 1)),
)


class Rollback(Exception):
    pass


def _record(units, indicators, spec):
    (u, i), day, met, status = spec
    return AchievementRecord(
        unit=units[u],
        indicator=indicators[i],
        as_of=DAYS[day],
        value_bool=met,
        is_met=met,
        status=status,
        return_reason="sai" if status == RecordStatus.RETURNED else "",
    )


def _apply(op, units, indicators):
    kind, *args = op
    records = AchievementRecord.objects.order_by("pk")
    chosen = None
    if kind in ("flip", "save_flipped", "return", "verify", "move", "note", "delete"):
        ids = list(records.values_list("pk", flat=True))
        if not ids:
            return
        chosen = records.filter(pk=ids[args[0] % len(ids)])
    if kind == "factory":
        _record(units, indicators, args[0]).save()
    elif kind == "service":
        (u, i), day, met, _status = args[0]
        record_save(unit=units[u], indicator=indicators[i], as_of=DAYS[day], value_bool=met)
    elif kind == "bulk_create":
        AchievementRecord.objects.bulk_create([_record(units, indicators, spec) for spec in args[0]])
    elif kind == "flip":
        record = chosen.get()
        chosen.update(is_met=not record.is_met, value_bool=not record.is_met)
    elif kind == "flip_unit":
        for met in (True, False):
            records.filter(unit=units[args[0]], is_met=met).update(is_met=not met, value_bool=not met)
    elif kind == "save_flipped":
        record = chosen.get()
        record.is_met = record.value_bool = not record.is_met
        record.save()
    elif kind == "return":
        chosen.update(status=RecordStatus.RETURNED, return_reason="sai")
    elif kind == "verify":
        chosen.update(status=RecordStatus.VERIFIED, return_reason="")
    elif kind == "move":
        chosen.update(as_of=DAYS[args[1]])
    elif kind == "note":
        chosen.update(note="ghi chú")
    elif kind == "delete":
        chosen.delete()
    elif kind == "delete_unit":
        records.filter(unit=units[args[0]]).delete()


def _table():
    return sorted(StatusInterval.objects.values_list("unit_id", "indicator_id", "valid_from", "valid_to", "is_met"))


def _parities(keys):
    return {(u, i): key % 2 for u, i, key in keys.values_list("unit_id", "indicator_id", "key")}


@pytest.mark.django_db(transaction=False)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=3, max_size=30))
def test_intervals_follow_every_writer_and_give_the_records_figures(operations):
    try:
        with transaction.atomic():
            criteria_set = build_set([2, 1])
            indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("code"))
            units = [CommuneFactory() for _ in range(UNITS)]
            for op in operations:
                try:
                    with transaction.atomic():
                        _apply(op, units, indicators)
                except IntegrityError:  # two verified (or two pending) records of one date: refused
                    pass
            kept = _table()
            rebuild_status_intervals()
            assert kept == _table()

            unit_ids, set_ids = [u.pk for u in units], [criteria_set.pk]
            for day in PROBES:
                assert _parities(latest_keys(unit_ids, set_ids, day)) == _parities(
                    latest_keys_from_records(unit_ids, set_ids, day)
                ), day
                assert latest_counts(unit_ids, set_ids, day) == latest_counts(
                    unit_ids, set_ids, day, keys=latest_keys_from_records
                ), day
            assert latest_counts_by_date(unit_ids, set_ids, PROBES) == latest_counts_by_date_from_records(
                unit_ids, set_ids, PROBES
            )
            raise Rollback
    except Rollback:
        pass


def test_a_late_record_dated_before_the_others_splits_the_interval(db):
    first, second, third = DAYS[0], DAYS[2], DAYS[4]
    record = RecordFactory(as_of=first, met=True)
    RecordFactory(unit=record.unit, indicator=record.indicator, as_of=third, met=True)
    assert _table() == [(record.unit_id, record.indicator_id, first, None, True)]

    RecordFactory(unit=record.unit, indicator=record.indicator, as_of=second, met=False)  # arrives last

    assert _table() == [
        (record.unit_id, record.indicator_id, first, second, True),
        (record.unit_id, record.indicator_id, second, third, False),
        (record.unit_id, record.indicator_id, third, None, True),
    ]


def test_the_engine_counts_the_interval_in_force_on_its_first_day_and_not_on_its_last(db):
    record = RecordFactory(as_of=DAYS[0], met=True)
    RecordFactory(unit=record.unit, indicator=record.indicator, as_of=DAYS[2], met=False)
    units, sets = [record.unit_id], [record.indicator.criterion.criteria_set_id]
    key = (record.unit_id, record.indicator.criterion_id)

    figures = {day: latest_counts(units, sets, day).get(key) for day in PROBES}

    assert figures[DAYS[0] - timedelta(days=1)] is None
    assert figures[DAYS[0]] == figures[DAYS[1] + timedelta(days=1)] == (1, 1)  # from its first day
    assert figures[DAYS[2]] == figures[DAYS[4] + timedelta(days=400)] == (1, 0)  # not on its end date
    assert latest_counts_by_date(units, sets, PROBES) == {
        day: ({key: figures[day]} if figures[day] else {}) for day in PROBES
    }


def test_pending_records_make_no_interval(db):
    RecordFactory(status=RecordStatus.SUBMITTED)
    RecordFactory(status=RecordStatus.DRAFT)
    assert _table() == []


@pytest.mark.django_db(transaction=True)
def test_truncating_the_records_empties_the_intervals():
    RecordFactory()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {AchievementRecord._meta.db_table} CASCADE")
        else:  # SQLite has no TRUNCATE: its DELETE without WHERE runs the row triggers
            cursor.execute(f"DELETE FROM {AchievementRecord._meta.db_table}")
    assert _table() == []


def test_dropped_triggers_are_reinstalled_and_the_table_rebuilt(db):
    record = RecordFactory()
    with connection.cursor() as cursor:
        for event in ("insert", "update", "delete"):
            cursor.execute(
                f"DROP TRIGGER ntm_status_intervals_{event}"
                + (f" ON {AchievementRecord._meta.db_table}" if connection.vendor == "postgresql" else "")
            )
    RecordFactory(unit=record.unit, indicator=record.indicator, as_of=DAYS[3], met=False)  # not seen
    assert len(_table()) == 1

    assert install_interval_triggers() is True
    assert install_interval_triggers() is False  # idempotent: nothing missing, nothing rebuilt

    assert _table() == [
        (record.unit_id, record.indicator_id, record.as_of, DAYS[3], True),
        (record.unit_id, record.indicator_id, DAYS[3], None, False),
    ]


def test_rebuild_command_recomputes_the_table(db, capsys):
    record = RecordFactory()
    StatusInterval.objects.all().delete()
    call_command("rebuild_status_intervals")
    assert _table() == [(record.unit_id, record.indicator_id, record.as_of, None, True)]
    assert "1 giai đoạn" in capsys.readouterr().out
