"""The unit file and the lineage file (communes.imports): preview, all or nothing, idempotent,
the user's scope, Vietnamese kind names, every bad-input message."""

import io
from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communes.imports import LINEAGE_COLUMNS, LINEAGE_SHEET, UNIT_COLUMNS, UNIT_SHEET, lineage_import, units_import
from communes.models import AdministrativeUnit, Kind, Region, Share, UnitSuccession
from shared.spreadsheets import write_csv, write_xlsx
from tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

REFORM = date(2025, 7, 1)
HEADERS = list(UNIT_COLUMNS.values())
# Codes and names as in the secondary source the project keeps (../shared/data/after_2025.md):
# the two new communes of former Đầm Hà; the province's and old units' codes are made up here.
QUANG_NINH = ["22", "Quảng Ninh", "Tỉnh", "", "", "", "Đồng bằng sông Hồng", "", ""]
DAM_HA = ["201", "Đầm Hà", "Huyện", "22", "", "01/07/2025", "", "", ""]
OLD_QUANG_TAN = ["90001", "Quảng Tân", "xa", "201", "", "", "", "", ""]
OLD_DAM_HA = ["90002", "Đầm Hà", "Thị trấn", "201", "", "", "", "", ""]
NEW_QUANG_TAN = ["06913", "Quảng Tân", "Xã", "22", "01/07/2025", "", "", "2", "không"]
NEW_DAM_HA = ["06895", "Đầm Hà", "XÃ", "22", "01/07/2025", "", "", "1", "có"]
GOOD = [QUANG_NINH, DAM_HA, OLD_QUANG_TAN, OLD_DAM_HA, NEW_QUANG_TAN, NEW_DAM_HA]


def unit_file(rows, headers=HEADERS, name="don-vi.xlsx"):
    data = write_csv(headers, rows) if name.endswith(".csv") else write_xlsx([(UNIT_SHEET, headers, rows)])
    f = io.BytesIO(data)
    f.name = name
    return f


def lineage_file(rows, headers=None, name="ke-thua.xlsx"):
    headers = headers or list(LINEAGE_COLUMNS.values())
    f = io.BytesIO(write_xlsx([(LINEAGE_SHEET, headers, rows)]))
    f.name = name
    return f


def tree():
    """Every unit as (official code, kind, parent's official code, dates, classification)."""
    return sorted(
        (
            u.official_code,
            u.code,
            u.name,
            u.kind,
            u.parent.official_code if u.parent else None,
            u.valid_from,
            u.valid_to,
            u.region,
            u.commune_group,
            u.is_disadvantaged,
            u.path.count("/"),
        )
        for u in AdministrativeUnit.objects.select_related("parent")
    )


def messages(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def test_a_good_file_previews_then_saves_the_tree_with_official_codes_as_site_codes():
    preview = units_import(file=unit_file(GOOD), within=None, dry_run=True)
    assert preview.ok and len(preview.created) == 6 and not AdministrativeUnit.objects.exists()

    saved = units_import(file=unit_file(GOOD), within=None, dry_run=False)
    assert saved.saved and len(saved.created) == 6
    new = AdministrativeUnit.objects.get(official_code="06913")
    assert (new.code, new.kind, new.parent.code, new.valid_from, new.commune_group) == (
        "06913",
        Kind.COMMUNE,
        "22",
        REFORM,
        2,
    )
    assert AdministrativeUnit.objects.get(code="06895").is_disadvantaged is True
    assert AdministrativeUnit.objects.get(code="90002").kind == Kind.TOWNSHIP
    assert AdministrativeUnit.objects.get(code="22").region == Region.RED_RIVER_DELTA
    assert AdministrativeUnit.objects.get(code="201").valid_to == REFORM
    assert {u.code for u in AdministrativeUnit.objects.within(AdministrativeUnit.objects.get(code="22"))} == {
        "22",
        "201",
        "90001",
        "90002",
        "06913",
        "06895",
    }


def test_reimporting_the_same_file_changes_nothing_and_a_changed_row_is_an_update():
    units_import(file=unit_file(GOOD), within=None, dry_run=False)
    before = tree()
    again = units_import(file=unit_file(GOOD), within=None, dry_run=False)
    assert (len(again.created), len(again.updated), again.unchanged) == (0, 0, 6)
    assert tree() == before

    renamed = [*GOOD[:-1], ["06895", "Đầm Hà mới", "Xã", "22", "01/07/2025", "", "", "3", "có"]]
    result = units_import(file=unit_file(renamed), within=None, dry_run=False)
    assert (len(result.created), len(result.updated), result.unchanged) == (0, 1, 5)
    assert result.updated[0].changed == ["Tên", "Nhóm xã"]
    unit = AdministrativeUnit.objects.get(code="06895")
    assert (unit.name, unit.commune_group) == ("Đầm Hà mới", 3)


def test_blank_optional_cells_keep_what_is_stored():
    units_import(file=unit_file(GOOD), within=None, dry_run=False)
    blank = [[*row[:4], "", "", "", "", ""] for row in GOOD]
    result = units_import(file=unit_file(blank), within=None, dry_run=False)
    assert result.unchanged == 6
    assert AdministrativeUnit.objects.get(code="201").valid_to == REFORM
    assert AdministrativeUnit.objects.get(code="06913").commune_group == 2


def test_kind_names_are_read_in_any_case_and_without_diacritics_and_a_city_by_its_parent():
    rows = [
        ["01", "Hà Nội", "thành phố", "", "", "", "", "", ""],
        ["79", "Hồ Chí Minh", "Thanh pho truc thuoc trung uong", "", "", "", "", "", ""],
        ["22", "Quảng Ninh", "TỈNH", "", "", "", "", "", ""],
        ["193", "Hạ Long", "Thành phố", "22", "", "", "", "", ""],
        ["194", "Móng Cái", "Thành phố (thuộc tỉnh)", "22", "", "", "", "", ""],
        ["196", "Quảng Yên", "thi xa", "22", "", "", "", "", ""],
        ["001", "Ba Đình", "Quận", "01", "", "", "", "", ""],
        ["00001", "Phúc Xá", "phuong", "001", "", "", "", "", ""],
        ["07192", "Cô Tô", "Đặc khu", "22", "01/07/2025", "", "", "", ""],
        ["07000", "Hạ Long", "Phường", "22", "", "", "", "", ""],
    ]
    result = units_import(file=unit_file(rows), within=None, dry_run=False)
    assert result.ok, messages(result)
    kinds = dict(AdministrativeUnit.objects.values_list("code", "kind"))
    assert kinds == {
        "01": Kind.CITY,
        "79": Kind.CITY,
        "22": Kind.PROVINCE,
        "193": Kind.PROVINCIAL_CITY,
        "194": Kind.PROVINCIAL_CITY,
        "196": Kind.DISTRICT_TOWN,
        "001": Kind.URBAN_DISTRICT,
        "00001": Kind.WARD,
        "07192": Kind.SPECIAL_ZONE,
        "07000": Kind.WARD,
    }


def test_codes_excel_stored_as_numbers_get_their_leading_zeros_back():
    rows = [["22", "Quảng Ninh", "Tỉnh", "", "", "", "", "", ""], [6913, "Quảng Tân", "Xã", 22, "", "", "", "", ""]]
    result = units_import(file=unit_file(rows), within=None, dry_run=False)
    assert result.ok, messages(result)
    assert AdministrativeUnit.objects.get(official_code="06913").parent.code == "22"


def test_a_csv_file_loads_too():
    result = units_import(file=unit_file(GOOD, name="don-vi.csv"), within=None, dry_run=False)
    assert result.ok and len(result.created) == 6


def test_a_parent_may_be_an_existing_unit_by_official_or_site_code():
    province = ProvinceFactory(code="quang-ninh")
    rows = [["06913", "Quảng Tân", "Xã", "quang-ninh", "01/07/2025", "", "", "", ""]]
    result = units_import(file=unit_file(rows), within=None, dry_run=False)
    assert result.ok, messages(result)
    assert AdministrativeUnit.objects.get(code="06913").parent == province


def imported_tree(rows):
    """The tree a file gives, rolled back afterwards."""
    with transaction.atomic():
        result = units_import(file=unit_file(rows), within=None, dry_run=False)
        assert result.ok, messages(result)
        built = tree()
        transaction.set_rollback(True)
    return built


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(GOOD))
def test_any_row_order_gives_the_same_tree(rows):
    assert imported_tree(rows) == imported_tree(GOOD)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["", "Quảng Tân", "Xã", "22", "", "", "", "", ""], "Mã ĐVHC", "Chưa ghi “Mã ĐVHC”."),
        (["069-13", "Quảng Tân", "Xã", "22", "", "", "", "", ""], "Mã ĐVHC", "“069-13” không phải là mã ĐVHC"),
        (["06913", "", "Xã", "22", "", "", "", "", ""], "Tên", "Chưa ghi “Tên”."),
        (["06913", "Quảng Tân", "", "22", "", "", "", "", ""], "Loại", "Chưa ghi “Loại”."),
        (["06913", "Quảng Tân", "Làng", "22", "", "", "", "", ""], "Loại", "Loại “Làng” không có; ghi một trong:"),
        (["06913", "Quảng Tân", "Xã", "99", "", "", "", "", ""], "Mã ĐVHC cấp trên", "Không có đơn vị cấp trên"),
        (["06913", "Quảng Tân", "Xã", "", "", "", "", "", ""], "Mã ĐVHC cấp trên", "Xã phải có đơn vị cấp trên."),
        (["06913", "Quảng Tân", "Tỉnh", "22", "", "", "", "", ""], "Mã ĐVHC cấp trên", "Tỉnh không thể trực thuộc"),
        (["06913", "Quảng Tân", "Xã", "22", "7/1/2025", "", "", "", ""], "Hiệu lực từ", "không rõ là ngày 7 tháng 1"),
        (["06913", "Quảng Tân", "Xã", "22", "01/07/2025", "01/07/2025", "", "", ""], "Hết hiệu lực từ", "phải sau"),
        (["06913", "Quảng Tân", "Xã", "22", "", "", "Miền Trung", "", ""], "Vùng", "Vùng “Miền Trung” không có"),
        (["06913", "Quảng Tân", "Xã", "22", "", "", "", "4", ""], "Nhóm xã", "nằm ngoài khoảng cho phép"),
        (["06913", "Quảng Tân", "Xã", "22", "", "", "", "", "hơi"], "Xã ĐBKK", "ghi “Có” hoặc “Không”"),
        (["22", "Quảng Ninh 2", "Tỉnh", "", "", "", "", "", ""], "Mã ĐVHC", "Mã ĐVHC “22” đã có ở dòng 2."),
    ],
)
def test_every_bad_cell_is_named_in_vietnamese_and_nothing_is_saved(row, column, message):
    result = units_import(file=unit_file([QUANG_NINH, row]), within=None, dry_run=False)
    assert not result.ok and not AdministrativeUnit.objects.exists()
    assert any(c == column and message in m for _r, c, m in messages(result)), messages(result)


def test_a_unit_starting_after_its_parent_ended_is_refused():
    rows = [QUANG_NINH, DAM_HA, ["90001", "Quảng Tân", "Xã", "201", "01/07/2025", "", "", "", ""]]
    result = units_import(file=unit_file(rows), within=None, dry_run=False)
    assert messages(result) == [
        (
            4,
            "Hiệu lực từ",
            "Đơn vị cấp trên Huyện Đầm Hà hết hiệu lực từ 01/07/2025, trước khi đơn vị này có hiệu lực.",
        )
    ]


def test_parents_that_loop_are_refused():
    rows = [["201", "A", "Huyện", "202", "", "", "", "", ""], ["202", "B", "Huyện", "201", "", "", "", "", ""]]
    result = units_import(file=unit_file(rows), within=None, dry_run=False)
    assert any("vòng lặp" in m for _r, _c, m in messages(result))


def test_a_renamed_or_missing_column_is_refused():
    result = units_import(file=unit_file([QUANG_NINH], headers=["Mã", *HEADERS[1:]]), within=None, dry_run=True)
    assert ("Thiếu cột “Mã ĐVHC”." in m for _r, _c, m in messages(result))
    assert any("Cột “Mã” không có trong mẫu" in m for _r, _c, m in messages(result))


def test_staff_load_units_below_their_own_unit_only():
    units_import(file=unit_file([QUANG_NINH]), within=None, dry_run=False)
    province = AdministrativeUnit.objects.get(code="22")
    inside = units_import(file=unit_file([NEW_QUANG_TAN]), within=province, dry_run=False)
    assert inside.ok and inside.saved

    other = ["01", "Hà Nội", "Thành phố", "", "", "", "", "", ""]
    refused = units_import(
        file=unit_file([other, ["00001", "Phúc Xá", "Phường", "01", "", "", "", "", ""]]),
        within=province,
        dry_run=False,
    )
    assert {(r, c) for r, c, _m in messages(refused)} == {(2, "Mã ĐVHC"), (3, "Mã ĐVHC")}
    assert "nằm ngoài phạm vi quản lý của bạn (Tỉnh Quảng Ninh)" in refused.errors[0].message
    assert not AdministrativeUnit.objects.filter(code__in=["01", "00001"]).exists()
    # Their own unit is not theirs to change either.
    own = units_import(
        file=unit_file([[*QUANG_NINH[:2], "Tỉnh", "", "", "", "", "", ""]]), within=province, dry_run=True
    )
    assert not own.ok


# ---------------------------------------------------------------------------------------------
# Lineage


@pytest.fixture
def reform():
    """Quảng Ninh with old Đầm Hà (district, ended 1/7/2025) and its communes, and the two new
    communes from 1/7/2025."""
    units_import(file=unit_file(GOOD), within=None, dry_run=False)
    return {u.code: u for u in AdministrativeUnit.objects.all()}


SOURCE = "NQ 1679/NQ-UBTVQH15, nguồn thứ cấp"


def test_lineage_records_whole_links_and_ends_the_old_units(reform):
    rows = [
        ["90001", "06913", "Toàn bộ", "01/07/2025", SOURCE],
        ["90002", "06895", "toan bo", date(2025, 7, 1), SOURCE],
    ]
    preview = lineage_import(file=lineage_file(rows), within=None, dry_run=True)
    assert preview.ok and len(preview.created) == 2 and [u.code for u, _d in preview.ended] == ["90001", "90002"]
    assert not UnitSuccession.objects.exists()

    saved = lineage_import(file=lineage_file(rows), within=None, dry_run=False)
    assert saved.saved
    old = AdministrativeUnit.objects.get(code="90001")
    assert old.valid_to == REFORM
    assert list(old.successors.values_list("code", flat=True)) == ["06913"]
    assert list(AdministrativeUnit.objects.get(code="06913").predecessors.values_list("code", flat=True)) == ["90001"]
    link = UnitSuccession.objects.get(predecessor=old)
    assert (link.share, link.effective_on, link.source) == (Share.WHOLE, REFORM, SOURCE)

    again = lineage_import(file=lineage_file(rows), within=None, dry_run=False)
    assert (len(again.created), len(again.updated), again.unchanged, again.ended) == (0, 0, 2, [])


def test_a_unit_split_in_parts_keeps_its_end_date_unset(reform):
    rows = [["90001", "06913", "Một phần", "01/07/2025", ""], ["90001", "06895", "mot phan", "01/07/2025", ""]]
    result = lineage_import(file=lineage_file(rows), within=None, dry_run=False)
    assert result.ok and result.ended == []
    assert AdministrativeUnit.objects.get(code="90001").valid_to is None
    assert set(UnitSuccession.objects.values_list("share", flat=True)) == {Share.PART}


def test_a_changed_share_is_an_update(reform):
    lineage_import(file=lineage_file([["90001", "06913", "Một phần", "01/07/2025", ""]]), within=None, dry_run=False)
    result = lineage_import(
        file=lineage_file([["90001", "06913", "Toàn bộ", "01/07/2025", SOURCE]]), within=None, dry_run=False
    )
    assert len(result.updated) == 1 and UnitSuccession.objects.get().share == Share.WHOLE


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["90001", "90001", "Toàn bộ", "01/07/2025", ""], "Mã ĐVHC mới", "Một đơn vị không thể kế thừa chính nó."),
        (
            ["90001", "06913", "Toàn bộ", "30/06/2025", ""],
            "Mã ĐVHC mới",
            "Đơn vị mới Xã Quảng Tân không có hiệu lực vào ngày 30/06/2025",
        ),
        (["90001", "06913", "Cả", "01/07/2025", ""], "Toàn bộ hay một phần", "ghi “Toàn bộ” hoặc “Một phần”"),
        (["90001", "06913", "Toàn bộ", "", ""], "Ngày hiệu lực", "Chưa ghi “Ngày hiệu lực”."),
        (["99999", "06913", "Toàn bộ", "01/07/2025", ""], "Mã ĐVHC cũ", "Không có đơn vị mã “99999”."),
        (
            ["201", "06913", "Toàn bộ", "02/07/2025", ""],
            "Mã ĐVHC cũ",
            "đã hết hiệu lực từ 01/07/2025, trước ngày hiệu lực 02/07/2025",
        ),
    ],
)
def test_every_bad_lineage_row_is_named_and_nothing_is_saved(reform, row, column, message):
    result = lineage_import(file=lineage_file([row]), within=None, dry_run=False)
    assert not result.ok and not UnitSuccession.objects.exists()
    assert any(c == column and message in m for _r, c, m in messages(result)), messages(result)
    assert AdministrativeUnit.objects.get(code="90001").valid_to is None


def test_a_whole_unit_goes_into_one_new_unit_only(reform):
    rows = [["90001", "06913", "Toàn bộ", "01/07/2025", ""], ["90001", "06895", "Một phần", "01/07/2025", ""]]
    result = lineage_import(file=lineage_file(rows), within=None, dry_run=False)
    assert [(r, c) for r, c, _m in messages(result)] == [(2, "Toàn bộ hay một phần")]


def test_a_cycle_of_successions_is_refused(reform):
    early = date(2020, 1, 1)
    a = CommuneFactory(code="a", parent=reform["22"])
    b = CommuneFactory(code="b", parent=reform["22"])
    UnitSuccession.objects.create(predecessor=a, successor=b, effective_on=early, share=Share.PART)
    result = lineage_import(file=lineage_file([["b", "a", "Một phần", "01/01/2021", ""]]), within=None, dry_run=False)
    assert any("vòng lặp" in m for _r, _c, m in messages(result)), messages(result)


def test_staff_record_lineage_of_units_below_their_own_only(reform):
    other = DistrictFactory(code="khac")
    outsider = CommuneFactory(code="xa-khac", parent=other)
    rows = [[outsider.code, "06913", "Toàn bộ", "01/07/2025", ""]]
    result = lineage_import(file=lineage_file(rows), within=reform["22"], dry_run=False)
    assert [(r, c) for r, c, _m in messages(result)] == [(2, "Mã ĐVHC cũ")]
    assert "ngoài phạm vi quản lý của bạn (Tỉnh Quảng Ninh)" in result.errors[0].message
    inside = lineage_import(
        file=lineage_file([["90001", "06913", "Toàn bộ", "01/07/2025", ""]]), within=reform["22"], dry_run=False
    )
    assert inside.saved


def test_files_are_read_in_vietnamese_whatever_the_page_language():
    from django.utils import translation

    with translation.override("en"):
        result = units_import(file=unit_file(GOOD), within=None, dry_run=True)
    assert result.ok, messages(result)
