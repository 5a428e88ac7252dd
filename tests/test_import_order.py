"""The figures do not depend on the order record files arrive in.

Hypothesis generates districts' records: rounds on several dates, files split by date (or several
dates in one file), corrections (the same unit, indicator and date with a new value), files
imported twice, all in a shuffled order, each file through the command line, the site's
preview and confirm, or the import service. After every order the engine's figures on every date
must equal an oracle written here in plain Python over the generated rows: a row replaces the
record of the same unit, indicator and date; the status on a date is the latest record on or
before it; a criterion is met when all its indicators are. The oracle never calls the engine.
"""

import io
import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from accounts.services import account_create
from records.imports import RECORD_HEADERS, RECORD_SHEET, records_import
from reports.engine import summarise
from shared.spreadsheets import write_csv, write_xlsx
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

# The set: criterion 1 has two yes/no indicators, 2 one numeric (met at >= 50), 3 one of each.
STRUCTURE = {
    1: [("1.1", "boolean"), ("1.2", "boolean")],
    2: [("2.1", "numeric")],
    3: [("3.1", "boolean"), ("3.2", "numeric")],
}
THRESHOLD = Decimal(50)
ENROLLED = ["xa-a", "xa-b", "xa-c"]
NOT_ENROLLED = "xa-ngoai"  # a file with a row for it is refused whole: nothing of it is saved
DATES = [date(2023, 12, 31), date(2024, 5, 15), date(2024, 9, 30), date(2024, 12, 31), date(2025, 6, 30)]
NUMBERS = ["30", "49,5", "50", "70", "100"]
EXAMPLES = 150


@pytest.fixture
def world(db, client, settings, tmp_path):
    """The district, its set and a district staff account, made once for all examples."""
    settings.NTM_IMPORT_TMP_DIR = tmp_path
    district = DistrictFactory(code="huyen-thu-tu")
    criteria_set = CriteriaSetFactory(code="bo-thu-tu")
    for number, indicators in STRUCTURE.items():
        criterion = CriterionFactory(criteria_set=criteria_set, number=number)
        for order, (code, kind) in enumerate(indicators):
            if kind == "numeric":
                ThresholdFactory(
                    indicator=NumericIndicatorFactory(criterion=criterion, code=code, order=order), value=THRESHOLD
                )
            else:
                IndicatorFactory(criterion=criterion, code=code, order=order)
    for code in ENROLLED:
        EnrolmentFactory(unit=CommuneFactory(parent=district, code=code), criteria_set=criteria_set)
    CommuneFactory(parent=district, code=NOT_ENROLLED)
    staff = account_create(username="bcd-thu-tu", password="x", role=Role.DISTRICT_STAFF, unit=district)
    client.force_login(staff)
    return {"district": district, "set": criteria_set, "client": client, "dir": tmp_path}


KINDS = {code: kind for indicators in STRUCTURE.values() for code, kind in indicators}


def _value(code):
    if KINDS[code] == "numeric":
        return st.sampled_from(NUMBERS)
    return st.sampled_from(["Đạt", "Không đạt"])


@st.composite
def _rows(draw, day, keys=None):
    """{(unit, indicator, day): (value, note)}: some of the district's indicators on `day`."""
    units = ENROLLED + [NOT_ENROLLED]
    keys = keys or [(u, c) for u in units for c in KINDS]
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=8, unique=True))
    return {(u, c, day): (draw(_value(c)), draw(st.sampled_from(["", "ghi chú"]))) for u, c in chosen}


@st.composite
def scenarios(draw):
    """A list of files (each {key: (value, note)}), in the order they are imported, and how each goes in."""
    days = sorted(draw(st.lists(st.sampled_from(DATES), min_size=1, max_size=4, unique=True)))
    rounds = [draw(_rows(day)) for day in days]
    files = []
    for rows in rounds:  # a file per date, or this date's rows added to the previous file
        if files and draw(st.booleans()):
            files[-1] = {**files[-1], **rows}
        else:
            files.append(rows)
    every_key = [key for rows in rounds for key in rows]
    for _ in range(draw(st.integers(0, 2))):  # corrections of rows already sent
        keys = draw(st.lists(st.sampled_from(every_key), min_size=1, max_size=4, unique=True))
        files.append({key: (draw(_value(key[1])), "sửa") for key in keys})
    for _ in range(draw(st.integers(0, 2))):  # the same file sent again
        files.append(dict(draw(st.sampled_from(files))))
    order = draw(st.permutations(files))
    routes = [draw(st.sampled_from(["service", "command", "site"])) for _ in order]
    formats = [draw(st.sampled_from(["xlsx", "csv"])) for _ in order]
    return list(zip(order, routes, formats))


def _file_bytes(rows, set_code, fmt):
    table = [[u, "", set_code, code, "", "", day, value, note] for (u, code, day), (value, note) in rows.items()]
    if fmt == "csv":
        return write_csv(RECORD_HEADERS, table)
    return write_xlsx([(RECORD_SHEET, RECORD_HEADERS, table)])


def refused(rows):
    """Whether a file is refused whole: it has a row for a unit not enrolled in the set."""
    return any(unit == NOT_ENROLLED for unit, _code, _day in rows)


def _import(world, rows, route, fmt, number):
    data, name = _file_bytes(rows, world["set"].code, fmt), f"dot-{number}.{fmt}"
    if route == "service":
        upload = io.BytesIO(data)
        upload.name = name
        assert records_import(file=upload, user=None, unit=None, dry_run=False).ok is not refused(rows)
    elif route == "command":
        path = world["dir"] / name
        path.write_bytes(data)
        if refused(rows):
            with pytest.raises(CommandError):
                call_command("import_records", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        else:
            call_command("import_records", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    else:
        client = world["client"]
        upload = io.BytesIO(data)
        upload.name = name
        preview = client.post(reverse("io:records_upload"), {"unit": world["district"].code, "file": upload})
        if refused(rows):  # the preview lists the row and offers no confirmation
            assert preview.status_code == 400 and not preview.context["token"]
            assert NOT_ENROLLED in preview.content.decode()
            return
        assert preview.status_code == 200, preview.content.decode()[:2000]
        if preview.context["token"]:  # a file that changes nothing offers no confirmation
            assert client.post(reverse("io:records_confirm"), {"token": preview.context["token"]}).status_code == 200


# The oracle: plain Python over the generated rows.


def _met(code, value):
    if KINDS[code] == "numeric":
        return Decimal(value.replace(",", ".")) >= THRESHOLD
    return value == "Đạt"


def _truncated(total, count):
    """Average truncated to two decimals, as a Decimal ('17.87')."""
    if not count:
        return Decimal(0)
    return Decimal(math.floor(Fraction(total, count) * 100)) / 100


def _percent(part, whole):
    """Percentage of the exact ratio, half up to one decimal."""
    if not whole:
        return Decimal(0)
    return Decimal(math.floor(Fraction(part * 100, whole) * 10 + Fraction(1, 2))) / 10


def oracle(files, day):
    """The set's figures on `day` after importing `files` in order."""
    records = {}
    for rows in files:
        if refused(rows):
            continue
        for key, (value, _note) in rows.items():
            records[key] = value  # a row replaces the record of the same unit, indicator and date
    per_unit = {}
    for unit in ENROLLED:
        criteria_met = indicators_met = missing = 0
        for indicators in STRUCTURE.values():
            met_here = 0
            for code, _kind in indicators:
                dated = [d for (u, c, d) in records if u == unit and c == code and d <= day]
                if not dated:
                    missing += 1
                    continue
                met_here += _met(code, records[(unit, code, max(dated))])
            indicators_met += met_here
            criteria_met += met_here == len(indicators)
        per_unit[unit] = (criteria_met, indicators_met, missing)
    criteria_total, indicators_total, units = len(STRUCTURE), len(KINDS), len(ENROLLED)
    criteria_sum = sum(c for c, _i, _m in per_unit.values())
    indicators_sum = sum(i for _c, i, _m in per_unit.values())
    return {
        "units": per_unit,
        "unit_count": units,
        "criteria_met_sum": criteria_sum,
        "indicators_met_sum": indicators_sum,
        "indicators_missing_sum": sum(m for _c, _i, m in per_unit.values()),
        "units_meeting_standard": sum(c == criteria_total for c, _i, _m in per_unit.values()),
        "average_criteria": _truncated(criteria_sum, units),
        "average_indicators": _truncated(indicators_sum, units),
        "percent_criteria": _percent(criteria_sum, units * criteria_total),
        "percent_indicators": _percent(indicators_sum, units * indicators_total),
    }


def engine(district, day):
    (figures,) = summarise(district, day).sets
    return {
        "units": {u.unit.code: (u.criteria_met, u.indicators_met, u.indicators_missing) for u in figures.units},
        **{
            name: getattr(figures, name)
            for name in (
                "unit_count",
                "criteria_met_sum",
                "indicators_met_sum",
                "indicators_missing_sum",
                "units_meeting_standard",
                "average_criteria",
                "average_indicators",
                "percent_criteria",
                "percent_indicators",
            )
        },
    }


# Every date of the pool, a day before the first, the days between and after the last.
CHECKED_DAYS = sorted({DATES[0] - timedelta(days=1), *DATES, *(d + timedelta(days=1) for d in DATES), date(2030, 1, 1)})


class _Rollback(Exception):
    """Ends an example: everything it imported is rolled back."""


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario=scenarios())
def test_the_figures_on_every_date_do_not_depend_on_the_order_files_arrive_in(world, scenario):
    try:
        with transaction.atomic():
            for number, (rows, route, fmt) in enumerate(scenario):
                _import(world, rows, route, fmt, number)
            files = [rows for rows, _route, _fmt in scenario]
            for day in CHECKED_DAYS:
                assert engine(world["district"], day) == oracle(files, day), day
            raise _Rollback
    except _Rollback:
        pass


def test_the_oracle_itself_reads_a_later_round_and_a_correction(db):
    first = {("xa-a", "1.1", DATES[2]): ("Đạt", ""), ("xa-a", "1.2", DATES[2]): ("Đạt", "")}
    late = {("xa-a", "1.1", DATES[1]): ("Không đạt", "")}
    correction = {("xa-a", "1.2", DATES[2]): ("Không đạt", "sửa")}
    assert oracle([first, late], DATES[2])["units"]["xa-a"] == (1, 2, 3)
    assert oracle([first, late], DATES[1])["units"]["xa-a"] == (0, 0, 4)
    assert oracle([first, late, correction], DATES[3])["units"]["xa-a"][:2] == (0, 1)
    assert (_truncated(143, 8), _percent(143, 152)) == (Decimal("17.87"), Decimal("94.1"))


def _stored():
    from records.models import AchievementRecord

    return sorted(
        AchievementRecord.objects.values_list(
            "unit__code",
            "indicator__code",
            "as_of",
            "status",
            "value_bool",
            "value_number",
            "is_met",
            "note",
            "verified_by__username",
        )
    )


def test_the_command_line_and_the_sites_preview_and_confirm_store_the_same_records(world):
    september = {("xa-a", "1.1", DATES[2]): ("Đạt", ""), ("xa-b", "2.1", DATES[2]): ("70", "")}
    may = {("xa-a", "1.1", DATES[1]): ("Không đạt", ""), ("xa-b", "2.1", DATES[1]): ("49,5", "đo lại")}
    correction = {("xa-b", "2.1", DATES[1]): ("50", "sửa")}
    stored = {}
    for route in ("command", "site"):
        try:
            with transaction.atomic():
                for number, rows in enumerate([september, may, correction, may]):
                    _import(world, rows, route, "xlsx", number)
                stored[route] = _stored()
                raise _Rollback
        except _Rollback:
            pass
    # The site records district staff as verifier, the command line nobody; all else is the same.
    assert [row[:-1] for row in stored["command"]] == [row[:-1] for row in stored["site"]]
    assert {row[-1] for row in stored["site"]} == {"bcd-thu-tu"} and {row[-1] for row in stored["command"]} == {None}
    assert len(stored["site"]) == 4
