"""The record workflow: draft -> submitted -> verified, or returned with a reason; closed rounds;
stale edits; the audit trail. Figures move only when the district verifies."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from records.models import AchievementRecord, RecordStatus
from records.services import (
    Entry,
    StaleEdit,
    entry_save,
    record_return,
    records_verify,
    round_close,
    round_reopen,
)
from reports.engine import summarise, unit_detail
from tests.workflow_helpers import ADVANCED, MEETING, advanced_indicator, submit


def _advanced_figures(district, include_submitted=False):
    summary = summarise(district, MEETING, include_submitted=include_submitted)
    (figures,) = [s for s in summary.sets if s.criteria_set.code == ADVANCED]
    return figures.criteria_met_sum, figures.average_criteria, figures.average_indicators


def _submit_13_7_met(accounts, meeting_round, submit=True, seen_version=0):
    officer = accounts["xa_quangtan"]
    (record,) = entry_save(
        unit=officer.profile.unit,
        reporting_round=meeting_round,
        entries=[
            Entry(indicator=advanced_indicator("13.7"), value_bool=True, note="đã có HTX", seen_version=seen_version)
        ],
        submit=submit,
        user=officer,
    )
    return record


def test_figures_change_only_when_the_district_verifies(demo_accounts, meeting_round):
    district = demo_accounts["bcd"].profile.unit
    before = _advanced_figures(district)
    assert before == (91, Decimal("15.16"), Decimal("69.16"))

    draft = _submit_13_7_met(demo_accounts, meeting_round, submit=False)
    assert draft.status == RecordStatus.DRAFT
    assert _advanced_figures(district) == before
    assert _advanced_figures(district, include_submitted=True) == before

    submitted = _submit_13_7_met(demo_accounts, meeting_round, seen_version=draft.version)
    assert submitted.status == RecordStatus.SUBMITTED
    assert _advanced_figures(district) == before
    assert _advanced_figures(district, include_submitted=True) == (92, Decimal("15.33"), Decimal("69.33"))

    records_verify(records=[submitted], user=demo_accounts["bcd"])
    assert _advanced_figures(district) == (92, Decimal("15.33"), Decimal("69.33"))
    # The corrected record replaced the old verified one: still one counted record for the date.
    records = AchievementRecord.objects.filter(
        unit__code="xa-quang-tan", indicator=advanced_indicator("13.7"), as_of=MEETING
    )
    assert [(r.status, r.value_bool) for r in records] == [(RecordStatus.VERIFIED, True)]


def test_returned_record_carries_its_reason_to_the_commune(demo_accounts, meeting_round, client):
    submitted = _submit_13_7_met(demo_accounts, meeting_round)
    record_return(record=submitted, user=demo_accounts["bcd"], reason="Thiếu biên bản kiểm tra HTX")

    submitted.refresh_from_db()
    assert submitted.status == RecordStatus.RETURNED
    client.force_login(demo_accounts["xa_quangtan"])
    page = client.get(f"/nhap-lieu/xa-quang-tan/{ADVANCED}/13/?round={meeting_round.pk}").content.decode()
    assert "Thiếu biên bản kiểm tra HTX" in page
    assert "Bị trả lại" in page


def test_returning_a_record_emails_that_communes_officers_once(demo_accounts, meeting_round, mailoutbox):
    for username, email in [("xa_quangtan", "quangtan@example.vn"), ("xa_tanlap", "tanlap@example.vn")]:
        demo_accounts[username].email = email
        demo_accounts[username].save()
    submitted = _submit_13_7_met(demo_accounts, meeting_round)

    record_return(record=submitted, user=demo_accounts["bcd"], reason="Thiếu biên bản kiểm tra HTX")
    assert mailoutbox == []  # the return only queues the e-mail
    call_command("send_notifications", stdout=StringIO())

    assert [m.to for m in mailoutbox] == [["quangtan@example.vn"]]
    assert "Thiếu biên bản kiểm tra HTX" in mailoutbox[0].body
    call_command("send_reminders", stdout=StringIO())
    assert len(mailoutbox) == 1  # the cron run does not send it again


def test_returning_needs_a_reason_and_a_submitted_record(demo_accounts, meeting_round):
    draft = _submit_13_7_met(demo_accounts, meeting_round, submit=False)
    with pytest.raises(ValidationError, match="lý do"):
        record_return(record=draft, user=demo_accounts["bcd"], reason="  ")
    with pytest.raises(ValidationError, match="đang chờ duyệt"):
        record_return(record=draft, user=demo_accounts["bcd"], reason="sai")
    assert AchievementRecord.objects.get(pk=draft.pk).status == RecordStatus.DRAFT


def test_commune_officers_and_leaders_cannot_verify(demo_accounts, meeting_round):
    submitted = _submit_13_7_met(demo_accounts, meeting_round)
    for username in ["xa_quangtan", "xa_tanlap", "lanhdao"]:
        with pytest.raises(PermissionDenied):
            records_verify(records=[submitted], user=demo_accounts[username])
    assert AchievementRecord.objects.get(pk=submitted.pk).status == RecordStatus.SUBMITTED


def test_an_officer_cannot_save_another_communes_records(demo_accounts, meeting_round):
    with pytest.raises(PermissionDenied):
        entry_save(
            unit=demo_accounts["xa_tanlap"].profile.unit,
            reporting_round=meeting_round,
            entries=[Entry(indicator=advanced_indicator("13.7"), value_bool=False)],
            submit=True,
            user=demo_accounts["xa_quangtan"],
        )
    assert not AchievementRecord.objects.pending().exists()


def test_closed_round_refuses_edits_and_reopening_allows_them(demo_accounts, meeting_round):
    round_close(reporting_round=meeting_round, user=demo_accounts["bcd"])
    with pytest.raises(ValidationError, match="đã đóng"):
        _submit_13_7_met(demo_accounts, meeting_round)
    assert not AchievementRecord.objects.pending().exists()

    round_reopen(reporting_round=meeting_round, user=demo_accounts["bcd"])
    assert _submit_13_7_met(demo_accounts, meeting_round).status == RecordStatus.SUBMITTED


def test_only_district_staff_close_or_reopen_a_round(demo_accounts, meeting_round):
    for username in ["xa_quangtan", "lanhdao"]:
        with pytest.raises(PermissionDenied):
            round_close(reporting_round=meeting_round, user=demo_accounts[username])
    meeting_round.refresh_from_db()
    assert meeting_round.is_open


def test_stale_edit_is_refused_and_the_newer_value_kept(demo_accounts, meeting_round):
    first = _submit_13_7_met(demo_accounts, meeting_round, submit=False)
    # A colleague saves on top of version 1 ...
    colleague = entry_save(
        unit=first.unit,
        reporting_round=meeting_round,
        entries=[Entry(indicator=first.indicator, value_bool=False, note="chưa đạt", seen_version=first.version)],
        submit=False,
        user=demo_accounts["bcd"],
    )[0]
    # ... then the officer, still looking at version 1, saves again.
    with pytest.raises(StaleEdit) as refused:
        _submit_13_7_met(demo_accounts, meeting_round, seen_version=first.version)
    assert refused.value.current.value_bool is False
    kept = AchievementRecord.objects.get(pk=first.pk)
    assert (kept.value_bool, kept.note, kept.version) == (False, "chưa đạt", colleague.version)


def test_a_numeric_value_is_judged_against_the_applicable_threshold_and_bad_input_saves_nothing(
    demo_accounts, meeting_round
):
    from tests.factories import NumericIndicatorFactory, ThresholdFactory

    indicator = NumericIndicatorFactory(criterion=advanced_indicator("13.7").criterion, code="13.99")
    ThresholdFactory(indicator=indicator, value=80)
    officer = demo_accounts["xa_quangtan"]
    with pytest.raises(ValidationError):
        entry_save(
            unit=officer.profile.unit,
            reporting_round=meeting_round,
            entries=[
                Entry(indicator=advanced_indicator("13.7"), value_bool=True),
                Entry(indicator=indicator, value_bool=True),  # a yes/no for a numeric indicator
            ],
            submit=True,
            user=officer,
        )
    assert not AchievementRecord.objects.pending().exists()
    (record,) = entry_save(
        unit=officer.profile.unit,
        reporting_round=meeting_round,
        entries=[Entry(indicator=indicator, value_number=Decimal("79.5"))],
        submit=True,
        user=officer,
    )
    assert record.is_met is False


def test_history_lists_each_change_with_user_and_time(demo_accounts, meeting_round):
    draft = _submit_13_7_met(demo_accounts, meeting_round, submit=False)
    submitted = _submit_13_7_met(demo_accounts, meeting_round, seen_version=draft.version)
    record_return(record=submitted, user=demo_accounts["bcd"], reason="Thiếu minh chứng")
    resubmitted = _submit_13_7_met(demo_accounts, meeting_round, seen_version=submitted.version + 1)
    records_verify(records=[resubmitted], user=demo_accounts["bcd"])

    history = AchievementRecord.history.filter(
        unit__code="xa-quang-tan", indicator=advanced_indicator("13.7"), as_of=MEETING
    ).order_by("history_date", "history_id")
    steps = [(h.history_type, h.status, h.history_user.username if h.history_user else None) for h in history]
    assert steps == [
        ("+", "verified", None),  # loaded by the demo, in bulk
        ("+", "draft", "xa_quangtan"),
        ("~", "submitted", "xa_quangtan"),
        ("~", "returned", "bcd"),
        ("~", "submitted", "xa_quangtan"),
        ("-", "verified", "bcd"),  # the old verified value, replaced
        ("~", "verified", "bcd"),  # bulk verify
    ]
    assert all(h.history_date is not None for h in history)


def test_bulk_verify_writes_history_for_every_record(demo_accounts, meeting_round):
    officer = demo_accounts["xa_quangtan"]
    records = submit(officer, meeting_round, ["13.7", "17.3", "17.9"])
    records_verify(records=records, user=demo_accounts["bcd"])

    verified_steps = AchievementRecord.history.filter(id__in=[r.pk for r in records], status="verified")
    assert verified_steps.count() == 3
    assert {h.history_user.username for h in verified_steps} == {"bcd"}
    detail = unit_detail(officer.profile.unit, records[0].indicator.criterion.criteria_set, MEETING)
    assert detail.standard_met is True


def test_unchanged_lines_are_not_rewritten(demo_accounts, meeting_round):
    officer = demo_accounts["xa_quangtan"]
    # 13.1 is already verified as met for this date: re-entering the same value writes nothing.
    written = entry_save(
        unit=officer.profile.unit,
        reporting_round=meeting_round,
        entries=[
            Entry(
                indicator=advanced_indicator("13.1"),
                value_bool=True,
                note=AchievementRecord.objects.filter(
                    unit=officer.profile.unit, indicator=advanced_indicator("13.1"), as_of=MEETING
                )
                .get()
                .note,
            )
        ],
        submit=True,
        user=officer,
    )
    assert written == []


def test_the_return_reason_stays_until_the_commune_resubmits(demo_accounts, meeting_round):
    submitted = _submit_13_7_met(demo_accounts, meeting_round)
    returned = record_return(record=submitted, user=demo_accounts["bcd"], reason="Thiếu minh chứng")
    draft = _submit_13_7_met(demo_accounts, meeting_round, submit=False, seen_version=returned.version)
    assert (draft.status, draft.return_reason) == (RecordStatus.DRAFT, "Thiếu minh chứng")
    resubmitted = _submit_13_7_met(demo_accounts, meeting_round, seen_version=draft.version)
    assert (resubmitted.status, resubmitted.return_reason) == (RecordStatus.SUBMITTED, "")
