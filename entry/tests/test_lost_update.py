"""No lost update on the entry form: a save writes only the lines the user changed, and refuses
when one of those lines' records moved since the page was rendered.

The officer's form is read from the rendered page and posted back as a browser would (every
input, select and textarea the page holds), so the test sees what the page really carries.
"""

from datetime import date

import pytest

from communes.models import AdministrativeUnit
from records.imports import records_import
from records.models import AchievementRecord, RecordStatus, ReportingRound
from records.services import record_save, records_verify
from reports.engine import unit_detail
from tests.html_forms import open_form
from tests.io_helpers import record_file, record_row
from tests.workflow_helpers import ADVANCED, MEETING, advanced_indicator

pytestmark = pytest.mark.django_db


def _open_form(client, url):
    return open_form(client, url, having="round")


def _entry_url(reporting_round, number=13):
    return f"/nhap-lieu/xa-quang-tan/{ADVANCED}/{number}/?round={reporting_round.pk}"


def _field(indicator_code, name):
    return f"i{advanced_indicator(indicator_code).pk}-{name}"


def _counted(code, day=MEETING):
    """Quảng Tân's counted (verified) value of an advanced-set indicator on `day`, as reports read it."""
    indicator = advanced_indicator(code)
    detail = unit_detail(AdministrativeUnit.objects.get(code="xa-quang-tan"), indicator.criterion.criteria_set, day)
    return next(i.record.value_bool for i in detail.indicators if i.indicator == indicator)


@pytest.mark.parametrize("correction", ["record_save", "import"])
def test_a_district_correction_made_while_the_form_is_open_survives_the_officers_save_and_verification(
    demo_accounts, meeting_round, client, correction
):
    officer, staff = demo_accounts["xa_quangtan"], demo_accounts["bcd"]
    client.force_login(officer)
    form = _open_form(client, _entry_url(meeting_round))
    assert form[_field("13.7", "value")] == "no"  # 13.7 is not met at the meeting

    # Meanwhile the district corrects 13.7 to met, by hand or by importing a file.
    if correction == "record_save":
        record_save(
            unit=officer.profile.unit,
            indicator=advanced_indicator("13.7"),
            as_of=MEETING,
            value_bool=True,
            note="BCĐ sửa",
            user=staff,
        )
    else:
        file = record_file([record_row("xa-quang-tan", ADVANCED, "13.7", "Đạt", note="BCĐ sửa")])
        assert records_import(file=file, user=staff, unit=staff.profile.unit, dry_run=False).saved
    assert _counted("13.7") is True

    # The officer changes only 13.1's note and submits the form as it stands.
    form[_field("13.1", "note")] = "bổ sung biên bản"
    response = client.post(_entry_url(meeting_round), {**form, "action": "submit"}, follow=True)
    assert "Đã gửi 1 chỉ tiêu để huyện duyệt." in response.content.decode()
    submitted = AchievementRecord.objects.filter(status=RecordStatus.SUBMITTED, unit=officer.profile.unit)
    assert [r.indicator.code for r in submitted] == ["13.1"]

    records_verify(records=list(submitted), user=staff)
    assert _counted("13.7") is True  # the correction is still there
    assert (
        AchievementRecord.objects.get(
            indicator=advanced_indicator("13.1"), unit=officer.profile.unit, as_of=MEETING
        ).note
        == "bổ sung biên bản"
    )


def test_a_changed_line_whose_verified_record_moved_refuses_the_whole_save_with_the_current_value(
    demo_accounts, meeting_round, client
):
    officer, staff = demo_accounts["xa_quangtan"], demo_accounts["bcd"]
    client.force_login(officer)
    form = _open_form(client, _entry_url(meeting_round))
    record_save(
        unit=officer.profile.unit, indicator=advanced_indicator("13.7"), as_of=MEETING, value_bool=True, user=staff
    )
    before = sorted(AchievementRecord.objects.values_list("pk", "status", "value_bool", "note", "version"))

    form[_field("13.1", "note")] = "bổ sung"
    form[_field("13.7", "note")] = "xã đã có HTX"  # the line the district just changed
    response = client.post(_entry_url(meeting_round), {**form, "action": "submit"}, follow=True)
    page = response.content.decode()
    assert "Chỉ tiêu 13.7 vừa được bcd cập nhật; giá trị hiện tại là “Đạt” (Đã duyệt)." in page
    assert sorted(AchievementRecord.objects.values_list("pk", "status", "value_bool", "note", "version")) == before
    reloaded = _open_form(client, _entry_url(meeting_round))
    assert reloaded[_field("13.7", "value")] == "yes"  # the page shows the current value


def test_a_verified_record_created_or_deleted_since_the_page_opened_refuses_a_change_of_that_line(
    demo_accounts, client
):
    officer, staff = demo_accounts["xa_quangtan"], demo_accounts["bcd"]
    district = staff.profile.unit
    year_end = ReportingRound.objects.create(
        unit=district, name="Đợt cuối năm", as_of=date(2022, 12, 31), deadline=date(2023, 1, 15)
    )
    client.force_login(officer)
    form = _open_form(client, _entry_url(year_end))
    assert form[_field("13.7", "value")] == "" and form[_field("13.7", "verified_version")] == "0"
    record = record_save(
        unit=officer.profile.unit,
        indicator=advanced_indicator("13.7"),
        as_of=year_end.as_of,
        value_bool=True,
        user=staff,
    )  # appears
    form[_field("13.7", "value")] = "no"
    client.post(_entry_url(year_end), {**form, "action": "submit"})
    assert not AchievementRecord.objects.filter(as_of=year_end.as_of).exclude(pk=record.pk).exists()

    form = _open_form(client, _entry_url(year_end))
    record.delete()  # goes
    form[_field("13.7", "value")] = "no"
    response = client.post(_entry_url(year_end), {**form, "action": "submit"}, follow=True)
    assert "Kết quả chỉ tiêu 13.7 vừa bị xoá." in response.content.decode()
    assert not AchievementRecord.objects.filter(as_of=year_end.as_of).exists()


def test_a_line_left_as_shown_creates_no_pending_record_even_when_its_value_differs_from_the_counted_one(
    demo_accounts, meeting_round, client
):
    officer, staff = demo_accounts["xa_quangtan"], demo_accounts["bcd"]
    client.force_login(officer)
    form = _open_form(client, _entry_url(meeting_round))
    record_save(
        unit=officer.profile.unit, indicator=advanced_indicator("13.7"), as_of=MEETING, value_bool=True, user=staff
    )
    form[_field("13.2", "value")] = "no"
    client.post(_entry_url(meeting_round), {**form, "action": "draft"})
    pending = AchievementRecord.objects.filter(unit=officer.profile.unit).pending()
    assert [(r.indicator.code, r.status, r.value_bool) for r in pending] == [("13.2", RecordStatus.DRAFT, False)]


def test_submitting_a_saved_draft_as_it_stands_submits_it(demo_accounts, meeting_round, client):
    client.force_login(demo_accounts["xa_quangtan"])
    form = _open_form(client, _entry_url(meeting_round))
    form[_field("13.7", "value")] = "yes"
    client.post(_entry_url(meeting_round), {**form, "action": "draft"})
    form = _open_form(client, _entry_url(meeting_round))
    response = client.post(_entry_url(meeting_round), {**form, "action": "submit"}, follow=True)
    assert "Đã gửi 1 chỉ tiêu để huyện duyệt." in response.content.decode()
    (record,) = AchievementRecord.objects.filter(unit__code="xa-quang-tan").pending()
    assert (record.indicator.code, record.status) == ("13.7", RecordStatus.SUBMITTED)


def test_a_decimal_value_shown_the_vietnamese_way_and_posted_back_unchanged_is_not_a_change(db, client):
    from accounts.services import account_create
    from tests.factories import (
        CommuneFactory,
        EnrolmentFactory,
        IndicatorFactory,
        NumericIndicatorFactory,
        RecordFactory,
        RoundFactory,
        ThresholdFactory,
    )

    commune = CommuneFactory(code="xa-so-le")
    enrolment = EnrolmentFactory(unit=commune)
    numeric = NumericIndicatorFactory(criterion__criteria_set=enrolment.criteria_set, criterion__number=1, code="1.1")
    ThresholdFactory(indicator=numeric, value=50)
    yes_no = IndicatorFactory(criterion=numeric.criterion, code="1.2", order=2)
    reporting_round = RoundFactory(unit=commune.parent, as_of=date(2024, 6, 30))
    RecordFactory(
        unit=commune,
        indicator=numeric,
        as_of=reporting_round.as_of,
        value_bool=None,
        value_number="1234.5",
        is_met=True,
    )
    client.force_login(account_create(username="xa-so-le", password="x", role="commune_officer", unit=commune))
    url = f"/nhap-lieu/xa-so-le/{enrolment.criteria_set.code}/1/?round={reporting_round.pk}"
    form = _open_form(client, url)
    assert form[f"i{numeric.pk}-value"] == "1.234,5"
    form[f"i{yes_no.pk}-value"] = "yes"
    response = client.post(url, {**form, "action": "submit"}, follow=True)
    assert "Đã gửi 1 chỉ tiêu để huyện duyệt." in response.content.decode()
    assert [r.indicator for r in AchievementRecord.objects.pending()] == [yes_no]


def test_a_draft_a_colleague_started_on_an_untouched_line_does_not_block_the_officers_submission(
    demo_accounts, meeting_round, client
):
    from records.services import Entry, entry_save

    officer = demo_accounts["xa_quangtan"]
    client.force_login(officer)
    form = _open_form(client, _entry_url(meeting_round))
    entry_save(
        unit=officer.profile.unit,
        reporting_round=meeting_round,
        submit=False,
        user=officer,
        entries=[Entry(indicator=advanced_indicator("13.7"), value_bool=True, note="đồng nghiệp")],
    )
    form[_field("13.2", "value")] = "no"
    response = client.post(_entry_url(meeting_round), {**form, "action": "submit"}, follow=True)
    assert "Đã gửi 1 chỉ tiêu để huyện duyệt." in response.content.decode()
    pending = {
        r.indicator.code: r.status for r in AchievementRecord.objects.filter(unit=officer.profile.unit).pending()
    }
    assert pending == {"13.2": RecordStatus.SUBMITTED, "13.7": RecordStatus.DRAFT}
