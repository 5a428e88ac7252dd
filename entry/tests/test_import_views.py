"""The /du-lieu/ screens and the admin's import/export buttons, as each role would use them."""

import io

import openpyxl
import pytest
from django.urls import reverse

from communes.models import AdministrativeUnit
from devdata.demo import BASIC
from records.models import AchievementRecord
from tests.io_helpers import MEETING, record_file, record_row, record_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.NTM_IMPORT_TMP_DIR = tmp_path
    return tmp_path


def _file(rows, name="ket-qua.xlsx"):
    f = record_file(rows, name=name)
    f.seek(0)
    return f


def _two_changes():
    return _file(
        [record_row("xa-quang-tan", BASIC, "2.1", "Không đạt"), record_row("xa-quang-tan", BASIC, "5.1", "Không đạt")]
    )


def _met(code, status="verified"):
    return AchievementRecord.objects.get(
        unit__code="xa-quang-tan",
        indicator__criterion__criteria_set__code=BASIC,
        indicator__code=code,
        as_of=MEETING,
        status=status,
    ).is_met


def test_the_commune_template_is_prefilled_with_the_current_values(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    response = client.get(reverse("io:record_template"), {"pair": f"xa-quang-tan|{BASIC}", "date": "2022-08-19"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mau-ket-qua-xa-quang-tan-')
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))["Kết quả"].iter_rows(values_only=True))
    assert rows[0][0] == "Mã đơn vị" and len(rows) == 1 + 57
    assert {r[7] for r in rows[1:]} == {"Đạt"}  # Quảng Tân meets every basic indicator


def test_an_officer_cannot_download_another_communes_template(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    assert client.get(reverse("io:record_template"), {"pair": f"xa-tan-lap|{BASIC}"}).status_code == 404


def test_upload_previews_then_confirm_saves_and_shows_the_new_figures(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    preview = client.post(reverse("io:records_upload"), {"unit": "xa-quang-tan", "file": _two_changes()})
    page = preview.content.decode()
    assert preview.status_code == 200 and "2 kết quả sửa" in page and "Xác nhận lưu" in page
    assert _met("2.1") is True  # nothing saved yet
    confirmed = client.post(reverse("io:records_confirm"), {"token": preview.context["token"]})
    page = confirmed.content.decode()
    assert confirmed.status_code == 200 and "Toàn bộ thay đổi đã được lưu." in page
    # A commune's file is submitted: the verified records stand until the district verifies.
    assert _met("2.1") is True
    assert _met("2.1", "submitted") is False and _met("5.1", "submitted") is False
    assert "đang chờ BCĐ huyện duyệt" in page
    assert "17/19 tiêu chí" in page  # Quảng Tân's own paragraph, as it will be once verified


def test_a_token_cannot_be_confirmed_twice_or_by_someone_else(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    token = client.post(reverse("io:records_upload"), {"unit": "xa-quang-tan", "file": _two_changes()}).context["token"]
    client.force_login(demo_accounts["xa_quangtan"])
    assert client.post(reverse("io:records_confirm"), {"token": token}).status_code == 400
    assert _met("2.1") is True
    client.force_login(demo_accounts["bcd"])
    assert client.post(reverse("io:records_confirm"), {"token": token}).status_code == 200
    assert client.post(reverse("io:records_confirm"), {"token": token}).status_code == 400


def test_a_forged_token_saves_nothing(demo_accounts, client, upload_dir):
    client.force_login(demo_accounts["xa_quangtan"])
    before = record_snapshot()
    response = client.post(reverse("io:records_confirm"), {"token": "eyJrZXkiOiIuLi9ldGMvcGFzc3dkIn0:forged"})
    assert response.status_code == 400 and "hết hạn" in response.content.decode()
    assert record_snapshot() == before


def test_the_preview_lists_row_errors_in_vietnamese(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    file = _file([record_row("xa-quang-tan", BASIC, "2.1", "Đạt"), record_row("xa-tan-lap", BASIC, "2.1", "Không đạt")])
    response = client.post(reverse("io:records_upload"), {"unit": "xa-quang-tan", "file": file})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tệp có 1 lỗi; chưa lưu gì." in page and "Xác nhận lưu" not in page
    assert '<td class="num">3</td><td>Mã đơn vị</td>' in page


def test_an_officer_cannot_aim_an_upload_at_another_commune(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    response = client.post(reverse("io:records_upload"), {"unit": "xa-tan-lap", "file": _two_changes()})
    assert response.status_code == 404


def test_leaders_see_exports_but_may_not_upload(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get(reverse("io:index")).content.decode()
    assert "Xuất dữ liệu" in page and "Tải lên và xem trước" not in page
    assert client.post(reverse("io:records_upload"), {"unit": "dam-ha", "file": _two_changes()}).status_code == 403
    assert client.get(reverse("io:summary_export", args=["xlsx"])).status_code == 200


def test_exports_stay_within_the_users_scope(demo_accounts, client):
    client.force_login(demo_accounts["xa_quangtan"])
    data = client.get(reverse("io:records_export", args=["csv"])).content.decode("utf-8-sig")
    assert "xa-quang-tan" in data and "xa-tan-lap" not in data
    assert client.get(reverse("io:records_export", args=["csv"]), {"unit": "dam-ha"}).status_code == 404
    assert client.get(reverse("io:summary_export", args=["html"])).status_code == 404


def test_an_administrator_loads_a_criteria_set_through_preview_and_confirm(demo_accounts, client, admin_user):
    from criteria.tests.test_import_sets import SET_CODE, set_file, synthetic_set_rows

    client.force_login(admin_user)
    file = set_file(synthetic_set_rows())
    file.name = "bo.xlsx"
    preview = client.post(reverse("io:set_upload"), {"file": file})
    assert preview.status_code == 200 and "47 chỉ tiêu" in preview.content.decode()
    client.post(reverse("io:set_confirm"), {"token": preview.context["token"]})
    from criteria.models import CriteriaSet

    assert CriteriaSet.objects.filter(code=SET_CODE).exists()
    for username in ("xa_quangtan", "bcd"):  # a national set is not theirs to change
        client.force_login(demo_accounts[username])
        assert client.post(reverse("io:set_upload"), {"file": set_file(synthetic_set_rows())}).status_code == 403


def test_admin_import_is_for_district_staff_not_leaders(demo_accounts, client):
    # Leaders are not staff: the admin sends them to its login; they export from /du-lieu/.
    client.force_login(demo_accounts["lanhdao"])
    assert client.get("/admin/communes/administrativeunit/import/")["Location"].startswith("/admin/login/")
    client.force_login(demo_accounts["bcd"])
    assert client.get("/admin/communes/administrativeunit/export/").status_code == 200
    response = client.get("/admin/communes/administrativeunit/import/")
    assert response.status_code == 200
    assert [label for _value, label in response.context["form"].fields["format"].choices if _value != ""] == [
        "xlsx",
        "csv",
    ]


def test_district_staff_import_units_in_the_admin(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    data = io.BytesIO("Mã đơn vị,Tên,Loại,Mã đơn vị cấp trên\nxa-moi,Xã Mới,xa,dam-ha\n".encode())
    data.name = "don-vi.csv"
    response = client.post(
        "/admin/communes/administrativeunit/import/", {"import_file": data, "format": "1", "resource": "0"}
    )
    assert response.status_code == 200 and "confirm_form" in response.context
    confirm = response.context["confirm_form"].initial
    client.post("/admin/communes/administrativeunit/process_import/", confirm)
    assert AdministrativeUnit.objects.get(code="xa-moi").parent.code == "dam-ha"


def test_the_admin_offers_only_xlsx_and_csv(demo_accounts, client):
    from django.contrib import admin

    from backoffice.admin.records import AchievementRecordAdmin
    from shared.spreadsheets import SafeCSV, SafeXLSX

    model_admin = admin.site._registry[AchievementRecord]
    assert isinstance(model_admin, AchievementRecordAdmin)
    assert model_admin.get_export_formats() == [SafeXLSX, SafeCSV]


def test_a_confirmed_full_template_with_one_change_reports_every_row_for_the_round(demo_accounts, client):
    from datetime import date

    from records.models import RecordStatus, ReportingRound
    from records.services import records_verify

    district, day = AdministrativeUnit.objects.get(code="dam-ha"), date(2022, 12, 31)
    later = ReportingRound.objects.create(
        unit=district, name="Đợt cuối năm 2022", as_of=day, deadline=date(2023, 1, 15)
    )
    client.force_login(demo_accounts["xa_quangtan"])
    template = client.get(reverse("io:record_template"), {"pair": f"xa-quang-tan|{BASIC}", "date": day.isoformat()})
    sheet = openpyxl.load_workbook(io.BytesIO(template.content))["Kết quả"]
    assert sheet.max_row == 1 + 57
    sheet.cell(row=2, column=8).value = "Không đạt"  # the one change: the first indicator
    filled = io.BytesIO()
    sheet.parent.save(filled)
    preview = client.post(
        reverse("io:records_upload"), {"unit": "xa-quang-tan", "file": _named_upload(filled.getvalue())}
    )
    assert preview.status_code == 200
    assert client.post(reverse("io:records_confirm"), {"token": preview.context["token"]}).status_code == 200

    client.force_login(demo_accounts["bcd"])
    page = client.get(reverse("entry:round_completeness", args=[later.pk])).content.decode()
    row = page.split("Xã Quảng Tân</td>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">57/57</td>' in row
    # Verified, the 56 confirmed rows keep the figures where they were and the change moves them.
    records_verify(
        records=list(AchievementRecord.objects.filter(status=RecordStatus.SUBMITTED, as_of=day)),
        user=demo_accounts["bcd"],
    )
    quang_tan = AdministrativeUnit.objects.get(code="xa-quang-tan")
    from reports.engine import summarise

    before = next(s for s in summarise(quang_tan, MEETING).sets if s.criteria_set.code == BASIC)
    after = next(s for s in summarise(quang_tan, day).sets if s.criteria_set.code == BASIC)
    assert (before.indicators_met_sum, after.indicators_met_sum) == (57, 56)
    assert AchievementRecord.objects.filter(unit=quang_tan, as_of=day, reporting_round=later).count() == 57


def _named_upload(data, name="mau-ket-qua.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_a_new_servers_administrator_is_sent_to_the_spreadsheet_page_for_units(db, client, admin_user):
    """An empty database: the administrator is told where units come from, and that page opens."""
    client.force_login(admin_user)
    overview = client.get(reverse("reports:overview"))
    assert overview.status_code == 403
    assert "Chưa có đơn vị hành chính nào" in overview.content.decode()
    page = client.get(reverse("io:index"))
    assert page.status_code == 200
    assert 'id="set-import"' in page.content.decode() and 'id="exports"' not in page.content.decode()


def test_a_user_without_a_unit_still_gets_no_spreadsheet_page(db, client, django_user_model):
    user = django_user_model.objects.create_user(username="khong-don-vi", password="x")
    client.force_login(user)
    response = client.get(reverse("io:index"))
    assert response.status_code == 403
    assert "Chưa có đơn vị hành chính nào" not in response.content.decode()
