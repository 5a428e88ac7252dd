"""Province staff (BCĐ tỉnh) and commune officers with e-mail, singly and from a file."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.imports import ACCOUNT_COLUMNS, accounts_import
from accounts.models import Role
from accounts.services import account_create, steering_staff_create
from shared.spreadsheets import write_csv, write_xlsx
from tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory

pytestmark = pytest.mark.django_db
HEADERS = list(ACCOUNT_COLUMNS.values())
PASSWORD = "Nong-thon-moi-2026"


@pytest.fixture
def province():
    province = ProvinceFactory(code="tinh-thu", name="Thử")
    district = DistrictFactory(code="huyen-thu", parent=province)
    CommuneFactory(code="xa-a", parent=district)
    CommuneFactory(code="xa-moi", parent=province)
    actor = account_create(username="bcd-tinh", password="x", role=Role.DISTRICT_STAFF, unit=province)
    return province, actor


def _file(rows, fmt="xlsx"):
    data = write_csv(HEADERS, rows) if fmt == "csv" else write_xlsx([("Tài khoản", HEADERS, rows)])
    f = io.BytesIO(data)
    f.name = f"tai-khoan.{fmt}"
    return f


def _accounts():
    return sorted(
        get_user_model()
        .objects.exclude(username="bcd-tinh")
        .values_list("username", "email", "profile__role", "profile__unit__code")
    )


def test_province_staff_are_named_bcd_tinh(province):
    _province, actor = province
    assert actor.profile.role_name == "BCĐ tỉnh"


def test_province_staff_create_a_colleague_with_email(province):
    unit, actor = province
    user = steering_staff_create(
        actor=actor, username="bcd-tinh-2", password=PASSWORD, unit=unit, email="bcd2@tinh.gov.vn"
    )
    assert (user.email, user.profile.role, user.is_staff) == ("bcd2@tinh.gov.vn", Role.DISTRICT_STAFF, True)


def test_district_staff_cannot_create_province_staff(province):
    unit, _actor = province
    district_staff = account_create(
        username="bcd-huyen", password="x", role=Role.DISTRICT_STAFF, unit=unit.children.get(code="huyen-thu")
    )
    with pytest.raises(PermissionDenied):
        steering_staff_create(actor=district_staff, username="tinh-gia", password=PASSWORD, unit=unit)


def test_a_file_creates_province_staff_and_commune_officers_with_email(province):
    _unit, actor = province
    rows = [
        ["bcd-tinh-2", "Nguyễn Văn A", "a@tinh.gov.vn", "BCĐ tỉnh", "tinh-thu", PASSWORD],
        ["xa_moi", "Trần Thị B", "b@xa.gov.vn", "Cán bộ xã", "xa-moi", PASSWORD],
    ]
    result = accounts_import(file=_file(rows, "csv"), actor=actor, dry_run=False)
    assert result.saved, result.errors
    assert _accounts() == [
        ("bcd-tinh-2", "a@tinh.gov.vn", Role.DISTRICT_STAFF, "tinh-thu"),
        ("xa_moi", "b@xa.gov.vn", Role.COMMUNE_OFFICER, "xa-moi"),
    ]
    assert get_user_model().objects.get(username="xa_moi").check_password(PASSWORD)


def test_bad_account_rows_name_their_rows_and_nothing_is_created(province):
    _unit, actor = province
    outside = CommuneFactory(code="xa-ngoai")
    rows = [
        ["xa_a", "", "", "Cán bộ xã", "xa-a", PASSWORD],
        ["bcd-tinh", "", "", "Cán bộ xã", "xa-a", PASSWORD],
        ["xa_b", "", "khong-phai-thu", "Cán bộ xã", "xa-a", PASSWORD],
        ["xa_c", "", "", "Chủ tịch", "xa-a", PASSWORD],
        ["xa_d", "", "", "Cán bộ xã", outside.code, PASSWORD],
        ["xa_e", "", "", "BCĐ tỉnh", "xa-a", PASSWORD],
        ["xa_f", "", "", "Cán bộ xã", "xa-a", "123"],
        ["xa_a", "", "", "Cán bộ xã", "xa-a", PASSWORD],
    ]
    result = accounts_import(file=_file(rows), actor=actor, dry_run=False)
    assert not result.saved
    assert sorted({e.row for e in result.errors}) == [3, 4, 5, 6, 7, 8, 9]
    messages = {e.row: e.message for e in result.errors}
    assert messages[3] == "Tên đăng nhập “bcd-tinh” đã có người dùng."
    assert messages[9] == "Tên đăng nhập “xa_a” đã có ở dòng 2."
    assert _accounts() == []


def test_the_page_previews_then_creates_the_accounts(province, client, settings, tmp_path):
    settings.NTM_IMPORT_TMP_DIR = tmp_path
    _unit, actor = province
    client.force_login(actor)
    assert client.get(reverse("accounts:steering_staff")).status_code == 200
    rows = [["xa_moi", "", "b@xa.gov.vn", "Cán bộ xã", "xa-moi", PASSWORD]]
    preview = client.post(reverse("accounts:accounts_upload"), {"file": _file(rows)})
    assert preview.status_code == 200 and _accounts() == []
    done = client.post(reverse("accounts:accounts_confirm"), {"token": preview.context["token"]})
    assert done.status_code == 200 and done.context["result"].saved
    assert _accounts() == [("xa_moi", "b@xa.gov.vn", Role.COMMUNE_OFFICER, "xa-moi")]


def test_a_commune_officer_may_not_upload_accounts(province, client):
    officer = account_create(username="xa_a", password="x", role=Role.COMMUNE_OFFICER, unit=CommuneFactory(code="xa-x"))
    client.force_login(officer)
    assert client.post(reverse("accounts:accounts_upload"), {"file": _file([])}).status_code == 403
    assert client.get(reverse("accounts:steering_staff")).status_code == 403


GOOD = [("BCĐ tỉnh", "tinh-thu"), ("BCĐ huyện", "huyen-thu"), ("Cán bộ xã", "xa-a"), ("Cán bộ xã", "xa-moi")]
BAD = [("Cán bộ xã", "tinh-thu"), ("Giám đốc", "xa-a"), ("Cán bộ xã", "xa-khong-co")]
ROLE = {"BCĐ tỉnh": Role.DISTRICT_STAFF, "BCĐ huyện": Role.DISTRICT_STAFF, "Cán bộ xã": Role.COMMUNE_OFFICER}


@st.composite
def account_files(draw):
    n = draw(st.integers(1, 5))
    rows, expected, bad = [], [], False
    for i in range(n):
        ok = draw(st.booleans())
        role, unit = draw(st.sampled_from(GOOD if ok else BAD))
        email = draw(st.sampled_from(["", f"tk{i}@tinh.gov.vn"]))
        rows.append([f"tk{i}", "", email, role, unit, PASSWORD])
        expected.append((f"tk{i}", email, ROLE.get(role), unit))
        bad = bad or not ok
    return rows, sorted(expected), bad


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=account_files(), fmt=st.sampled_from(["xlsx", "csv"]))
def test_a_random_account_file_creates_every_row_exactly_or_nothing(province, case, fmt):
    rows, expected, bad = case
    _unit, actor = province
    with transaction.atomic():
        result = accounts_import(file=_file(rows, fmt), actor=actor, dry_run=False)
        if bad:
            assert result.errors and not result.saved and _accounts() == []
        else:
            assert result.saved, result.errors
            assert _accounts() == expected
        transaction.set_rollback(True)


def test_the_accounts_template_has_the_import_columns_and_loads_back_once_filled(province, client):
    """The page's template is the file the upload reads: filled in, it creates the account."""
    import openpyxl

    _unit, actor = province
    client.force_login(actor)
    response = client.get(reverse("accounts:accounts_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-tai-khoan.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Tài khoản"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.column_dimensions["E"].number_format == "@"  # Mã đơn vị keeps a leading zero
    sheet.append(["xa.a", "", "", "Cán bộ xã", "xa-a", PASSWORD])
    filled = io.BytesIO()
    book.save(filled)
    filled.seek(0)
    filled.name = "tai-khoan.xlsx"
    result = accounts_import(file=filled, actor=actor, dry_run=False)
    assert result.saved and _accounts() == [("xa.a", "", Role.COMMUNE_OFFICER, "xa-a")]


def test_an_officer_may_not_download_the_accounts_template(province, client):
    officer = account_create(username="xa", password="x", role=Role.COMMUNE_OFFICER, unit=CommuneFactory())
    client.force_login(officer)
    assert client.get(reverse("accounts:accounts_template")).status_code == 403
