import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from devdata.demo import DISTRICT_ADVANCED, MODEL
from steering.models import Dossier, DossierStatus, PlanItem


def text(response):
    """The page as a reader sees it: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_quang_tan_model_readiness_lists_exactly_what_it_still_lacks(steering_demo, client):
    client.force_login(steering_demo["bcd"])
    page = text(client.get(f"/chi-dao/ho-so/xa-quang-tan/{MODEL}/"))
    assert "Đạt 2/4 tiêu chí; 5/10 chỉ tiêu." in page
    assert "Còn 2 tiêu chí chưa đạt: 1, 4." in page
    # Indicators by code and criterion name while their official names are not loaded: "1.1 (Đạt chuẩn …)".
    lacking = re.findall(r"(\d+\.\d+) \(", page.split("Tiêu chí và chỉ tiêu chưa đạt")[1].split("Minh chứng")[0])
    assert lacking == ["1.1", "1.2", "4.1", "4.2", "4.3"]
    # The demo attaches no files, so every indicator of the set still needs its evidence.
    evidence = page.split("Chỉ tiêu chưa có minh chứng trên kết quả đã duyệt")[1].split("Điều kiện bổ sung")[0]
    assert re.findall(r"\d+\.\d+", evidence) == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"]


def test_district_advanced_readiness_shows_seven_of_nine_and_the_two_missing(steering_demo, client):
    client.force_login(steering_demo["lanhdao"])
    page = text(client.get(f"/chi-dao/ho-so/dam-ha/{DISTRICT_ADVANCED}/"))
    assert "Đạt 7/9 tiêu chí; 33/38 chỉ tiêu." in page
    assert "Còn 2 tiêu chí chưa đạt: 3, 7." in page
    assert "Xử lý hồ sơ" not in page  # leaders read only


def test_marking_a_dossier_ready_is_refused_on_the_page_while_criteria_are_unmet(steering_demo, client):
    client.force_login(steering_demo["bcd"])
    response = client.post(f"/chi-dao/ho-so/xa-quang-tan/{MODEL}/trang-thai/", {"status": "ready"}, follow=True)
    assert "Hồ sơ chưa đủ điều kiện đề nghị công nhận." in text(response)
    assert Dossier.objects.get(unit__code="xa-quang-tan").status == DossierStatus.NOT_READY


def test_a_leader_cannot_change_a_dossier(steering_demo, client):
    client.force_login(steering_demo["lanhdao"])
    assert client.post(f"/chi-dao/ho-so/dam-ha/{DISTRICT_ADVANCED}/trang-thai/", {"status": "ready"}).status_code == 403


def test_the_xlsx_summary_lists_the_blockers_and_neutralises_formulas(steering_demo, client):
    Dossier.objects.filter(unit__code="dam-ha").update(note="=HYPERLINK(1)")
    from steering.models import DossierCondition

    DossierCondition.objects.create(criteria_set=Dossier.objects.get(unit__code="dam-ha").criteria_set, text="=1+1")
    client.force_login(steering_demo["bcd"])
    response = client.get(f"/chi-dao/ho-so/dam-ha/{DISTRICT_ADVANCED}/tong-hop.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "7/9" in values and "Còn 2 tiêu chí chưa đạt: 3, 7." in values
    assert "=1+1" in values and "'=1+1" not in values
    (condition,) = [c for row in sheet.iter_rows() for c in row if c.value == "=1+1"]
    assert (condition.data_type, condition.quotePrefix) == ("s", True)


def test_every_formula_like_condition_is_a_text_cell_without_an_apostrophe(steering_demo, client):
    from steering.models import DossierCondition

    criteria_set = Dossier.objects.get(unit__code="dam-ha").criteria_set
    texts = ["=1+1", "\t=x", "\r=x", "+1", "-1", "@SUM(A1)"]
    for text in texts:
        DossierCondition.objects.create(criteria_set=criteria_set, text=text)
    client.force_login(steering_demo["bcd"])
    sheet = load_workbook(
        BytesIO(client.get(f"/chi-dao/ho-so/dam-ha/{DISTRICT_ADVANCED}/tong-hop.xlsx").content)
    ).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in texts:
        # An XML reader turns a lone carriage return into a line feed; the cell is text all the same.
        cell = cells[text.replace("\r", "\n")]
        assert (cell.data_type, cell.quotePrefix) == ("s", True), text
    assert not any(value.startswith("'") for value in cells)


def test_commune_officer_sees_only_their_communes_plan_items(steering_demo, client):
    client.force_login(steering_demo["xa_tanlap"])
    page = text(client.get("/chi-dao/"))
    assert "Xã Quảng Tân" not in page
    quang_tan_item = PlanItem.objects.filter(unit__code="xa-quang-tan").first()
    assert client.get(f"/chi-dao/nhiem-vu/{quang_tan_item.pk}/").status_code == 404
    assert client.get("/chi-dao/ke-hoach/xa-quang-tan/").status_code == 404


def test_commune_officer_cannot_edit_another_communes_item(steering_demo, client):
    client.force_login(steering_demo["xa_tanlap"])
    item = PlanItem.objects.filter(unit__code="xa-quang-tan").first()
    response = client.post(f"/chi-dao/nhiem-vu/{item.pk}/", {"action": "đổi", "status": "done"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.action != "đổi"
    assert client.post(f"/chi-dao/ke-hoach/xa-quang-tan/{MODEL}/tao-tu-chi-tieu-chua-dat/").status_code == 404


def test_commune_officer_edits_their_own_item_with_a_vietnamese_amount(steering_demo, client):
    client.force_login(steering_demo["xa_quangtan"])
    item = PlanItem.objects.filter(unit__code="xa-quang-tan", indicator__code="4.1").get()
    response = client.post(
        f"/chi-dao/nhiem-vu/{item.pk}/",
        {
            "action": "Hoàn thiện hồ sơ",
            "estimated_cost": "150.000.000",
            "status": "in_progress",
            "deadline": "2022-09-15",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.estimated_cost == 150_000_000 and item.action == "Hoàn thiện hồ sơ"


def test_a_leader_reads_plan_items_but_cannot_change_them(steering_demo, client):
    client.force_login(steering_demo["lanhdao"])
    item = PlanItem.objects.first()
    assert client.get(f"/chi-dao/nhiem-vu/{item.pk}/").status_code == 200
    assert client.post(f"/chi-dao/nhiem-vu/{item.pk}/", {"action": "x", "status": "done"}).status_code == 403
    assert client.post(f"/chi-dao/ke-hoach/xa-quang-tan/{MODEL}/tao-tu-chi-tieu-chua-dat/").status_code == 403


def test_district_plan_view_marks_overdue_items_and_items_whose_indicator_is_now_met(steering_demo, client):
    client.force_login(steering_demo["bcd"])
    page = client.get("/chi-dao/?date=2022-08-19").content.decode()
    # 1.1 and 1.2 of Quảng Tân were due 30/06/2022; 2.1 too, but it is met by the meeting.
    assert page.count('class="badge overdue"') == 3
    assert page.count("Chỉ tiêu nay đã đạt") == 1
    assert "Phòng KT-HT" not in page  # plan items of the demo are the communes' and the district's
    by_office = text(client.get("/chi-dao/?date=2022-08-19&group=office"))
    assert "BCĐ xã Quảng Tân" in by_office and "Chưa giao cơ quan phụ trách" in by_office


def test_one_click_on_the_commune_page_creates_drafts_for_uncovered_gaps(steering_demo, client):
    client.force_login(steering_demo["xa_quangtan"])
    PlanItem.objects.filter(unit__code="xa-quang-tan", indicator__code="4.3").delete()
    response = client.post(
        f"/chi-dao/ke-hoach/xa-quang-tan/{MODEL}/tao-tu-chi-tieu-chua-dat/?date=2022-08-19", follow=True
    )
    assert "Đã tạo 1 nhiệm vụ dự thảo." in text(response)
    response = client.post(
        f"/chi-dao/ke-hoach/xa-quang-tan/{MODEL}/tao-tu-chi-tieu-chua-dat/?date=2022-08-19", follow=True
    )
    assert "không tạo thêm" in text(response)


def test_works_page_shows_disbursement_and_late_works(steering_demo, client):
    client.force_login(steering_demo["lanhdao"])
    page = text(client.get("/chi-dao/cong-trinh/?date=2022-08-19"))
    # 2.050.000.000 disbursed of 3.550.000.000 approved.
    assert "3.550.000.000 đồng" in page and "2.050.000.000 đồng" in page
    assert "57,7%" in page
    assert "2/4" in page  # late: Quảng Tân (40% done, 60% of time gone), Quảng Lâm (past due)
    assert "Công trình minh hoạ (demo)" in page


@pytest.mark.parametrize("url", ["/chi-dao/", "/chi-dao/ho-so/", "/chi-dao/cong-trinh/"])
def test_a_user_without_a_unit_gets_the_no_scope_page(db, client, django_user_model, url):
    client.force_login(django_user_model.objects.create_user("nobody"))
    assert client.get(url).status_code == 403


def test_the_plans_page_lists_items_due_before_the_next_meeting(steering_demo, client):
    client.force_login(steering_demo["bcd"])
    page = text(client.get("/chi-dao/?date=2022-08-19&due=2022-09-20"))
    due = page.split("Nhiệm vụ đến hạn trước ngày 20/09/2022")[1].split("Kế hoạch thực hiện")[0]
    # Quảng Tân's 1.1, 1.2, 2.1 (30/06) and 4.1-4.3 (15/09); the district's are due 31/12.
    assert due.count("Xã Quảng Tân") == 6 and "Huyện Đầm Hà" not in due


def test_the_due_items_include_renders_for_the_brief(steering_demo):
    from datetime import date

    from django.template.loader import render_to_string

    html = render_to_string(
        "steering/_due_items.html",
        {"due_items": PlanItem.objects.due_before(date(2022, 12, 31)), "due_date": date(2022, 12, 31)},
    )
    assert html.count("<tr><td>") == 11


def test_staff_confirm_a_condition_and_the_page_says_who_and_when(steering_demo, client):
    client.force_login(steering_demo["bcd"])
    from steering.models import DossierCondition

    condition = DossierCondition.objects.filter(criteria_set__code=DISTRICT_ADVANCED).first()
    url = f"/chi-dao/ho-so/dam-ha/{DISTRICT_ADVANCED}/"
    page = text(
        client.post(f"{url}dieu-kien/{condition.pk}/", {"action": "confirm", "note": "Biên bản 12"}, follow=True)
    )
    assert "Cán bộ BCĐ huyện," in page and "Biên bản 12" in page
    assert "Còn 1 điều kiện bổ sung chưa được xác nhận." in page


def test_recording_the_decision_on_a_submitted_dossier_creates_the_recognition(steering_demo, client):
    from criteria.models import Recognition

    dossier = Dossier.objects.get(unit__code="dam-ha")
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.SUBMITTED, submitted_on="2022-09-01")
    client.force_login(steering_demo["bcd"])
    url = f"/chi-dao/ho-so/dam-ha/{DISTRICT_ADVANCED}/"
    bad = client.post(
        f"{url}cong-nhan/",
        {"decision_number": "", "decision_date": "2022-10-10", "issuer": "Thủ tướng Chính phủ"},
        follow=True,
    )
    assert "Cần đủ số quyết định" in text(bad)
    assert not Recognition.objects.filter(unit__code="dam-ha").exists()
    page = text(
        client.post(
            f"{url}cong-nhan/",
            {"decision_number": "999/QĐ-TTg", "decision_date": "2022-10-10", "issuer": "Thủ tướng Chính phủ"},
            follow=True,
        )
    )
    assert "Quyết định số 999/QĐ-TTg ngày 10/10/2022" in page
    assert Recognition.objects.get(unit__code="dam-ha").decision_number == "999/QĐ-TTg"


def test_the_xlsx_summary_of_a_unit_without_a_dossier_is_a_workbook_saying_not_ready(steering_demo, client):
    assert not Dossier.objects.filter(unit__code="xa-tan-lap", criteria_set__code=MODEL).exists()
    client.force_login(steering_demo["bcd"])
    response = client.get(f"/chi-dao/ho-so/xa-tan-lap/{MODEL}/tong-hop.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "Chưa đủ điều kiện" in values
