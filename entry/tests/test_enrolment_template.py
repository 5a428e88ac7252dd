"""The enrolment file's template (Mẫu tệp đăng ký thực hiện): downloaded from the enrolment page,
filled in, and loaded back through the same page's preview and confirm (issue 14)."""

import io
import unicodedata
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import account_create
from criteria.models import Enrolment, SetLevel
from shared.spreadsheets import write_csv
from tests.factories import CommuneFactory, CriteriaSetFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

HEADERS = ["Mã đơn vị", "Mã bộ tiêu chí", "Năm phấn đấu đạt chuẩn", "Nhóm xã"]


@pytest.fixture
def province(client):
    """A province of the two-tier system: a commune formed on 1/7/2025 (official code as its code)
    and one merged that day, with its staff logged in."""
    province = ProvinceFactory(code="22", name="Thử")
    CommuneFactory(code="06913", name="Quảng Tân", parent=province, valid_from=date(2025, 7, 1))
    CommuneFactory(code="90001", name="Cũ", parent=province, valid_to=date(2025, 7, 1))
    CriteriaSetFactory(code="xa-2026", level=SetLevel.COMMUNE, period_start=2026, period_end=2030)
    client.force_login(account_create(username="bcd", password="x", role=Role.DISTRICT_STAFF, unit=province))
    return province


def _template(client):
    response = client.get(reverse("io:enrolments_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-dang-ky-thuc-hien.xlsx"'
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _upload_and_confirm(client, data, name):
    upload = io.BytesIO(data)
    upload.name = name
    preview = client.post(reverse("io:enrolments_upload"), {"file": upload})
    assert preview.status_code == 200, preview.content.decode()
    done = client.post(reverse("io:enrolments_confirm"), {"token": preview.context["token"]})
    assert done.status_code == 200 and done.context["result"].saved
    return preview.context["result"]


def test_the_enrolment_page_links_the_template_with_its_vietnamese_headers(client, province):
    page = client.get(reverse("io:enrolments")).content.decode()
    assert f'href="{reverse("io:enrolments_template")}"' in page and "Tải mẫu tệp đăng ký" in page
    book = _template(client)
    assert [c.value for c in book["Đăng ký thực hiện"][1]] == HEADERS
    units = [[c.value for c in row] for row in book["Đơn vị"].iter_rows(min_row=2)]
    assert units == [["06913", "Xã Quảng Tân", "Xã"]]  # the commune merged on 1/7/2025 is not offered
    assert ["xa-2026"] in [[row[0].value] for row in book["Bộ tiêu chí"].iter_rows(min_row=2)]


def test_the_template_filled_in_loads_back_and_a_second_load_changes_nothing(client, province):
    book = _template(client)
    empty = io.BytesIO()
    book.save(empty)
    unfilled = client.post(reverse("io:enrolments_upload"), {"file": _named(empty.getvalue(), "mau.xlsx")})
    assert unfilled.status_code == 400 and "Trang tính không có dòng dữ liệu nào." in unfilled.content.decode()

    sheet = book["Đăng ký thực hiện"]
    sheet.append(["06913", "xa-2026", 2029, 2])
    filled = io.BytesIO()
    book.save(filled)
    result = _upload_and_confirm(client, filled.getvalue(), "dang-ky.xlsx")
    assert len(result.added) == 1
    assert list(Enrolment.objects.values_list("unit__code", "criteria_set__code", "target_year", "commune_group")) == [
        ("06913", "xa-2026", 2029, 2)
    ]
    # The same file again changes nothing.
    again = _upload_and_confirm(client, filled.getvalue(), "dang-ky.xlsx")
    assert (again.added, again.changed, again.unchanged) == ([], [], 1)


def test_a_csv_with_the_headers_typed_in_decomposed_vietnamese_loads_too(client, province):
    # macOS and some keyboards write "đạt" as d + combining marks: the same header to a reader.
    headers = [unicodedata.normalize("NFD", h) for h in HEADERS]
    assert headers != HEADERS
    result = _upload_and_confirm(client, write_csv(headers, [["06913", "xa-2026", "2030", ""]]), "dang-ky.csv")
    assert len(result.added) == 1
    assert Enrolment.objects.get(unit__code="06913").target_year == 2030


def test_a_commune_officer_gets_no_enrolment_template(client):
    commune = CommuneFactory(code="xa-1")
    client.force_login(account_create(username="xa", password="x", role=Role.COMMUNE_OFFICER, unit=commune))
    assert client.get(reverse("io:enrolments_template")).status_code == 403


def _named(data, name):
    upload = io.BytesIO(data)
    upload.name = name
    return upload
