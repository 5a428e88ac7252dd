"""The record template an officer fills offline: a value list on yes/no values, readable widths, a
frozen header, and, filled in, it imports cleanly."""

import io
from datetime import date

import openpyxl
import pytest

from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet
from devdata.demo import BASIC
from records.imports import COL_VALUE, RECORD_HEADERS, RECORD_SHEET, YES_NO_WORDS, records_import
from records.models import AchievementRecord
from records.tests.test_import_typing import numeric_commune  # noqa: F401, F811 (a fixture)
from reports.exports import record_template
from shared.cells import CellError, parse_yes_no
from tests.io_helpers import MEETING, upload

pytestmark = pytest.mark.django_db

VALUE_LETTER = openpyxl.utils.get_column_letter(RECORD_HEADERS.index(COL_VALUE) + 1)


def _template(unit_code="xa-quang-tan", set_code=BASIC, as_of=MEETING):
    unit = AdministrativeUnit.objects.get(code=unit_code)
    data = record_template(unit=unit, criteria_set=CriteriaSet.objects.get(code=set_code), as_of=as_of)
    return openpyxl.load_workbook(io.BytesIO(data))


def _value_list(sheet):
    """(the allowed words, the cells they apply to) of the value column's list."""
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    return validation.formula1.strip('"').split(","), {str(cell) for cell in validation.sqref.ranges}


def test_the_value_list_is_the_words_the_import_reads_back(demo):
    words, cells = _value_list(_template()[RECORD_SHEET])
    assert words == ["Đạt", "Không đạt"] == list(YES_NO_WORDS)
    assert [parse_yes_no(w) for w in words] == [True, False]
    with pytest.raises(CellError):
        parse_yes_no("Đạt một phần")  # anything else the list refuses, the import refuses too
    # Every yes/no indicator of the set's 57 has the list on its value cell, and no other cell does.
    assert cells == {f"{VALUE_LETTER}{row}" for row in range(2, 59)}


def test_the_template_freezes_its_header_and_sizes_its_columns(demo):
    book = _template()
    sheet = book[RECORD_SHEET]
    assert sheet.freeze_panes == "A2"
    widths = {
        h: sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i, h in enumerate(RECORD_HEADERS, 1)
    }
    assert widths["Tên chỉ tiêu"] >= 50 and widths["Ghi chú"] >= 30 and widths["Mã bộ tiêu chí"] >= 24
    assert all(width >= 12 for width in widths.values())
    assert book["Hướng dẫn"].column_dimensions["A"].width >= 80
    names = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "17.7 (Môi trường và an toàn thực phẩm)" in names


def test_a_numeric_indicator_gets_no_yes_no_list(numeric_commune):  # noqa: F811
    sheet = _template("xa-so", numeric_commune, date(2022, 8, 19))[RECORD_SHEET]
    assert sheet.data_validations.dataValidation == []
    assert sheet.freeze_panes == "A2"


def test_the_template_filled_from_its_list_imports_cleanly(demo_accounts):
    book = _template()
    sheet = book[RECORD_SHEET]
    words, _cells = _value_list(sheet)
    value_column = RECORD_HEADERS.index(COL_VALUE) + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=value_column).value = words[row % 2]  # alternate Đạt / Không đạt
    stream = io.BytesIO()
    book.save(stream)
    staff = demo_accounts["bcd"]
    result = records_import(file=upload(stream.getvalue()), user=staff, unit=staff.profile.unit, dry_run=False)
    assert result.errors == [] and result.saved
    assert result.rows_read == 57
    first = sheet.cell(row=2, column=RECORD_HEADERS.index("Mã chỉ tiêu") + 1).value
    record = AchievementRecord.objects.filter(
        unit__code="xa-quang-tan", indicator__criterion__criteria_set__code=BASIC, indicator__code=first, as_of=MEETING
    ).latest("pk")
    assert record.is_met is True  # row 2 got words[0], "Đạt"


@pytest.mark.parametrize("indicators", [2, 20])
def test_template_download_query_count_does_not_grow_with_indicators(db, client, django_assert_num_queries, indicators):
    from django.urls import reverse

    from accounts.models import Role
    from accounts.services import account_create
    from tests.factories import CommuneFactory, EnrolmentFactory, build_set

    commune = CommuneFactory(code="xa-mau")
    criteria_set = build_set([indicators // 2, indicators - indicators // 2], code="bo-mau")
    EnrolmentFactory(unit=commune, criteria_set=criteria_set)
    client.force_login(account_create(username="xa-mau", password="x", role=Role.COMMUNE_OFFICER, unit=commune))
    # session, user, profile, its unit, the unit asked for, the set; unit_detail: criteria,
    # indicators, thresholds, latest records, recognition
    with django_assert_num_queries(11):
        response = client.get(reverse("io:record_template"), {"pair": "xa-mau|bo-mau", "date": "2022-08-19"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[RECORD_SHEET]
    assert sheet.max_row == indicators + 1
    assert _value_list(sheet)[1] == {f"{VALUE_LETTER}{row}" for row in range(2, indicators + 2)}
