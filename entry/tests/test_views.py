"""The workflow screens, as each role meets them: scope is decided on the server, from the
account, for every page, form, download and admin action."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from records.models import AchievementRecord, Evidence, RecordStatus, ReportingRound
from records.services import Entry, entry_save
from tests.workflow_helpers import ADVANCED, MEETING, advanced_indicator, submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _entry_url(unit_code, number=13, reporting_round=None):
    url = f"/nhap-lieu/{unit_code}/{ADVANCED}/{number}/"
    return url + (f"?round={reporting_round.pk}" if reporting_round else "")


def _form_data(unit_code, number=13, action="submit", **values):
    """POST data for the whole criterion: every indicator's version as the page would show it,
    and the given values ({"13.7": "yes"})."""
    data = {"action": action}
    criterion = advanced_indicator(f"{number}.1").criterion
    for indicator in criterion.indicators.all():
        pending = (
            AchievementRecord.objects.filter(unit__code=unit_code, indicator=indicator, as_of=MEETING).pending().first()
        )
        prefix = f"i{indicator.pk}"
        data[f"{prefix}-version"] = pending.version if pending else 0
        if indicator.code in values:
            data[f"{prefix}-value"] = values[indicator.code]
    return data


def _snapshot():
    return sorted(
        AchievementRecord.objects.values_list("pk", "status", "value_bool", "value_number", "note", "version")
    )


def _tan_lap_record():
    return AchievementRecord.objects.get(unit__code="xa-tan-lap", indicator=advanced_indicator("13.7"), as_of=MEETING)


def test_quang_tan_officer_cannot_read_or_change_tan_lap_records(demo_accounts, meeting_round, client):
    client.force_login(demo_accounts["xa_quangtan"])
    before = _snapshot()
    record = _tan_lap_record()

    assert client.get(_entry_url("xa-tan-lap", reporting_round=meeting_round)).status_code == 404
    assert client.get("/nhap-lieu/xa-tan-lap/").status_code == 404
    response = client.post(
        _entry_url("xa-tan-lap", reporting_round=meeting_round), _form_data("xa-tan-lap", **{"13.7": "no"})
    )
    assert response.status_code == 404
    assert client.get(f"/ket-qua/xa-tan-lap/{record.indicator_id}/2022-08-19/").status_code == 404
    # The admin is not a door for commune officers at all: every admin URL sends them to its login.
    change_url = reverse("admin:records_achievementrecord_change", args=[record.pk])
    forged = {"unit": record.unit_id, "indicator": record.indicator_id, "as_of": "2022-08-19", "value_bool": "false"}
    for response in (
        client.get("/admin/records/achievementrecord/?q=tan-lap"),
        client.get(change_url),
        client.get(reverse("admin:records_achievementrecord_history", args=[record.pk])),
        client.post(change_url, forged),
        client.post(
            reverse("admin:records_achievementrecord_add"),
            {**forged, "status": "draft", "reporting_round": meeting_round.pk},
        ),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        assert "Tân Lập" not in response.content.decode()

    assert _snapshot() == before


def test_another_communes_evidence_is_not_downloadable(demo_accounts, meeting_round, client):
    officer = demo_accounts["xa_tanlap"]
    (record,) = entry_save(
        unit=officer.profile.unit,
        reporting_round=meeting_round,
        entries=[
            Entry(indicator=advanced_indicator("13.7"), value_bool=False, files=[SimpleUploadedFile("bb.pdf", PDF)])
        ],
        submit=True,
        user=officer,
    )
    evidence = record.evidence.get()
    url = reverse("entry:evidence", args=[evidence.pk])

    client.force_login(demo_accounts["xa_quangtan"])
    assert client.get(url).status_code == 404
    for username in ["xa_tanlap", "bcd", "lanhdao"]:
        client.force_login(demo_accounts[username])
        response = client.get(url)
        assert response.status_code == 200, username
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 -- no public URL exists for evidence


def test_leader_reads_everything_and_changes_nothing(demo_accounts, meeting_round, client):
    (submitted,) = submit(demo_accounts["xa_quangtan"], meeting_round, ["13.7"])
    client.force_login(demo_accounts["lanhdao"])
    before = _snapshot()
    for code in ["xa-quang-tan", "xa-tan-lap"]:
        page = client.get(_entry_url(code, reporting_round=meeting_round))
        assert page.status_code == 200
        assert "Gửi huyện duyệt" not in page.content.decode()
        assert (
            client.post(_entry_url(code, reporting_round=meeting_round), _form_data(code, **{"13.7": "no"})).status_code
            == 403
        )
    assert client.get(f"/ket-qua/xa-tan-lap/{advanced_indicator('13.7').pk}/2022-08-19/").status_code == 200
    assert client.get(reverse("entry:round_completeness", args=[meeting_round.pk])).status_code == 200
    assert client.get(reverse("entry:queue")).status_code == 403
    assert client.post(reverse("entry:queue"), {"record": submitted.pk}).status_code == 403
    assert (
        client.post(reverse("entry:record_return", args=[submitted.pk]), {"reason": "x", "version": 1}).status_code
        == 403
    )
    assert client.post(reverse("entry:round_toggle", args=[meeting_round.pk])).status_code == 403
    assert client.get(reverse("accounts:officers")).status_code == 403
    record = _tan_lap_record()
    change_url = reverse("admin:records_achievementrecord_change", args=[record.pk])
    # Leaders read on the site's pages; the admin sends them to its login.
    assert client.get(change_url)["Location"].startswith("/admin/login/")
    assert client.post(change_url, {"unit": record.unit_id, "value_bool": "false"})["Location"].startswith(
        "/admin/login/"
    )
    assert _snapshot() == before
    meeting_round.refresh_from_db()
    assert meeting_round.is_open


def test_officer_submits_a_criterion_with_evidence_from_the_form(demo_accounts, meeting_round, client):
    client.force_login(demo_accounts["xa_quangtan"])
    page = client.get(_entry_url("xa-quang-tan", reporting_round=meeting_round)).content.decode()
    assert "Lưu nháp" in page and "Gửi huyện duyệt" in page
    indicator = advanced_indicator("13.7")
    data = _form_data("xa-quang-tan", **{"13.7": "yes"})
    data[f"i{indicator.pk}-note"] = "HTX đã thành lập"
    data[f"i{indicator.pk}-files"] = [
        SimpleUploadedFile("quyet-dinh.pdf", PDF),
        SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
    ]

    response = client.post(_entry_url("xa-quang-tan", reporting_round=meeting_round), data, follow=True)

    assert "Đã gửi 1 chỉ tiêu để huyện duyệt." in response.content.decode()
    record = AchievementRecord.objects.pending().get(unit__code="xa-quang-tan", indicator=indicator)
    assert (record.status, record.value_bool, record.note, record.reporting_round) == (
        RecordStatus.SUBMITTED,
        True,
        "HTX đã thành lập",
        meeting_round,
    )
    assert sorted(record.evidence.values_list("original_name", flat=True)) == ["anh.png", "quyet-dinh.pdf"]


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"), "không đúng với loại .pdf"),
        (SimpleUploadedFile("script.exe", b"MZ\x90\x00"), "chỉ nhận PDF"),
    ],
)
def test_evidence_of_the_wrong_type_is_refused_and_nothing_saved(demo_accounts, meeting_round, client, upload, message):
    client.force_login(demo_accounts["xa_quangtan"])
    indicator = advanced_indicator("13.7")
    data = _form_data("xa-quang-tan", **{"13.7": "yes"})
    data[f"i{indicator.pk}-files"] = [upload]
    response = client.post(_entry_url("xa-quang-tan", reporting_round=meeting_round), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AchievementRecord.objects.pending().exists()
    assert not Evidence.objects.exists()


def test_evidence_over_the_size_limit_is_refused(demo_accounts, meeting_round, client, settings):
    settings.NTM_EVIDENCE_MAX_BYTES = 1000
    client.force_login(demo_accounts["xa_quangtan"])
    indicator = advanced_indicator("13.7")
    data = _form_data("xa-quang-tan", **{"13.7": "yes"})
    data[f"i{indicator.pk}-files"] = [SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000)]
    response = client.post(_entry_url("xa-quang-tan", reporting_round=meeting_round), data)
    assert "quá lớn" in response.content.decode()
    assert not AchievementRecord.objects.pending().exists()


def test_stale_form_is_refused_with_the_current_value_and_the_newer_value_kept(demo_accounts, meeting_round, client):
    url = _entry_url("xa-quang-tan", reporting_round=meeting_round)
    client.force_login(demo_accounts["xa_quangtan"])
    opened = _form_data("xa-quang-tan", **{"13.7": "yes"})  # the officer opens the form
    # Meanwhile district staff save a draft for the commune.
    submit(
        demo_accounts["bcd"],
        meeting_round,
        ["13.7"],
        value=False,
        submit=False,
        unit=demo_accounts["xa_quangtan"].profile.unit,
        note="BCĐ rà soát",
    )
    response = client.post(url, opened, follow=True)
    page = response.content.decode()
    assert "vừa được bcd cập nhật" in page
    assert "giá trị hiện tại là “Không đạt”" in page
    kept = AchievementRecord.objects.pending().get(unit__code="xa-quang-tan", indicator=advanced_indicator("13.7"))
    assert (kept.value_bool, kept.note, kept.status) == (False, "BCĐ rà soát", RecordStatus.DRAFT)


def test_closed_round_page_is_read_only_and_refuses_a_post(demo_accounts, meeting_round, client):
    client.force_login(demo_accounts["bcd"])
    client.post(reverse("entry:round_toggle", args=[meeting_round.pk]))
    meeting_round.refresh_from_db()
    assert not meeting_round.is_open

    client.force_login(demo_accounts["xa_quangtan"])
    url = _entry_url("xa-quang-tan", reporting_round=meeting_round)
    page = client.get(url).content.decode()
    assert "Đợt báo cáo đã đóng" in page
    assert "Gửi huyện duyệt" not in page
    response = client.post(url, _form_data("xa-quang-tan", **{"13.7": "yes"}), follow=True)
    assert "không sửa được số liệu" in response.content.decode()
    assert not AchievementRecord.objects.pending().exists()

    client.force_login(demo_accounts["bcd"])
    client.post(reverse("entry:round_toggle", args=[meeting_round.pk]))
    client.force_login(demo_accounts["xa_quangtan"])
    client.post(url, _form_data("xa-quang-tan", **{"13.7": "yes"}))
    assert AchievementRecord.objects.pending().filter(status=RecordStatus.SUBMITTED).count() == 1


def test_district_verifies_from_the_queue_and_the_overview_figure_changes(demo_accounts, meeting_round, client):
    records = submit(demo_accounts["xa_quangtan"], meeting_round, ["13.7", "17.3", "17.9"])
    client.force_login(demo_accounts["bcd"])
    assert "15,16/19" in client.get("/").content.decode()
    queue = client.get(reverse("entry:queue")).content.decode()
    assert queue.count('name="record"') == 3

    response = client.post(reverse("entry:queue"), {"record": [r.pk for r in records]}, follow=True)

    assert "Đã duyệt 3 kết quả." in response.content.decode()
    assert "không có số liệu nào chờ duyệt" in response.content.decode().lower()
    assert "15,5/19" in client.get("/").content.decode()  # 93/6 criteria met


def test_commune_officer_sees_a_returned_record_and_district_staff_return_with_a_reason(
    demo_accounts, meeting_round, client
):
    (record,) = submit(demo_accounts["xa_quangtan"], meeting_round, ["13.7"])
    client.force_login(demo_accounts["bcd"])
    url = reverse("entry:record_return", args=[record.pk])
    response = client.post(url, {"reason": "", "version": record.version}, follow=True)
    assert "Hãy ghi lý do" in response.content.decode()
    response = client.post(url, {"reason": "Thiếu quyết định thành lập HTX", "version": record.version}, follow=True)
    page = response.content.decode()
    assert "Đã trả lại kết quả cho xã." in page
    assert "Thiếu quyết định thành lập HTX" in page  # the record page, history included

    client.force_login(demo_accounts["xa_quangtan"])
    page = client.get(_entry_url("xa-quang-tan", reporting_round=meeting_round)).content.decode()
    assert "Huyện trả lại" in page and "Thiếu quyết định thành lập HTX" in page


def test_record_page_shows_the_history_with_user_and_time(demo_accounts, meeting_round, client):
    (record,) = submit(demo_accounts["xa_quangtan"], meeting_round, ["13.7"], note="lần 1")
    client.force_login(demo_accounts["bcd"])
    client.post(reverse("entry:queue"), {"record": [record.pk]})
    page = client.get(f"/ket-qua/xa-quang-tan/{record.indicator_id}/2022-08-19/").content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == 4  # loaded by the demo, submitted, old value replaced, verified
    assert "xa_quangtan" in page and "bcd" in page and "(hệ thống)" in page
    assert "lần 1" in page


def test_district_staff_open_a_round_and_see_who_has_not_reported(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = client.post(
        reverse("entry:rounds"), {"name": "Đợt cuối năm 2022", "as_of": "2022-12-31", "deadline": "2023-01-15"}
    )
    assert response.status_code == 302
    new_round = ReportingRound.objects.get(as_of=date(2022, 12, 31))
    assert new_round.unit.code == "dam-ha" and new_round.is_open
    submit(demo_accounts["xa_quangtan"], new_round, ["13.7"])

    page = client.get(reverse("entry:round_completeness", args=[new_round.pk])).content.decode()

    assert page.count("<tr>") == 1 + 8 + 6 + 4 + 1  # header + one row per enrolment
    assert page.count(">1/75<") == 1  # Quảng Tân reported one advanced indicator
    assert page.count(">0/75<") == 5  # the other five advanced communes nothing yet
    assert page.count(">0/57<") == 8


def test_round_deadline_before_its_date_is_refused(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    response = client.post(reverse("entry:rounds"), {"name": "Sai", "as_of": "2022-12-31", "deadline": "2022-12-01"})
    assert "Hạn nộp không được trước ngày tính số liệu." in response.content.decode()
    assert not ReportingRound.objects.filter(name="Sai").exists()


def test_commune_officer_cannot_open_the_queue_or_manage_rounds(demo_accounts, meeting_round, client):
    client.force_login(demo_accounts["xa_quangtan"])
    assert client.get(reverse("entry:queue")).status_code == 403
    assert client.post(reverse("entry:round_toggle", args=[meeting_round.pk])).status_code == 403
    response = client.post(reverse("entry:rounds"), {"name": "x", "as_of": "2023-01-01", "deadline": "2023-01-02"})
    assert response.status_code == 403
    assert ReportingRound.objects.count() == 2


def test_officers_enter_records_on_the_entry_form_not_in_the_admin(demo_accounts, meeting_round, client):
    # Officers are not staff: the admin refuses them, whatever status they ask for.
    officer = demo_accounts["xa_quangtan"]
    client.force_login(officer)
    indicator = advanced_indicator("13.7")
    data = {
        "unit": officer.profile.unit.pk,
        "indicator": indicator.pk,
        "as_of": "2022-08-19",
        "reporting_round": meeting_round.pk,
        "value_bool": "true",
    }
    url = reverse("admin:records_achievementrecord_add")
    for status in ("verified", "submitted"):
        assert client.post(url, {**data, "status": status})["Location"].startswith("/admin/login/")
    assert not AchievementRecord.objects.pending().exists()
    verified = AchievementRecord.objects.get(
        unit=officer.profile.unit, indicator=indicator, as_of=MEETING, status="verified"
    )
    change = client.post(
        reverse("admin:records_achievementrecord_change", args=[verified.pk]), {**data, "status": "draft"}
    )
    assert change["Location"].startswith("/admin/login/")
    assert AchievementRecord.objects.get(pk=verified.pk).value_bool is False


def test_a_recognition_changed_in_the_admin_is_in_its_history(demo_accounts, client):
    from criteria.models import Recognition

    recognition = Recognition.objects.get(unit__code="xa-tan-lap")
    client.force_login(demo_accounts["bcd"])
    url = reverse("admin:criteria_recognition_change", args=[recognition.pk])
    response = client.post(
        url,
        {
            "unit": recognition.unit_id,
            "criteria_set": recognition.criteria_set_id,
            "decision_number": "123/QĐ-UBND",
            "decision_date": "2022-08-19",
            "issuer": recognition.issuer,
            "note": recognition.note,
        },
    )
    assert response.status_code == 302
    latest = recognition.history.latest("history_date")
    assert (latest.decision_number, latest.history_user) == ("123/QĐ-UBND", demo_accounts["bcd"])
    history_page = client.get(reverse("admin:criteria_recognition_history", args=[recognition.pk]))
    assert history_page.status_code == 200 and "bcd" in history_page.content.decode()
    client.force_login(demo_accounts["xa_quangtan"])
    assert client.get(url)["Location"].startswith("/admin/login/")


def test_unit_page_says_which_records_its_figures_count(demo_accounts, meeting_round, client):
    submit(demo_accounts["xa_quangtan"], meeting_round, ["13.7"])
    client.force_login(demo_accounts["xa_quangtan"])

    page = client.get("/nhap-lieu/xa-quang-tan/").content.decode()
    assert "Kết quả chỉ tính số liệu đã được huyện duyệt." in page
    assert "đạt 17/19 tiêu chí; 72/75 chỉ tiêu." in page  # 13.7, 17.3, 17.9 not met

    page = client.get("/nhap-lieu/xa-quang-tan/?include_submitted=1").content.decode()
    assert "Kết quả gồm cả số liệu đã gửi, chưa được duyệt." in page
    assert "đạt 18/19 tiêu chí; 73/75 chỉ tiêu." in page
