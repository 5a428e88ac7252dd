"""The unit and lineage pages of /du-lieu/: template, upload with a preview, confirm; who may."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Role
from accounts.services import account_create
from communes.imports import UNIT_COLUMNS, UNIT_SHEET
from communes.models import AdministrativeUnit, UnitSuccession
from shared.spreadsheets import write_xlsx
from tests.factories import CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

HEADERS = list(UNIT_COLUMNS.values())
ROWS = [
    ["22", "Quảng Ninh", "Tỉnh", "", "", "", "", "", ""],
    ["06913", "Quảng Tân", "Xã", "22", "01/07/2025", "", "", "", ""],
    ["06895", "Đầm Hà", "Xã", "22", "01/07/2025", "", "", "", ""],
]


def upload(rows, headers=HEADERS, sheet=UNIT_SHEET, name="don-vi.xlsx"):
    f = io.BytesIO(write_xlsx([(sheet, headers, rows)]))
    f.name = name
    return f


@pytest.fixture
def admin_user(client):
    user = get_user_model().objects.create_superuser("quantri", password="x")
    client.force_login(user)
    return user


def test_the_paths_are_the_agreed_ones():
    assert reverse("io:units_template") == "/du-lieu/don-vi/mau/"
    assert reverse("io:units_upload") == "/du-lieu/don-vi/nhap/"
    assert reverse("io:units_confirm") == "/du-lieu/don-vi/xac-nhan/"
    assert reverse("io:lineage_template") == "/du-lieu/lich-su-don-vi/mau/"
    assert reverse("io:lineage_upload") == "/du-lieu/lich-su-don-vi/nhap/"
    assert reverse("io:lineage_confirm") == "/du-lieu/lich-su-don-vi/xac-nhan/"


def test_an_administrator_of_an_empty_database_loads_units_from_the_data_page(client, admin_user):
    index = client.get(reverse("io:index"))
    assert index.status_code == 200
    page = index.content.decode()
    assert reverse("io:units_template") in page and reverse("io:lineage_upload") in page

    template = client.get(reverse("io:units_template"))
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = book[UNIT_SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any("Thành phố" in f and "Đặc khu" in f and "Thị trấn" in f for f in lists)

    preview = client.post(reverse("io:units_upload"), {"file": upload(ROWS)})
    assert preview.status_code == 200 and not AdministrativeUnit.objects.exists()
    assert "Thêm 3, cập nhật 0, giữ nguyên 0." in preview.content.decode()
    done = client.post(reverse("io:units_confirm"), {"token": preview.context["token"]})
    assert done.status_code == 200 and "Đã lưu." in done.content.decode()
    assert sorted(AdministrativeUnit.objects.values_list("code", flat=True)) == ["06895", "06913", "22"]
    # A token is used once.
    assert client.post(reverse("io:units_confirm"), {"token": preview.context["token"]}).status_code == 400


def test_a_bad_file_lists_its_errors_and_offers_no_confirmation(client, admin_user):
    response = client.post(reverse("io:units_upload"), {"file": upload([["22", "Quảng Ninh", "Làng"]])})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Loại “Làng” không có" in page and "confirm-import" not in page


def test_a_lineage_file_links_the_units_and_ends_the_old_one(client, admin_user):
    province = ProvinceFactory(code="22", official_code="22")
    old = CommuneFactory(code="xa-quang-an", name="Quảng An", parent=province)
    CommuneFactory(code="06913", official_code="06913", name="Quảng Tân", parent=province, valid_from="2025-07-01")
    headers = ["Mã ĐVHC cũ", "Mã ĐVHC mới", "Toàn bộ hay một phần", "Ngày hiệu lực", "Nguồn"]
    rows = [["xa-quang-an", "06913", "Toàn bộ", "01/07/2025", "NQ 1679/NQ-UBTVQH15, nguồn thứ cấp"]]
    assert client.get(reverse("io:lineage_template")).status_code == 200
    preview = client.post(reverse("io:lineage_upload"), {"file": upload(rows, headers, "Kế thừa", "ke-thua.xlsx")})
    assert preview.status_code == 200, preview.content.decode()
    assert "Xã Quảng An: từ 01/07/2025" in preview.content.decode()
    client.post(reverse("io:lineage_confirm"), {"token": preview.context["token"]})
    old.refresh_from_db()
    assert str(old.valid_to) == "2025-07-01"
    assert UnitSuccession.objects.get().source == "NQ 1679/NQ-UBTVQH15, nguồn thứ cấp"


def test_steering_staff_load_units_in_their_province_only(client):
    province = ProvinceFactory(code="22", official_code="22")
    client.force_login(account_create(username="bcd-tinh", password="x", role=Role.DISTRICT_STAFF, unit=province))
    assert "unit-import" in client.get(reverse("io:index")).content.decode()
    inside = client.post(reverse("io:units_upload"), {"file": upload(ROWS[1:])})
    assert inside.status_code == 200
    outside = client.post(reverse("io:units_upload"), {"file": upload(ROWS)})
    assert outside.status_code == 400
    assert "Tỉnh Quảng Ninh nằm ngoài phạm vi quản lý của bạn" in outside.content.decode()


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.LEADER])
def test_officers_and_leaders_may_not_load_units(client, role):
    commune = CommuneFactory(code="xa")
    client.force_login(account_create(username="u", password="x", role=role, unit=commune))
    assert "unit-import" not in client.get(reverse("io:index")).content.decode()
    assert client.get(reverse("io:units_template")).status_code == 403
    assert client.post(reverse("io:units_upload"), {"file": upload(ROWS)}).status_code == 403
    assert client.post(reverse("io:lineage_confirm"), {"token": "x"}).status_code == 403
