"""Criteria set import: a whole set from one workbook; re-importing updates it without breaking records.

The workbook is synthetic test data shaped like the 2026-2030 commune set (10 criteria, 47
indicators, targets for three commune groups); no name or value in it is official.
"""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from criteria.models import CriteriaSet, Indicator, Threshold
from criteria.set_imports import CRITERION_COLUMNS, INDICATOR_COLUMNS, ITEM_COLUMNS, SET_COLUMNS, THRESHOLD_COLUMNS
from records.models import AchievementRecord
from records.services import criteria_set_import
from reports.exports import criteria_set_workbook
from shared.spreadsheets import write_xlsx
from tests.factories import CommuneFactory
from tests.io_helpers import MEETING, upload

pytestmark = pytest.mark.django_db

SIZES = [5, 5, 5, 5, 5, 5, 5, 4, 4, 4]  # 47 indicators over 10 criteria (made up)
SET_CODE = "thu-nghiem-2026-2030"


def synthetic_set_rows(sizes=SIZES, group_targets=(80, 70, 60)):
    """Sheets of a made-up set; every third indicator numeric with one target per commune group."""
    set_row = [
        SET_CODE,
        "Bộ tiêu chí thử nghiệm 2026-2030 (dữ liệu giả)",
        "Cấp xã",
        "Nông thôn mới",
        2026,
        2030,
        "",
        None,
        "Quốc gia",
        "",
        "Có",
        "",
    ]
    criteria = [[n, f"Tiêu chí thử {n}", "", "", "test"] for n in range(1, len(sizes) + 1)]
    indicators, thresholds = [], []
    for n, size in enumerate(sizes, start=1):
        for k in range(1, size + 1):
            code = f"{n}.{k}"
            if k % 3 == 0:
                indicators.append([n, code, "", "Số liệu", ">=", "%", k])
                thresholds += [[code, "", group, value] for group, value in zip((1, 2, 3), group_targets)]
            else:
                indicators.append([n, code, "", "Đạt / không đạt", "", "", k])
    return {"set": [set_row], "criteria": criteria, "indicators": indicators, "thresholds": thresholds}


def set_file(rows):
    return upload(
        write_xlsx(
            [
                ("Bộ tiêu chí", list(SET_COLUMNS.values()), rows["set"]),
                ("Tiêu chí", list(CRITERION_COLUMNS.values()), rows["criteria"]),
                ("Chỉ tiêu", list(INDICATOR_COLUMNS.values()), rows["indicators"]),
                ("Mức đạt", list(THRESHOLD_COLUMNS.values()), rows["thresholds"]),
                *([("Mục", list(ITEM_COLUMNS.values()), rows["items"])] if "items" in rows else []),
            ]
        ),
        "bo-tieu-chi.xlsx",
    )


def test_a_whole_2026_2030_shaped_set_loads_from_one_workbook(db):
    result = criteria_set_import(file=set_file(synthetic_set_rows()), dry_run=False)
    assert result.ok and result.saved, result.errors
    criteria_set = CriteriaSet.objects.get(code=SET_CODE)
    assert criteria_set.is_illustrative and criteria_set.criteria.count() == 10
    assert Indicator.objects.filter(criterion__criteria_set=criteria_set).count() == 47
    groups = set(
        Threshold.objects.filter(indicator__criterion__criteria_set=criteria_set).values_list(
            "commune_group", flat=True
        )
    )
    assert groups == {1, 2, 3}
    assert result.counts == {"criteria": 10, "indicators": 47, "thresholds": 3 * 10}


def test_the_dry_run_lists_the_changes_and_writes_nothing(db):
    result = criteria_set_import(file=set_file(synthetic_set_rows()), dry_run=True)
    assert result.ok and not result.saved
    assert "Tạo bộ tiêu chí mới “thu-nghiem-2026-2030”." in result.changes
    assert "Thêm chỉ tiêu 10.4." in result.changes
    assert not CriteriaSet.objects.exists() and not Indicator.objects.exists()


def _load_with_records():
    criteria_set_import(file=set_file(synthetic_set_rows()), dry_run=False)
    group_2 = CommuneFactory(code="xa-nhom-2", commune_group=2)
    numeric = Indicator.objects.get(criterion__criteria_set__code=SET_CODE, code="1.3")
    yes_no = Indicator.objects.get(criterion__criteria_set__code=SET_CODE, code="1.1")
    AchievementRecord.objects.create(
        unit=group_2, indicator=numeric, as_of=MEETING, value_number=Decimal(75), is_met=True
    )
    AchievementRecord.objects.create(unit=group_2, indicator=yes_no, as_of=MEETING, value_bool=True, is_met=True)
    return numeric, yes_no


def test_reimporting_updates_in_place_and_keeps_records(db):
    numeric, yes_no = _load_with_records()
    rows = synthetic_set_rows()
    rows["criteria"][0][1] = "Tiêu chí thử 1 (sửa tên)"
    result = criteria_set_import(file=set_file(rows), dry_run=False)
    assert result.saved and result.changes == ["Sửa tiêu chí 1."]
    assert Indicator.objects.get(pk=numeric.pk).criterion.name == "Tiêu chí thử 1 (sửa tên)"
    assert AchievementRecord.objects.count() == 2


def test_new_targets_re_evaluate_the_records_already_entered(db):
    numeric, _ = _load_with_records()
    result = criteria_set_import(file=set_file(synthetic_set_rows(group_targets=(90, 80, 70))), dry_run=False)
    assert result.saved
    assert "Đánh giá lại các kết quả đã nhập của chỉ tiêu 1.3 theo mức đạt mới." in result.changes
    assert AchievementRecord.objects.get(indicator=numeric).is_met is False  # 75 < the new 80 for group 2


def test_removing_an_indicator_that_has_records_is_refused_with_the_reason(db):
    _load_with_records()
    rows = synthetic_set_rows()
    rows["indicators"] = [r for r in rows["indicators"] if r[1] != "1.1"]
    result = criteria_set_import(file=set_file(rows), dry_run=False)
    assert not result.saved
    assert "Không thể xoá chỉ tiêu 1.1: đã có 1 kết quả" in result.errors[0].message
    assert Indicator.objects.filter(code="1.1").exists()


def test_removing_an_indicator_without_records_deletes_it(db):
    _load_with_records()
    rows = synthetic_set_rows()
    rows["indicators"] = [r for r in rows["indicators"] if r[1] != "10.4"]
    result = criteria_set_import(file=set_file(rows), dry_run=False)
    assert result.saved and "Xoá chỉ tiêu 10.4 (chưa có kết quả nào)." in result.changes
    assert Indicator.objects.filter(criterion__criteria_set__code=SET_CODE).count() == 46


def test_changing_the_kind_of_an_indicator_with_records_is_refused(db):
    _load_with_records()
    rows = synthetic_set_rows()
    rows["indicators"][0][3:5] = ["Số liệu", ">="]
    result = criteria_set_import(file=set_file(rows), dry_run=False)
    assert not result.saved and "Không thể đổi loại chỉ tiêu 1.1" in result.errors[0].message
    assert Indicator.objects.get(code="1.1", criterion__criteria_set__code=SET_CODE).kind == "boolean"


def test_row_errors_in_a_set_workbook_name_sheet_row_and_column(db):
    rows = synthetic_set_rows()
    rows["indicators"].append([11, "11.1", "", "Đạt / không đạt", "", "", 1])
    rows["thresholds"].append(["1.1", "", 1, 50])
    rows["thresholds"].append(["1.3", "", 9, 50])
    result = criteria_set_import(file=set_file(rows), dry_run=False)
    found = {(e.column, e.row) for e in result.errors}
    assert ("Số tiêu chí", 49) in found  # indicators sheet: header + 47 rows, then the bad one
    assert ("Mã chỉ tiêu", 32) in found and ("Nhóm xã", 33) in found
    assert not CriteriaSet.objects.exists()


def test_an_exported_set_loads_back_unchanged(demo):
    basic = CriteriaSet.objects.get(code="xa-ntm-2021-2025")
    result = criteria_set_import(file=upload(criteria_set_workbook(basic), "bo.xlsx"), dry_run=False)
    assert result.ok and result.changes == []


def test_only_administrators_load_national_sets(demo_accounts, django_user_model):
    # National sets belong to the national administrators; district staff read them only.
    for username in ["lanhdao", "xa_quangtan", "bcd"]:
        with pytest.raises(PermissionDenied):
            criteria_set_import(file=set_file(synthetic_set_rows()), dry_run=True, user=demo_accounts[username])
    root = django_user_model.objects.create_superuser("root", password="x")
    assert criteria_set_import(file=set_file(synthetic_set_rows()), dry_run=True, user=root).ok


def test_each_indicator_keeps_the_guidance_document_it_comes_from(db):
    rows = synthetic_set_rows()
    rows["indicators"][0].append("Quyết định 1680/QĐ-BNN-VPĐP")
    result = criteria_set_import(file=set_file(rows), dry_run=False)
    assert result.saved, result.errors
    indicator = Indicator.objects.get(criterion__criteria_set__code=SET_CODE, code="1.1")
    assert indicator.guidance == "Quyết định 1680/QĐ-BNN-VPĐP"
    assert Indicator.objects.get(criterion__criteria_set__code=SET_CODE, code="1.2").guidance == ""

    rows["indicators"][0][-1] = "Quyết định 1491/QĐ-BGDĐT"
    result = criteria_set_import(file=set_file(rows), dry_run=False)
    assert result.changes == ["Sửa chỉ tiêu 1.1."]
    indicator.refresh_from_db()
    assert indicator.guidance == "Quyết định 1491/QĐ-BGDĐT"


def test_the_set_workbook_exports_the_guidance_column_and_loads_it_back(db):
    from openpyxl import load_workbook

    rows = synthetic_set_rows()
    rows["indicators"][2].append("Quyết định 1327/QĐ-BCT")
    criteria_set_import(file=set_file(rows), dry_run=False)
    data = criteria_set_workbook(CriteriaSet.objects.get(code=SET_CODE))
    sheet = load_workbook(io.BytesIO(data))["Chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    column = header.index(INDICATOR_COLUMNS["guidance"])
    assert [r[column].value for r in sheet.iter_rows(min_row=2) if r[1].value == "1.3"] == ["Quyết định 1327/QĐ-BCT"]
    again = criteria_set_import(file=upload(data, "bo-tieu-chi.xlsx"), dry_run=True)
    assert again.ok and again.changes == []


def test_a_workbook_without_the_guidance_column_still_loads(db):
    columns = [v for k, v in INDICATOR_COLUMNS.items() if k != "guidance"]
    rows = synthetic_set_rows()
    data = write_xlsx(
        [
            ("Bộ tiêu chí", list(SET_COLUMNS.values()), rows["set"]),
            ("Tiêu chí", list(CRITERION_COLUMNS.values()), rows["criteria"]),
            ("Chỉ tiêu", columns, rows["indicators"]),
            ("Mức đạt", list(THRESHOLD_COLUMNS.values()), rows["thresholds"]),
        ]
    )
    result = criteria_set_import(file=upload(data, "cu.xlsx"), dry_run=False)
    assert result.saved, result.errors
