"""Set standings: whatever writes the records or changes the sets' indicators, and in whatever
order, the standing in force on every date equals the figures counted in Python from the records
themselves (each indicator's latest verified record on or before the date), and the table equals
a rebuild."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.models import Criterion, Indicator
from records.intervals import install_interval_triggers, rebuild_status_intervals
from records.models import AchievementRecord, RecordStatus, SetStanding
from records.tests.test_status_intervals import DAYS, PROBES, UNITS, Rollback, _apply, operation
from tests.factories import CommuneFactory, IndicatorFactory, RecordFactory, build_set

set_change = st.one_of(
    st.tuples(st.just("add_indicator"), st.integers(0, 2)),  # a criterion gains an indicator
    st.tuples(st.just("move_indicator"), st.integers(0, 2), st.integers(0, 2)),  # to another criterion
    st.tuples(st.just("delete_added"), st.integers(0, 5)),  # an added indicator removed (its records go)
    st.tuples(st.just("move_criterion"), st.integers(0, 2)),  # a criterion moved to the other set
)


def _change_set(op, criteria, other_set, added):
    kind, *args = op
    if kind == "add_indicator":
        criterion = criteria[args[0]]
        added.append(IndicatorFactory(criterion=criterion, code=f"{criterion.number}.{len(added) + 9}"))
    elif kind == "move_indicator":
        indicators = list(Indicator.objects.filter(criterion__in=criteria).order_by("pk"))
        indicator = indicators[args[0] % len(indicators)]
        Indicator.objects.filter(pk=indicator.pk).update(criterion=criteria[args[1]])
    elif kind == "delete_added":
        if added:
            added.pop(args[0] % len(added)).delete()
    elif kind == "move_criterion":
        criterion = Criterion.objects.get(pk=criteria[args[0]].pk)
        target = other_set if criterion.criteria_set_id != other_set.pk else criteria[0].criteria_set
        Criterion.objects.filter(pk=criterion.pk).update(criteria_set=target, number=criterion.number + 50)


def _expected(unit, criteria_set, day):
    """The unit's figures on the set on `day`, counted from its verified records (None: no record)."""
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set))
    latest = {}
    for record in AchievementRecord.objects.filter(
        unit=unit, indicator__in=indicators, status=RecordStatus.VERIFIED, as_of__lte=day
    ).order_by("as_of"):
        latest[record.indicator_id] = record.is_met
    if not latest:
        return None
    criteria_met = 0
    for criterion in Criterion.objects.filter(criteria_set=criteria_set):
        own = [i.pk for i in indicators if i.criterion_id == criterion.pk]
        criteria_met += bool(own) and all(latest.get(pk) for pk in own)
    return (
        len(latest),
        sum(latest.values()),
        criteria_met,
        {pk for pk, met in latest.items() if not met},
        {i.pk for i in indicators} - set(latest),
    )


def _in_force(unit, criteria_set, day):
    rows = list(SetStanding.objects.in_force_on(day).filter(unit=unit, criteria_set=criteria_set))
    assert len(rows) <= 1
    if not rows:
        return None
    row = rows[0]
    ids = lambda text: {int(pk) for pk in text.split(",") if pk}  # noqa: E731
    return row.indicators_recorded, row.indicators_met, row.criteria_met, ids(row.unmet), ids(row.missing)


def _table():
    return sorted(
        SetStanding.objects.values_list(
            "unit_id",
            "criteria_set_id",
            "valid_from",
            "valid_to",
            "indicators_recorded",
            "indicators_met",
            "criteria_met",
            "unmet",
            "missing",
        )
    )


def _normalised(rows):
    """The table with its id lists as sets (their order is the database's)."""
    return [(*row[:7], frozenset(row[7].split(",")), frozenset(row[8].split(","))) for row in rows]


@pytest.mark.django_db(transaction=False)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(st.one_of(operation, operation, set_change), min_size=3, max_size=30))
def test_standings_follow_every_writer_and_equal_the_records_figures(operations):
    try:
        with transaction.atomic():
            criteria_set, other_set = build_set([2, 1, 0]), build_set([1])
            criteria = list(Criterion.objects.filter(criteria_set=criteria_set).order_by("number"))
            indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("pk"))
            units, added = [CommuneFactory() for _ in range(UNITS)], []
            for op in operations:
                try:
                    with transaction.atomic():
                        if op[0] in ("add_indicator", "move_indicator", "delete_added", "move_criterion"):
                            _change_set(op, criteria, other_set, added)
                        else:
                            _apply(op, units, indicators)
                except IntegrityError:  # two verified (or two pending) records of one date: refused
                    pass
            for unit in units:
                for s in (criteria_set, other_set):
                    for day in PROBES:
                        assert _in_force(unit, s, day) == _expected(unit, s, day), (unit.pk, s.pk, day)
            kept = _normalised(_table())
            rebuild_status_intervals()
            assert kept == _normalised(_table())
            raise Rollback
    except Rollback:
        pass


def test_a_late_record_splits_the_standing_and_a_new_indicator_is_missing(db):
    criteria_set = build_set([2])
    first, second = Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("code")
    unit = CommuneFactory()
    RecordFactory(unit=unit, indicator=first, as_of=DAYS[0], met=True)
    RecordFactory(unit=unit, indicator=second, as_of=DAYS[2], met=True)
    assert [row[2:7] for row in _table()] == [(DAYS[0], DAYS[2], 1, 1, 0), (DAYS[2], None, 2, 2, 1)]

    RecordFactory(unit=unit, indicator=first, as_of=DAYS[1], met=False)  # arrives last, dated between

    assert [row[2:8] for row in _table()] == [
        (DAYS[0], DAYS[1], 1, 1, 0, ""),
        (DAYS[1], DAYS[2], 1, 0, 0, str(first.pk)),
        (DAYS[2], None, 2, 1, 0, str(first.pk)),
    ]
    added = IndicatorFactory(criterion=first.criterion, code="1.3")
    assert _in_force(unit, criteria_set, DAYS[3]) == (2, 1, 0, {first.pk}, {added.pk})


@pytest.mark.django_db(transaction=True)
def test_truncating_the_records_empties_the_standings():
    RecordFactory()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {AchievementRecord._meta.db_table} CASCADE")
        else:
            cursor.execute(f"DELETE FROM {AchievementRecord._meta.db_table}")
    assert SetStanding.objects.count() == 0


def test_missing_standing_triggers_are_reinstalled_and_the_table_rebuilt(db):
    record = RecordFactory(as_of=DAYS[0])
    table = "criteria_indicator"
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER ntm_standings_indicator_insert"
            + (f" ON {table}" if connection.vendor == "postgresql" else "")
        )
    SetStanding.objects.all().delete()

    assert install_interval_triggers() is True
    assert install_interval_triggers() is False

    assert [row[:3] for row in _table()] == [(record.unit_id, record.indicator.criterion.criteria_set_id, DAYS[0])]


def test_rebuild_command_recomputes_the_standings(db, capsys):
    record = RecordFactory(as_of=DAYS[0] + timedelta(days=3))
    SetStanding.objects.all().delete()
    call_command("rebuild_status_intervals")
    assert [row[:4] for row in _table()] == [
        (record.unit_id, record.indicator.criterion.criteria_set_id, record.as_of, None)
    ]
    assert "1 giai đoạn kết quả theo bộ tiêu chí" in capsys.readouterr().out
