"""The admin's imports (django-import-export) read cells with the site's parsers and files with its
limits: 01/07/2025 is 1 July, a Vietnamese Excel's CSV is read, and a bad file says why in Vietnamese."""

import io
from datetime import date

import pytest

from communes.models import AdministrativeUnit
from shared import tabular
from tests.io_helpers import csv_file

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["Mã đơn vị", "Tên", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"]
CSV, XLSX = "1", "0"


def _csv(rows, **kwargs):
    return csv_file(rows, headers=UNIT_HEADERS, name="don-vi.csv", **kwargs)


def _preview(client, file, fmt=CSV):
    return client.post(
        "/admin/communes/administrativeunit/import/", {"import_file": file, "format": fmt, "resource": "0"}
    )


def _import(client, file, fmt=CSV):
    response = _preview(client, file, fmt)
    assert response.status_code == 200 and "confirm_form" in response.context, _problems(response)
    client.post("/admin/communes/administrativeunit/process_import/", response.context["confirm_form"].initial)


def _problems(response):
    form_errors = response.context["form"].errors if "form" in response.context else {}
    result = response.context.get("result")
    invalid = [row.error_dict for row in result.invalid_rows] if result else []
    return form_errors, invalid


@pytest.fixture
def staff_client(client, demo_accounts):
    client.force_login(demo_accounts["bcd"])
    return client


def test_a_date_typed_day_first_is_read_day_first(staff_client):
    _import(staff_client, _csv([["xa-moi", "Xã Mới", "xa", "dam-ha", "01/07/2025"]]))
    assert AdministrativeUnit.objects.get(code="xa-moi").valid_from == date(2025, 7, 1)


def test_a_day_past_twelve_is_accepted(staff_client):
    _import(staff_client, _csv([["xa-moi", "Xã Mới", "xa", "dam-ha", "13/07/2025"]]))
    assert AdministrativeUnit.objects.get(code="xa-moi").valid_from == date(2025, 7, 13)


def test_an_impossible_date_is_refused_in_vietnamese(staff_client):
    response = _preview(staff_client, _csv([["xa-moi", "Xã Mới", "xa", "dam-ha", "31/02/2025"]]))
    _form, [invalid] = _problems(response)
    assert invalid["valid_from"] == ["Ngày “31/02/2025” không có thật."]
    assert not AdministrativeUnit.objects.filter(code="xa-moi").exists()


def test_the_kind_may_be_given_by_its_vietnamese_label_and_text_is_normalised(staff_client):
    import unicodedata

    _import(staff_client, _csv([["xa-moi", unicodedata.normalize("NFD", "Xã  Mới"), "Xã", "dam-ha", ""]]))
    unit = AdministrativeUnit.objects.get(code="xa-moi")
    assert (unit.kind, unit.name) == ("xa", "Xã Mới")


def test_a_semicolon_separated_csv_is_read(staff_client):
    _import(staff_client, _csv([["xa-moi", "Xã Mới", "xa", "dam-ha", "01/07/2025"]], delimiter=";"))
    assert AdministrativeUnit.objects.get(code="xa-moi").parent.code == "dam-ha"


def test_a_csv_in_windows_1258_is_refused_with_the_reason_in_vietnamese(staff_client):
    response = _preview(staff_client, _csv([["xa-moi", "Xã Mới", "xa", "dam-ha", ""]], encoding="cp1258"))
    form_errors, _invalid = _problems(response)
    [message] = form_errors["import_file"]
    assert message.startswith("Tệp CSV không được lưu bằng bảng mã UTF-8")
    assert not AdministrativeUnit.objects.filter(code="xa-moi").exists()


def test_an_unknown_parent_code_is_named_in_vietnamese(staff_client):
    response = _preview(staff_client, _csv([["xa-moi", "Xã Mới", "xa", "khong-co", ""]]))
    _form, [invalid] = _problems(response)
    assert invalid["parent"] == ["Không có đơn vị mã “khong-co”."]


def test_a_file_over_the_admin_row_limit_is_refused_before_any_row_is_checked(staff_client, settings):
    settings.NTM_ADMIN_IMPORT_MAX_ROWS = 2
    rows = [[f"xa-moi-{n}", f"Xã Mới {n}", "xa", "dam-ha", ""] for n in range(3)]
    response = _preview(staff_client, _csv(rows))
    form_errors, _invalid = _problems(response)
    assert form_errors["import_file"] == [
        "Tệp có hơn 2 dòng dữ liệu; mỗi lần chỉ nhập được tối đa 2 dòng dữ liệu. Hãy chia thành nhiều tệp nhỏ hơn."
    ]


def test_an_xlsx_over_the_admin_row_limit_is_refused(staff_client, settings):
    from shared.spreadsheets import write_xlsx

    settings.NTM_ADMIN_IMPORT_MAX_ROWS = 2
    data = io.BytesIO(
        write_xlsx([("Đơn vị", UNIT_HEADERS, [[f"xa-moi-{n}", "Xã", "xa", "dam-ha", None] for n in range(3)])])
    )
    data.name = "don-vi.xlsx"
    form_errors, _invalid = _problems(_preview(staff_client, data, fmt=XLSX))
    assert "tối đa 2 dòng dữ liệu" in form_errors["import_file"][0]


def test_checking_stops_after_the_error_limit_and_the_stop_is_shown(staff_client, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ERRORS", 3)
    rows = [[f"xa-moi-{n}", "Xã", "xa", "khong-co", ""] for n in range(8)]
    response = _preview(staff_client, _csv(rows))
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [1, 2, 3, 4]
    assert "Đã dừng kiểm tra ở dòng 4 sau 3 dòng có lỗi" in str(result.invalid_rows[-1].error)
    assert "confirm_form" not in response.context
    assert not AdministrativeUnit.objects.filter(code__startswith="xa-moi").exists()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_date_fields_of_forms_read_dates_day_first(language):
    """The admin's change forms: Django's default input formats read 01/07/2025 as 7 January."""
    from django import forms
    from django.utils import translation

    with translation.override(language):
        assert forms.DateField().clean("01/07/2025") == date(2025, 7, 1)
        assert forms.DateField().clean("2025-07-01") == date(2025, 7, 1)
        assert forms.DateField().widget.format_value(date(2022, 8, 19)) == "19/08/2022"
