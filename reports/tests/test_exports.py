"""Exports: records round-trip exactly, report tables come from the engine, formulas stay text."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from communes.models import AdministrativeUnit
from devdata.demo import EARLIER, MEETING
from records.imports import records_import
from records.models import AchievementRecord
from reports.engine import summarise
from reports.exports import records_export, summary_export
from reports.serializers import summary_dict
from shared.spreadsheets import write_csv, write_xlsx, xlsx_cell
from tests.factories import CommuneFactory, DistrictFactory, EnrolmentFactory, RecordFactory, build_set
from tests.io_helpers import upload

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _figures(unit):
    return [summary_dict(summarise(unit, day)) for day in (EARLIER, MEETING, date(2025, 1, 1))]


def test_every_demo_record_exported_and_imported_into_an_empty_database_gives_identical_figures(demo):
    district = demo["dam-ha"]
    before, count = _figures(district), AchievementRecord.objects.count()
    data = records_export(units=AdministrativeUnit.objects.all(), fmt="xlsx")
    AchievementRecord.objects.all().delete()
    assert _figures(district) != before  # the figures really depend on the records
    result = records_import(file=upload(data, "tat-ca.xlsx"), user=None, unit=None, dry_run=False)
    assert result.saved and result.created_count == count
    assert _figures(district) == before
    assert AchievementRecord.objects.count() == count


def test_the_csv_export_round_trips_too(demo):
    district = demo["dam-ha"]
    before = _figures(district)
    data = records_export(units=AdministrativeUnit.objects.all(), fmt="csv")
    AchievementRecord.objects.all().delete()
    assert records_import(file=upload(data, "tat-ca.csv"), user=None, unit=None, dry_run=False).saved
    assert _figures(district) == before


def test_formula_like_text_is_stored_as_text_in_xlsx():
    data = write_xlsx([("Thử", ["Ghi chú"], [[value] for value in DANGEROUS] + [[-5]])])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells[:-1]] == ["s"] * len(DANGEROUS)
    # XML reading turns a lone carriage return into a line feed; the cell is text all the same.
    assert [c.value for c in cells[:-2]] == DANGEROUS[:-1] and cells[-2].value in ("\r=1", "\n=1")
    assert all(c.quotePrefix for c in cells[:-1])
    assert (cells[-1].value, cells[-1].data_type) == (-5, "n")  # real numbers stay numbers


def test_formula_like_text_gets_an_apostrophe_in_csv():
    text = write_csv(["Ghi chú"], [[value] for value in DANGEROUS]).decode("utf-8-sig")
    values = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert values == ["'" + value for value in DANGEROUS]


def test_a_record_note_starting_with_equals_is_exported_as_text(demo):
    AchievementRecord.objects.filter(unit__code="xa-tan-lap").update(note='=HYPERLINK("http://x")')
    data = records_export(units=AdministrativeUnit.objects.filter(code="xa-tan-lap"), fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Kết quả"]
    note = sheet.cell(row=2, column=9)
    assert note.value == '=HYPERLINK("http://x")' and note.data_type == "s"


# What the brief asks of every export (the records, the report tables, the brief, the dossier).
FORMULA_LIKE = ["=1+1", "\t=x", "\r=x", "+1", "-1", "@SUM(A1)"]


def _as_read(text):
    # An XML reader turns a lone carriage return into a line feed; the cell is text all the same.
    return text.replace("\r", "\n")


def _commune_with_notes(notes):
    commune = CommuneFactory(parent=DistrictFactory())
    criteria_set = build_set([len(notes)])
    for indicator, note in zip(criteria_set.criteria.get().indicators.order_by("order"), notes):
        RecordFactory(unit=commune, indicator=indicator, note=note)
    return commune


def test_formula_like_record_notes_are_text_cells_without_an_apostrophe_in_the_xlsx_export():
    commune = _commune_with_notes(FORMULA_LIKE)
    data = records_export(units=AdministrativeUnit.objects.filter(pk=commune.pk), fmt="xlsx")
    notes = [row[8] for row in openpyxl.load_workbook(io.BytesIO(data))["Kết quả"].iter_rows(min_row=2)]
    assert [c.value for c in notes] == [_as_read(text) for text in FORMULA_LIKE]
    assert all((c.data_type, c.quotePrefix) == ("s", True) for c in notes)


def test_formula_like_record_notes_get_an_apostrophe_in_the_csv_export():
    commune = _commune_with_notes(FORMULA_LIKE)
    text = records_export(units=AdministrativeUnit.objects.filter(pk=commune.pk), fmt="csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [row[8] for row in rows[1:]] == ["'" + value for value in FORMULA_LIKE]


def test_formula_like_set_names_are_text_cells_in_the_report_workbook_and_figures_stay_numbers():
    district = DistrictFactory()
    for text in FORMULA_LIKE:
        EnrolmentFactory(unit=CommuneFactory(parent=district), criteria_set=build_set([1], name=text))
    data = summary_export(unit=district, as_of=MEETING, fmt="xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["Tổng hợp"].iter_rows(min_row=2))
    names = [row[1] for row in rows]
    assert sorted(c.value for c in names) == sorted(_as_read(text) for text in FORMULA_LIKE)
    assert all((c.data_type, c.quotePrefix) == ("s", True) for c in names)
    assert all(row[2].value == 1 and row[2].data_type == "n" for row in rows)  # the number of units


def test_an_xlsx_cell_keeps_numbers_and_ordinary_text_as_they_are():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([xlsx_cell(sheet, value) for value in (-1, -2.5, "Xã Đầm Hà", None, "=1+1")])
    stream = io.BytesIO()
    book.save(stream)
    cells = next(openpyxl.load_workbook(stream).active.iter_rows())
    assert [(c.value, c.data_type) for c in cells] == [
        (-1, "n"),
        (-2.5, "n"),
        ("Xã Đầm Hà", "s"),
        (None, "n"),
        ("=1+1", "s"),
    ]
    assert [c.quotePrefix for c in cells] == [False, False, False, False, True]


def test_the_summary_table_shows_the_engines_figures_with_vietnamese_headers(demo):
    data = summary_export(unit=demo["dam-ha"], as_of=MEETING, fmt="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sets = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert sets[0][:5] == ("Mã bộ tiêu chí", "Bộ tiêu chí", "Số đơn vị", "Tổng số tiêu chí", "Bình quân tiêu chí đạt")
    basic = sets[1]
    assert basic[0] == "xa-ntm-2021-2025" and basic[2:9] == (8, 19, 17.87, 94.1, 57, 55.75, 97.8)
    units = list(book["Theo đơn vị"].iter_rows(values_only=True))
    dai_binh = next(r for r in units if r[0] == "xa-ntm-2021-2025" and r[1] == "xa-dai-binh")
    assert dai_binh[3:8] == (17, 19, 54, 57, 0) and dai_binh[10] == "13, 17"


def test_the_summary_csv_writes_figures_the_vietnamese_way(demo):
    text = summary_export(unit=demo["dam-ha"], as_of=MEETING, fmt="csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][4:6] == ["17,87", "94,1"]
    per_unit = list(
        csv.reader(
            io.StringIO(
                summary_export(unit=demo["dam-ha"], as_of=MEETING, fmt="csv", table="units").decode("utf-8-sig")
            )
        )
    )
    assert per_unit[0][:3] == ["Mã bộ tiêu chí", "Mã đơn vị", "Đơn vị"] and len(per_unit) == 1 + 8 + 6 + 4 + 1


def _district_with(communes):
    district = DistrictFactory()
    criteria_set = build_set([2, 2])
    indicators = list(criteria_set.criteria.first().indicators.all())
    for _n in range(communes):
        commune = CommuneFactory(parent=district)
        EnrolmentFactory(unit=commune, criteria_set=criteria_set)
        for indicator in indicators:
            RecordFactory(unit=commune, indicator=indicator)
    return district


@pytest.mark.parametrize("communes", [10, 200])
def test_the_summary_export_runs_a_fixed_number_of_queries(communes, django_assert_num_queries):
    district = _district_with(communes)
    # enrolments, criteria with indicator counts, record counts, recognitions
    with django_assert_num_queries(4):
        summary_export(unit=district, as_of=date(2022, 12, 31), fmt="xlsx")


@pytest.mark.parametrize("communes", [10, 200])
def test_the_records_export_runs_a_fixed_number_of_queries(communes, django_assert_num_queries):
    district = _district_with(communes)
    units = AdministrativeUnit.objects.within(district)
    # the records with their unit, indicator, criterion and set
    with django_assert_num_queries(1):
        records_export(units=units, fmt="csv")


def _workflow_snapshot():
    """Every record with its status, value and reason, by its natural key (ids change on re-import)."""
    return sorted(
        AchievementRecord.objects.values_list(
            "unit__code",
            "indicator_id",
            "as_of",
            "status",
            "value_bool",
            "value_number",
            "is_met",
            "note",
            "return_reason",
        )
    )


def _all_figures(district):
    """The engine's figures on every date with data, before the first and after the last, counting
    verified records only and with submitted ones."""
    from reports.engine import report_dates

    days = sorted({date(2020, 1, 1), date(2030, 1, 1), *report_dates(district, True)})
    return {
        (day, mode): summary_dict(summarise(district, day, include_submitted=mode))
        for day in days
        for mode in (False, True)
    }


def test_an_export_with_pending_records_loads_back_with_every_status_and_figure(demo_accounts):
    from records.models import ReportingRound
    from records.services import Entry, entry_save, record_return
    from tests.workflow_helpers import advanced_indicator

    officer, staff = demo_accounts["xa_quangtan"], demo_accounts["bcd"]
    district = AdministrativeUnit.objects.get(code="dam-ha")
    meeting_round = ReportingRound.objects.get(unit=district, as_of=MEETING)
    year_end = ReportingRound.objects.create(
        unit=district, name="Đợt cuối năm", as_of=date(2022, 12, 31), deadline=date(2023, 1, 10)
    )

    def enter(reporting_round, values, submit=True):
        entries = [
            Entry(indicator=advanced_indicator(code), value_bool=value, note="xã sửa") for code, value in values.items()
        ]
        return entry_save(
            unit=officer.profile.unit, reporting_round=reporting_round, entries=entries, submit=submit, user=officer
        )

    enter(meeting_round, {"2.1": False, "13.7": True})  # corrections of verified values, awaiting the district
    enter(meeting_round, {"3.1": False}, submit=False)  # a draft
    (returned,) = enter(meeting_round, {"5.1": False})
    record_return(record=returned, user=staff, reason="Thiếu biên bản")
    enter(year_end, {"13.7": True, "17.3": True})  # a new date known only from submitted records
    before, figures = _workflow_snapshot(), _all_figures(district)
    assert figures[(MEETING, True)] != figures[(MEETING, False)]  # the submitted records count

    data = records_export(units=AdministrativeUnit.objects.all(), fmt="xlsx")
    AchievementRecord.objects.all().delete()
    result = records_import(file=upload(data, "tat-ca.xlsx"), user=None, unit=None, dry_run=False)
    assert result.ok and result.saved, result.errors[:3]

    assert _workflow_snapshot() == before
    assert _all_figures(district) == figures
    # Loaded again, the export changes nothing.
    again = records_import(file=upload(data, "tat-ca.xlsx"), user=None, unit=None, dry_run=True)
    assert (again.ok, len(again.changes), again.unchanged) == (True, 0, len(before))


def test_the_export_names_each_records_status_and_verifier(demo_accounts):
    from records.services import record_save
    from tests.workflow_helpers import advanced_indicator

    record_save(
        unit=demo_accounts["xa_quangtan"].profile.unit,
        indicator=advanced_indicator("2.1"),
        as_of=date(2023, 1, 1),
        value_bool=True,
        user=demo_accounts["bcd"],
    )
    data = records_export(units=AdministrativeUnit.objects.filter(code="xa-quang-tan"), fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][-3:] == ["Trạng thái", "Lý do trả lại", "Người duyệt"]
    assert [r[-3:] for r in rows[1:] if r[6] == "2023-01-01"] == [["Đã duyệt", "", "bcd"]]


def test_imported_verified_rows_are_verified_by_the_importing_user_and_the_files_verifier_is_kept_in_the_trail(
    demo_accounts,
):
    from devdata.demo import BASIC
    from tests.io_helpers import record_file

    staff = demo_accounts["bcd"]
    headers = ["Mã đơn vị", "Mã bộ tiêu chí", "Mã chỉ tiêu", "Tính đến ngày", "Giá trị", "Trạng thái", "Người duyệt"]
    file = record_file(
        [["xa-quang-tan", BASIC, "2.1", date(2023, 3, 1), "Không đạt", "Đã duyệt", "ong_a"]], headers=headers
    )
    assert records_import(file=file, user=staff, unit=staff.profile.unit, dry_run=False).saved
    record = AchievementRecord.objects.get(unit__code="xa-quang-tan", as_of=date(2023, 3, 1))
    assert (record.status, record.verified_by) == ("verified", staff)
    assert record.history.get().history_change_reason == "Nhập từ tệp; người duyệt ghi trong tệp: ong_a"


def test_a_commune_officer_cannot_import_rows_marked_verified(demo_accounts):
    from devdata.demo import BASIC
    from tests.io_helpers import record_file

    officer = demo_accounts["xa_quangtan"]
    headers = ["Mã đơn vị", "Mã bộ tiêu chí", "Mã chỉ tiêu", "Tính đến ngày", "Giá trị", "Trạng thái"]
    rows = [
        ["xa-quang-tan", BASIC, "2.1", date(2023, 3, 1), "Không đạt", "Đã duyệt"],
        ["xa-quang-tan", BASIC, "2.2", date(2023, 3, 1), "Không đạt", "Nháp"],
        ["xa-quang-tan", BASIC, "2.3", date(2023, 3, 1), "Không đạt", "xong"],
    ]
    result = records_import(
        file=record_file(rows, headers=headers), user=officer, unit=officer.profile.unit, dry_run=False
    )
    assert not result.saved
    assert [(e.row, e.column) for e in result.errors] == [(2, "Trạng thái"), (4, "Trạng thái")]
    assert "chỉ lưu nháp hoặc gửi duyệt" in result.errors[0].message and "“Nháp”" in result.errors[1].message
    assert not AchievementRecord.objects.filter(as_of=date(2023, 3, 1)).exists()
