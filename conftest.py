"""Project-wide pytest set-up and fixtures.

The Đầm Hà demo (with its four accounts) is loaded ONCE, into the test database, when the database
is set up; every test runs in a transaction that is rolled back, so each one starts from the same
rows. Tests that ask for `demo` or `demo_accounts` get handles to it; every other database test
starts from an empty database as before: the demo's rows are deleted inside its transaction (the
rollback brings them back). A transactional test (transaction=True, live_server) commits and
pytest-django flushes the database after it; the demo is then loaded again, so the next test finds
the same database whatever order the tests run in.
"""

import os

import pytest

# Playwright's sync API runs inside the live_server test's thread, which Django would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class _Demo:
    """What the session loaded: the tables the demo fills, and the blocker to reload it with."""

    blocker = None
    tables = ()  # tables empty before the demo and filled by it
    unit_codes = ()
    usernames = ()
    sqlite_sequence = ()  # (name, seq) rows before the demo, on SQLite


def _load_demo_with_accounts():
    """Load the demo and its accounts; the one place the test suite calls the demo loader."""
    from devdata.demo import load_demo, load_demo_accounts

    units = load_demo()
    users = load_demo_accounts()
    return units, users


def _row_counts(connection):
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_sequence(connection):
    if connection.vendor != "sqlite":
        return ()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        return tuple(cursor.fetchall())


def _reset_sqlite_sequence(connection, cursor):
    """Put SQLite's AUTOINCREMENT counters of the demo's tables back to before the demo, so rows
    a test creates get the ids they got when the demo was loaded inside the test."""
    if connection.vendor != "sqlite":
        return
    tables = list(_Demo.tables)
    placeholders = ", ".join(["%s"] * len(tables))
    cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({placeholders})", tables)
    rows = [(name, seq) for name, seq in _Demo.sqlite_sequence if name in _Demo.tables]
    if rows:
        cursor.executemany("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", rows)


def _wipe_demo():
    """Delete every row the demo wrote (inside the caller's transaction, or committed)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are DEFERRABLE INITIALLY DEFERRED on both databases: the order of the
        # deletes does not matter, every table is empty when they are checked.
        for table in _Demo.tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        _reset_sqlite_sequence(connection, cursor)


def _reload_demo():
    """After a flush: the demo again, with the ids it had when the session loaded it (SQLite)."""
    from django.db import transaction

    with transaction.atomic():
        _wipe_demo()  # a flush leaves the counters; the rows are gone already
        _load_demo_with_accounts()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the demo and its accounts loaded once for the whole session."""
    from django.db import connection

    with django_db_blocker.unblock():
        before = _row_counts(connection)
        _Demo.sqlite_sequence = _sqlite_sequence(connection)
        units, users = _load_demo_with_accounts()
        after = _row_counts(connection)
    grown = [t for t in after if after[t] != before.get(t, 0)]
    not_empty_before = [t for t in grown if before.get(t)]
    assert not not_empty_before, f"the demo adds rows to tables that had rows: {not_empty_before}"
    _Demo.tables = tuple(sorted(grown))
    _Demo.unit_codes = tuple(units)
    _Demo.usernames = tuple(u.username for u in users)
    _Demo.blocker = django_db_blocker


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or (marker.args and marker.args[0])
    ):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.fixture(autouse=True)
def _empty_database_unless_demo(request):
    """A database test that asks for neither `demo` nor `demo_accounts` starts from an empty
    database, as it did when the demo was loaded per test."""
    names = request.fixturenames
    if "demo" in names or "demo_accounts" in names:
        return
    if request.node.get_closest_marker("django_db") is None and "db" not in names and "transactional_db" not in names:
        return
    request.getfixturevalue("_django_db_helper")
    # Rolled back with the test; in a transactional test committed, then the flush after the
    # test and the reload in pytest_runtest_teardown bring the demo back.
    _wipe_demo()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test pytest-django has flushed the database: load the demo again,
    unless the session is ending."""
    result = yield
    if nextitem is not None and _Demo.blocker is not None and _is_transactional(item):
        with _Demo.blocker.unblock():
            _reload_demo()
    return result


@pytest.fixture(autouse=True)
def vietnamese_after_each_test():
    """A request in English leaves English active in the thread; code called directly by the next
    test must see the default language again."""
    yield
    from django.utils import translation

    translation.activate("vi")


@pytest.fixture
def demo(db):
    """The Đầm Hà 2022 scenario, as `load_demo` loads it; returns units by code (fresh instances,
    each with its parent, as `load_demo` returns them)."""
    from communes.models import AdministrativeUnit

    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=_Demo.unit_codes)}
    by_id = {u.pk: u for u in units.values()}
    for unit in units.values():
        if unit.parent_id in by_id:
            unit.parent = by_id[unit.parent_id]
    return {code: units[code] for code in _Demo.unit_codes}


@pytest.fixture
def demo_accounts(demo):
    """Demo data plus the four demo accounts (password `demo`), by username (each with its
    profile and the profile's unit, as `load_demo_accounts` returns them)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.select_related("profile__unit").filter(username__in=_Demo.usernames)
    by_name = {u.username: u for u in users}
    return {name: by_name[name] for name in _Demo.usernames}


@pytest.fixture
def steering_demo(demo_accounts):
    """The Đầm Hà demo, its accounts, and the steering demo (plans, works, dossiers)."""
    from devdata.steering_demo import load_steering_demo

    load_steering_demo()
    return demo_accounts


@pytest.fixture
def district_of(db):
    """`district_of(n)`: a district with n communes pursuing one 3-criteria set, records on two
    dates (commune k misses indicator 1.1 when k is odd), one recognition, and a leader `lead`."""

    from accounts.services import account_create
    from criteria.models import Enrolment, Indicator, Recognition
    from records.models import AchievementRecord
    from tests.factories import DISTRICT_DAY, DISTRICT_EARLIER, CommuneFactory, DistrictFactory, build_set

    def build(n):
        district = DistrictFactory(code="huyen-thu", name="Thử")
        criteria_set = build_set([2, 3, 1], code="bo-thu", name="Bộ tiêu chí thử")
        indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set))
        communes = [CommuneFactory(parent=district, code=f"xa-{k:03d}", name=f"Xã số {k}") for k in range(n)]
        Enrolment.objects.bulk_create(Enrolment(unit=c, criteria_set=criteria_set) for c in communes)
        records = []
        for k, commune in enumerate(communes):
            for day in (DISTRICT_EARLIER, DISTRICT_DAY):
                for indicator in indicators:
                    met = not (k % 2 and indicator.code == "1.1")
                    records.append(
                        AchievementRecord(
                            unit=commune, indicator=indicator, as_of=day, value_bool=met, is_met=met, status="verified"
                        )
                    )
        AchievementRecord.objects.bulk_create(records)
        Recognition.objects.create(
            unit=communes[0], criteria_set=criteria_set, decision_date=DISTRICT_DAY, issuer="UBND tỉnh"
        )
        user = account_create(username="lead", password="x", role="leader", unit=district)
        return district, criteria_set, communes, user

    return build
