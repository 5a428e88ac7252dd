"""The Django admin is a door for administrators and district (or province) staff only, and shows
each of them only what their scope allows. One test per finding of the security review."""

import pytest
from django.contrib.auth import get_user_model

from criteria.models import CriteriaSet, Enrolment, Indicator, Threshold
from notices.models import Notification
from records.models import AchievementRecord, RecordStatus
from steering.models import DossierCondition
from tests.security.conftest import NATIONAL_SET, PROVINCIAL_SET, mark
from tests.security.forms import form_data, forms_of


def _verified_record(code):
    return AchievementRecord.objects.filter(unit__code=code, status=RecordStatus.VERIFIED).order_by("pk").first()


def test_every_admin_screen_asks_the_access_module(db):
    from django.contrib import admin

    from accounts.access import AdminAccess, HistoryAccess

    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AdminAccess), model
        if hasattr(model_admin, "history_form_view"):  # django-simple-history's views
            assert isinstance(model_admin, HistoryAccess), model
        for inline in model_admin.inlines:
            assert inline.__mro__[1].__name__ == "InlineAccess", inline


def test_login_records_stay_read_only_for_administrators(site, client):
    client.force_login(site["quantri"])
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.get("/admin/axes/accessattempt/add/").status_code == 403


def test_commune_officers_and_leaders_are_not_staff_and_cannot_enter_the_admin(site, client):
    staff = {u.username for u in get_user_model().objects.filter(is_staff=True)}
    assert staff == {"bcd", "bcd_tinh", "bcd_khac", "quantri"}
    for username in ("xa_quangtan", "xa_tanlap", "lanhdao"):
        client.force_login(site[username])
        response = client.get("/admin/records/achievementrecord/")
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), username
        # Their own pages still work.
        assert client.get("/").status_code == 200


def test_the_admin_refuses_an_officer_even_if_someone_ticked_staff_by_hand(site, client):
    officer = site["xa_quangtan"]
    get_user_model().objects.filter(pk=officer.pk).update(is_staff=True)
    client.force_login(officer)
    response = client.get("/admin/records/achievementrecord/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_commune_officer_cannot_rewrite_a_verified_record_through_its_history_form(site, client, admin_client):
    record = _verified_record("xa-quang-tan")
    version = record.history.order_by("history_id").first()
    url = f"/admin/records/achievementrecord/{record.pk}/history/{version.history_id}/"
    data = form_data(admin_client.get(url).content.decode(), "historicalachievementrecord_form")
    data.update(status="submitted", value_bool="false", note="viết lại")
    client.force_login(site["xa_quangtan"])

    client.post(url, data)

    after = AchievementRecord.objects.get(pk=record.pk)
    assert (after.status, after.value_bool, after.note) == (record.status, record.value_bool, record.note)


@pytest.mark.parametrize("username", ["bcd", "quantri"])
def test_history_forms_never_save_not_even_for_staff_or_administrators(site, client, admin_client, username):
    record = _verified_record("xa-quang-tan")
    version = record.history.order_by("history_id").first()
    url = f"/admin/records/achievementrecord/{record.pk}/history/{version.history_id}/"
    page = admin_client.get(url)
    assert page.status_code == 200  # the old version can still be read
    data = form_data(page.content.decode(), "historicalachievementrecord_form")
    data.update(value_bool="false", note="khôi phục bản cũ")
    client.force_login(site[username])

    response = client.post(url, data)

    assert response.status_code == 403
    after = AchievementRecord.objects.get(pk=record.pk)
    assert (after.value_bool, after.note, after.version) == (record.value_bool, record.note, record.version)


def test_district_staff_cannot_read_the_history_of_another_districts_record(site, client):
    record = _verified_record("xa-khac")
    client.force_login(site["bcd"])
    hid = record.history.order_by("history_id").first().history_id
    for url in (
        f"/admin/records/achievementrecord/{record.pk}/history/",
        f"/admin/records/achievementrecord/{record.pk}/history/{hid}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert mark("xa-khac") not in response.content.decode()


@pytest.mark.parametrize("username", ["xa_quangtan", "xa_tanlap", "lanhdao", "bcd", "bcd_khac"])
def test_only_administrators_read_the_sent_reminders(site, client, username):
    assert Notification.objects.filter(subject__contains=mark("xa-tan-lap")).exists()
    client.force_login(site[username])
    response = client.get("/admin/notices/notification/")
    assert response.status_code in (302, 403)
    assert "DANHDAU" not in response.content.decode()
    note = Notification.objects.get(subject__contains=mark("xa-tan-lap"))
    assert client.get(f"/admin/notices/notification/{note.pk}/change/").status_code in (302, 403, 404)


def test_an_administrator_reads_the_sent_reminders(site, client):
    client.force_login(site["quantri"])
    page = client.get("/admin/notices/notification/").content.decode()
    assert mark("xa-tan-lap") in page and mark("xa-khac") in page


def test_the_plan_item_office_filter_lists_only_offices_in_scope(site, client):
    client.force_login(site["bcd"])
    page = client.get("/admin/steering/planitem/").content.decode()
    assert "BCĐ xã Quảng Tân" in page
    assert "Ban chỉ đạo xã Khác" not in page


def test_the_plan_item_form_offers_only_offices_in_scope(site, client):
    from steering.models import PlanItem

    item = PlanItem.objects.filter(unit__code="xa-quang-tan").first()
    client.force_login(site["bcd"])
    page = client.get(f"/admin/steering/planitem/{item.pk}/change/").content.decode()
    assert "BCĐ xã Quảng Tân" in page
    assert "Ban chỉ đạo xã Khác" not in page


def _national_rows():
    indicator = Indicator.objects.get(criterion__criteria_set__code=NATIONAL_SET)
    condition = DossierCondition.objects.get(criteria_set__code=NATIONAL_SET)
    return {
        "criteria/criteriaset": CriteriaSet.objects.get(code=NATIONAL_SET).pk,
        "criteria/criterion": indicator.criterion_id,
        "criteria/indicator": indicator.pk,
        "steering/dossiercondition": condition.pk,
    }


def _snapshot():
    return (
        list(CriteriaSet.objects.values_list("pk", "name", "note").order_by("pk")),
        list(Indicator.objects.values_list("pk", "name", "code", "kind").order_by("pk")),
        list(Threshold.objects.values_list("pk", "value").order_by("pk")),
        list(DossierCondition.objects.values_list("pk", "text").order_by("pk")),
    )


@pytest.mark.parametrize("username", ["bcd", "bcd_tinh"])
@pytest.mark.parametrize(
    "model", ["criteria/criteriaset", "criteria/criterion", "criteria/indicator", "steering/dossiercondition"]
)
def test_staff_read_but_cannot_change_national_reference_data(site, client, admin_client, username, model):
    pk = _national_rows()[model]
    url = f"/admin/{model}/{pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), f"{model.split('/')[1]}_form")
    for field in ("name", "text", "note"):
        if field in data:
            data[field] = "Đổi bởi cán bộ"
    for key in [k for k in data if k.startswith("thresholds-") and k.endswith("-value")]:
        data[key] = "1"
    before = _snapshot()
    client.force_login(site[username])
    page = client.get(url)
    assert page.status_code == 200  # everyone reads the sets
    assert 'name="_save"' not in page.content.decode()

    response = client.post(url, data)

    assert response.status_code == 403
    assert _snapshot() == before
    assert client.get(f"/admin/{model}/{pk}/delete/").status_code == 403
    # Adding is for owners of a set: province staff may add to their own province's set.
    if username == "bcd":
        assert client.get(f"/admin/{model}/add/").status_code == 403


def test_province_staff_change_their_own_provinces_set(site, client, admin_client):
    criteria_set = CriteriaSet.objects.get(code=PROVINCIAL_SET)
    url = f"/admin/criteria/criteriaset/{criteria_set.pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), "criteriaset_form")
    data["note"] = "Tỉnh ghi chú"
    client.force_login(site["bcd_tinh"])
    assert client.post(url, data).status_code == 302
    assert CriteriaSet.objects.get(pk=criteria_set.pk).note == "Tỉnh ghi chú"


@pytest.mark.parametrize("username", ["bcd", "bcd_khac"])
def test_district_staff_cannot_change_their_provinces_set(site, client, admin_client, username):
    criteria_set = CriteriaSet.objects.get(code=PROVINCIAL_SET)
    url = f"/admin/criteria/criteriaset/{criteria_set.pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), "criteriaset_form")
    data["note"] = "Huyện ghi chú"
    client.force_login(site[username])
    assert client.post(url, data).status_code == 403
    assert CriteriaSet.objects.get(pk=criteria_set.pk).note == ""


def test_province_staff_cannot_turn_their_set_into_a_national_one(site, client, admin_client):
    criteria_set = CriteriaSet.objects.get(code=PROVINCIAL_SET)
    url = f"/admin/criteria/criteriaset/{criteria_set.pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), "criteriaset_form")
    data.update(scope="national", province="")
    client.force_login(site["bcd_tinh"])
    response = client.post(url, data)
    assert response.status_code == 200  # the form comes back with the reason
    assert CriteriaSet.objects.get(pk=criteria_set.pk).scope == "provincial"


def test_an_administrator_changes_a_national_threshold(site, client, admin_client):
    pk = _national_rows()["criteria/indicator"]
    url = f"/admin/criteria/indicator/{pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), "indicator_form")
    key = next(k for k in data if k.startswith("thresholds-") and k.endswith("-value"))
    data[key] = "1"
    client.force_login(site["quantri"])
    assert client.post(url, data).status_code == 302
    assert Threshold.objects.filter(indicator_id=pk, value=1).exists()


def test_district_staff_cannot_load_a_national_set_from_a_workbook(site, client):
    from reports import exports

    workbook = exports.criteria_set_workbook(CriteriaSet.objects.get(code=NATIONAL_SET))
    before = _snapshot()
    client.force_login(site["bcd"])
    response = client.post("/du-lieu/bo-tieu-chi/nhap/", {"file": _upload(workbook)})
    assert response.status_code == 403
    assert _snapshot() == before


def test_province_staff_cannot_load_a_national_set_but_may_load_their_own(site):
    from records.services import criteria_set_import
    from reports import exports

    staff = site["bcd_tinh"]
    national = criteria_set_import(
        file=_upload(exports.criteria_set_workbook(CriteriaSet.objects.get(code=NATIONAL_SET))),
        dry_run=True,
        user=staff,
    )
    assert not national.ok
    assert "quản trị hệ thống" in " ".join(e.message for e in national.errors)
    own = criteria_set_import(
        file=_upload(exports.criteria_set_workbook(CriteriaSet.objects.get(code=PROVINCIAL_SET))),
        dry_run=True,
        user=staff,
    )
    assert own.ok, own.errors


def _upload(data, name="bo-tieu-chi.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_enrolment_history_page_opens(site, client):
    enrolment = Enrolment.objects.filter(unit__code="xa-quang-tan").first()
    client.force_login(site["bcd"])
    assert client.get(f"/admin/criteria/enrolment/{enrolment.pk}/history/").status_code == 200


def test_district_staff_change_the_communes_of_their_district_but_not_the_district_itself(site, client, admin_client):
    from communes.models import AdministrativeUnit

    client.force_login(site["bcd"])
    for code, allowed in (("xa-quang-tan", True), ("dam-ha", False)):
        unit = AdministrativeUnit.objects.get(code=code)
        url = f"/admin/communes/administrativeunit/{unit.pk}/change/"
        data = form_data(admin_client.get(url).content.decode(), "administrativeunit_form")
        data["name"] = "Đổi tên"
        response = client.post(url, data)
        assert response.status_code == (302 if allowed else 403), code
        assert (AdministrativeUnit.objects.get(pk=unit.pk).name == "Đổi tên") == allowed


def test_the_admin_autocomplete_offers_district_staff_only_their_units(site, client):
    client.force_login(site["bcd"])
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "records", "model_name": "achievementrecord", "field_name": "unit", "term": "Khác"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == []
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "records", "model_name": "achievementrecord", "field_name": "unit", "term": "Quảng"},
    )
    assert "Xã Quảng Tân" in [r["text"] for r in response.json()["results"]]


def test_record_export_in_the_admin_holds_only_the_users_scope(site, client):
    client.force_login(site["bcd"])
    page = client.get("/admin/records/achievementrecord/export/").content.decode()
    data = next(f for f in forms_of(page) if f.method == "post" and "format" in f.data()).data()
    data["format"] = "1"  # csv
    response = client.post("/admin/records/achievementrecord/export/", data)
    body = response.content.decode(errors="ignore")
    assert response.status_code == 200
    assert "xa-quang-tan" in body and "xa-khac" not in body


SET_HEADER = "Mã bộ tiêu chí,Tên bộ tiêu chí,Áp dụng cho,Mức,Từ năm,Đến năm,Số quyết định,Ngày quyết định,Phạm vi,Mã tỉnh ban hành,Minh hoạ,Ghi chú\n"


def _set_csv(row):
    import io

    data = io.BytesIO((SET_HEADER + row + "\n").encode())
    data.name = "bo-tieu-chi.csv"
    return data


@pytest.mark.parametrize(
    "row",
    [
        f"{NATIONAL_SET},Đổi tên,commune,basic,2021,2025,,,national,,1,",  # a national set
        f"{PROVINCIAL_SET},Đổi tên,commune,basic,2021,2025,,,national,,1,",  # own set made national
        "qn-bo-moi,Bộ mới,commune,basic,2021,2025,,,provincial,huyen-khac,1,",  # another unit's set
    ],
)
def test_province_staff_cannot_import_a_set_they_do_not_own_in_the_admin(site, client, row):
    before = _snapshot()
    client.force_login(site["bcd_tinh"])
    response = client.post(
        "/admin/criteria/criteriaset/import/", {"import_file": _set_csv(row), "format": "1", "resource": "0"}
    )
    assert response.status_code == 200
    assert "không thuộc quyền quản lý" in response.content.decode()
    assert "confirm_form" not in (response.context or {})
    assert _snapshot() == before
    assert not CriteriaSet.objects.filter(code="qn-bo-moi").exists()


def test_province_staff_import_their_own_set_in_the_admin(site, client):
    client.force_login(site["bcd_tinh"])
    row = f"{PROVINCIAL_SET},Tên mới của tỉnh,commune,basic,2021,2025,,,provincial,quang-ninh,1,"
    response = client.post(
        "/admin/criteria/criteriaset/import/", {"import_file": _set_csv(row), "format": "1", "resource": "0"}
    )
    assert "confirm_form" in response.context
    client.post("/admin/criteria/criteriaset/process_import/", response.context["confirm_form"].initial)
    assert CriteriaSet.objects.get(code=PROVINCIAL_SET).name == "Tên mới của tỉnh"


def test_district_staff_have_no_set_import_in_the_admin(site, client):
    client.force_login(site["bcd"])
    assert client.get("/admin/criteria/criteriaset/import/").status_code == 403


def test_a_bulk_delete_of_rows_one_may_only_read_is_refused(site, client):
    from communes.models import AdministrativeUnit
    from records.models import ReportingRound

    province_round = ReportingRound.objects.create(
        unit=AdministrativeUnit.objects.get(code="quang-ninh"),
        name="Đợt của tỉnh (kiểm thử)",
        as_of="2022-12-31",
        deadline="2023-01-15",
    )
    client.force_login(site["bcd"])
    assert "Đợt của tỉnh" in client.get("/admin/records/reportinground/").content.decode()  # it applies to them
    response = client.post(
        "/admin/records/reportinground/",
        {"action": "delete_selected", "_selected_action": [province_round.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert ReportingRound.objects.filter(pk=province_round.pk).exists()
