"""Đăng ký thực hiện in bulk: every commune under a province in a set, from one form or one file."""

import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communes.models import AdministrativeUnit
from criteria.enrolments import ENROLMENT_COLUMNS, enrol_under
from criteria.models import Enrolment, SetLevel
from records.services import enrolments_file_import as enrolments_import
from shared.spreadsheets import write_csv, write_xlsx
from tests.factories import CommuneFactory, CriteriaSetFactory, DistrictFactory, EnrolmentFactory, ProvinceFactory

pytestmark = pytest.mark.django_db
HEADERS = list(ENROLMENT_COLUMNS.values())


@pytest.fixture
def province():
    """A province with two districts of two communes, a commune directly under it, a set."""
    province = ProvinceFactory(code="tinh-thu")
    for d in ("a", "b"):
        district = DistrictFactory(code=f"huyen-{d}", parent=province)
        for n in (1, 2):
            CommuneFactory(code=f"xa-{d}{n}", parent=district)
    CommuneFactory(code="xa-moi", parent=province)
    CriteriaSetFactory(code="xa-2026", level=SetLevel.COMMUNE)
    return province


def _file(rows, fmt="xlsx"):
    data = write_csv(HEADERS, rows) if fmt == "csv" else write_xlsx([("Đăng ký thực hiện", HEADERS, rows)])
    f = io.BytesIO(data)
    f.name = f"dang-ky.{fmt}"
    return f


def _enrolments():
    return sorted(Enrolment.objects.values_list("unit__code", "criteria_set__code", "target_year"))


def test_every_commune_under_a_province_is_enrolled_with_its_target_year(province):
    from criteria.models import CriteriaSet

    criteria_set = CriteriaSet.objects.get(code="xa-2026")
    allowed = AdministrativeUnit.objects.within(province)
    preview = enrol_under(parent=province, criteria_set=criteria_set, target_year=2028, allowed=allowed, dry_run=True)
    assert len(preview.added) == 5 and not Enrolment.objects.exists()
    result = enrol_under(parent=province, criteria_set=criteria_set, target_year=2028, allowed=allowed)
    assert result.saved
    assert _enrolments() == [(c, "xa-2026", 2028) for c in ("xa-a1", "xa-a2", "xa-b1", "xa-b2", "xa-moi")]
    again = enrol_under(parent=province, criteria_set=criteria_set, target_year=2028, allowed=allowed)
    assert (again.added, again.changed, again.unchanged) == ([], [], 5)


def test_enrolling_under_a_district_leaves_the_other_district_alone(province):
    from criteria.models import CriteriaSet

    district = AdministrativeUnit.objects.get(code="huyen-a")
    enrol_under(
        parent=district,
        criteria_set=CriteriaSet.objects.get(code="xa-2026"),
        target_year=None,
        allowed=AdministrativeUnit.objects.within(district),
    )
    assert _enrolments() == [("xa-a1", "xa-2026", None), ("xa-a2", "xa-2026", None)]


def test_a_file_of_enrolments_saves_every_row(province):
    EnrolmentFactory(unit=AdministrativeUnit.objects.get(code="xa-a1"), criteria_set__code="cu", target_year=2024)
    rows = [["xa-a1", "xa-2026", 2027], ["xa-b2", "xa-2026", ""]]
    result = enrolments_import(
        file=_file(rows, "csv"), allowed=AdministrativeUnit.objects.within(province), dry_run=False
    )
    assert result.saved, result.errors
    assert _enrolments() == [("xa-a1", "cu", 2024), ("xa-a1", "xa-2026", 2027), ("xa-b2", "xa-2026", None)]


def test_bad_rows_are_listed_with_their_row_numbers_and_nothing_is_saved(province):
    CriteriaSetFactory(code="huyen-2026", level=SetLevel.DISTRICT)
    outside = CommuneFactory(code="xa-tinh-khac")
    rows = [
        ["xa-a1", "xa-2026", 2027],
        [outside.code, "xa-2026", 2027],
        ["xa-a2", "khong-co", 2027],
        ["xa-b1", "huyen-2026", 2027],
        ["xa-b2", "xa-2026", "hai nghìn"],
        ["xa-a1", "xa-2026", 2028],
    ]
    allowed = AdministrativeUnit.objects.within(province)
    result = enrolments_import(file=_file(rows), allowed=allowed, dry_run=False)
    assert not result.ok and not result.saved
    assert [e.row for e in result.errors] == [3, 4, 5, 6, 7]
    assert result.errors[0].message == "Không có đơn vị “xa-tinh-khac” trong phạm vi quản lý của bạn."
    assert result.errors[1].message == "Không có bộ tiêu chí “khong-co”."
    assert "không áp dụng cho" in result.errors[2].message
    assert result.errors[4].message == "Đơn vị “xa-a1” đã đăng ký bộ tiêu chí “xa-2026” ở dòng 2."
    assert not Enrolment.objects.exists()


UNITS = ["xa-a1", "xa-a2", "xa-b1", "xa-b2", "xa-moi"]
BAD_UNITS = ["xa-khong-co", "huyen-a"]  # unknown; a district in a commune set
GOOD_YEARS = [2026, 2027, 2030, ""]
BAD_YEARS = ["năm sau", 1999]


@st.composite
def enrolment_files(draw):
    """Rows for distinct units, each valid or not; returns (rows, what a clean file saves)."""
    units = draw(st.lists(st.sampled_from(UNITS + BAD_UNITS), min_size=1, max_size=7, unique=True))
    rows, expected, bad = [], [], False
    for unit in units:
        year_ok = draw(st.booleans())
        year = draw(st.sampled_from(GOOD_YEARS if year_ok else BAD_YEARS))
        rows.append([unit, "xa-2026", year])
        bad = bad or unit in BAD_UNITS or not year_ok
        expected.append((unit, "xa-2026", year or None))
    return rows, sorted(expected), bad


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=enrolment_files(), fmt=st.sampled_from(["xlsx", "csv"]))
def test_a_random_file_saves_all_its_rows_exactly_or_refuses_and_saves_nothing(province, case, fmt):
    rows, expected, bad = case
    allowed = AdministrativeUnit.objects.within(province)
    with transaction.atomic():
        result = enrolments_import(file=_file(rows, fmt), allowed=allowed, dry_run=False)
        if bad:
            assert result.errors and not result.saved
            assert not Enrolment.objects.exists()
        else:
            assert result.saved, result.errors
            assert _enrolments() == expected
        transaction.set_rollback(True)
