"""Work that waits is visible (issue 15.3): the menu's counts, the officer's banner, the marks on
criteria and indicators, links from the commune page to the entry form, and a queue that shows
what changes and who may verify it."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from accounts.services import account_create
from records.models import AchievementRecord, RecordStatus
from records.services import Entry, entry_save, record_return, record_save
from tests.factories import CommuneFactory, DistrictFactory, EnrolmentFactory, RoundFactory, build_set
from tests.workflow_helpers import ADVANCED, advanced_indicator, submit

DAY = date(2022, 8, 19)


def _return(demo_accounts, meeting_round, code="17.3", reason="Thiếu biên bản kiểm tra"):
    (record,) = submit(demo_accounts["xa_quangtan"], meeting_round, [code], note="đã làm")
    return record_return(record=record, user=demo_accounts["bcd"], reason=reason)


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _marks(page, attribute):
    """{key: mark} for every element `attribute="key"` followed by its mark."""
    return dict(re.findall(attribute + r'="([^"]+)".*?data-mark="(\w+)"', page, re.S))


# --- the menu's counts and the banner ---------------------------------------------------------


def test_officer_sees_the_returned_count_and_a_banner_linking_to_the_first_to_fix(demo_accounts, meeting_round, client):
    officer = demo_accounts["xa_quangtan"]
    page = _page(client, officer, "/")
    assert 'data-testid="returned-banner"' not in page
    assert 'data-testid="returned-count"' not in page

    _return(demo_accounts, meeting_round)
    for url in ("/", "/nhap-lieu/", "/nhap-lieu/xa-quang-tan/"):
        page = _page(client, officer, url)
        assert 'data-testid="returned-count">1<' in page, url
        assert "Huyện đã trả lại 1 kết quả của xã để sửa và gửi lại." in page, url
        assert "Thiếu biên bản kiểm tra" in page, url
        link = f'href="/nhap-lieu/xa-quang-tan/{ADVANCED}/17/?round={meeting_round.pk}#indicator-17.3"'
        assert link in page, url
    # Another page shows the count in the menu but no banner.
    page = _page(client, officer, "/bo-tieu-chi/")
    assert 'data-testid="returned-count">1<' in page
    assert 'data-testid="returned-banner"' not in page


def test_the_banner_goes_once_the_returned_record_is_submitted_again(demo_accounts, meeting_round, client):
    returned = _return(demo_accounts, meeting_round)
    officer = demo_accounts["xa_quangtan"]
    entry_save(
        unit=officer.profile.unit,
        reporting_round=meeting_round,
        entries=[Entry(indicator=advanced_indicator("17.3"), value_bool=True, seen_version=returned.version)],
        submit=True,
        user=officer,
    )
    page = _page(client, officer, "/")
    assert 'data-testid="returned-banner"' not in page
    assert 'data-testid="returned-count"' not in page


def test_another_communes_returned_record_is_not_counted(demo_accounts, meeting_round, client):
    _return(demo_accounts, meeting_round)
    page = _page(client, demo_accounts["xa_tanlap"], "/")
    assert 'data-testid="returned-count"' not in page
    assert 'data-testid="returned-banner"' not in page


def test_district_staff_see_how_many_records_await_verification(demo_accounts, meeting_round, client):
    page = _page(client, demo_accounts["bcd"], "/")
    assert 'data-testid="queue-count"' not in page
    submit(demo_accounts["xa_quangtan"], meeting_round, ["13.7", "17.3"])
    submit(demo_accounts["xa_tanlap"], meeting_round, ["17.3"])
    page = _page(client, demo_accounts["bcd"], "/chi-dao/")
    assert 'data-testid="queue-count">3<' in page
    assert '3<span class="visually-hidden"> kết quả chờ duyệt</span>' in page
    # Leaders and officers have no queue.
    for user in ("lanhdao", "xa_quangtan"):
        assert 'data-testid="queue-count"' not in _page(client, demo_accounts[user], "/")


# --- marks on the officer's criteria and indicators ---------------------------------------------


def test_criterion_list_marks_met_unmet_missing_pending_and_returned(demo_accounts, meeting_round, client):
    officer = demo_accounts["xa_quangtan"]
    submit(officer, meeting_round, ["3.1"])  # criterion 3 pending
    _return(demo_accounts, meeting_round, "17.3")  # criterion 17 returned
    AchievementRecord.objects.filter(
        unit=officer.profile.unit, indicator__criterion__criteria_set__code=ADVANCED, indicator__criterion__number=2
    ).delete()  # criterion 2 has no records left
    marks = _marks(_page(client, officer, "/nhap-lieu/xa-quang-tan/"), "data-criterion")
    assert marks[f"{ADVANCED}-1"] == "met"
    assert marks[f"{ADVANCED}-2"] == "missing"
    assert marks[f"{ADVANCED}-3"] == "pending"
    assert marks[f"{ADVANCED}-13"] == "unmet"  # 13.7 not met
    assert marks[f"{ADVANCED}-17"] == "returned"
    page = _page(client, officer, "/nhap-lieu/xa-quang-tan/")
    for text in ("✓ Đạt", "✗ Chưa đạt", "? Chưa có số liệu", "↑ Đã gửi, chờ duyệt", "↩ Bị trả lại"):
        assert text in page


def test_entry_form_marks_each_indicator(demo_accounts, meeting_round, client):
    officer = demo_accounts["xa_quangtan"]
    _return(demo_accounts, meeting_round, "17.3")
    page = _page(client, officer, f"/nhap-lieu/xa-quang-tan/{ADVANCED}/17/?round={meeting_round.pk}")
    marks = _marks(page, 'class="entry-row" id')
    assert marks["indicator-17.3"] == "returned"
    assert marks["indicator-17.9"] == "unmet"
    assert marks["indicator-17.1"] == "met"


# --- links from the commune page ------------------------------------------------------------------


def test_commune_page_links_unmet_indicators_to_their_entry_form_for_those_who_may_edit(demo_accounts, client):
    link = f'href="/nhap-lieu/xa-quang-tan/{ADVANCED}/17/#indicator-17.3"'
    for user in ("xa_quangtan", "bcd"):
        page = _page(client, demo_accounts[user], "/don-vi/xa-quang-tan/?date=2022-08-19")
        assert link in page, user
        assert f'href="/nhap-lieu/xa-quang-tan/{ADVANCED}/17/#indicator-17.1"' not in page  # met: no link
    page = _page(client, demo_accounts["lanhdao"], "/don-vi/xa-quang-tan/?date=2022-08-19")
    assert 'class="fix-link' not in page


def test_the_link_opens_the_form_of_that_criterion(demo_accounts, client):
    page = _page(client, demo_accounts["xa_quangtan"], f"/nhap-lieu/xa-quang-tan/{ADVANCED}/17/")
    assert 'id="indicator-17.3"' in page
    assert "Gửi huyện duyệt" in page


# --- the queue ------------------------------------------------------------------------------------


def _pdf(name="bien-ban.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def test_queue_shows_previous_and_new_value_note_and_evidence(demo_accounts, meeting_round, client):
    officer = demo_accounts["xa_quangtan"]
    (record,) = entry_save(
        unit=officer.profile.unit,
        reporting_round=meeting_round,
        entries=[Entry(indicator=advanced_indicator("13.7"), value_bool=True, note="HTX đã thành lập", files=[_pdf()])],
        submit=True,
        user=officer,
    )
    page = _page(client, demo_accounts["bcd"], "/duyet/")
    row = page.split(f'data-record="{record.pk}"')[1].split("</tr>")[0]
    assert re.search(r'class="previous-value">Không đạt <span class="muted">\(19/08/2022\)', row)
    assert 'class="new-value"><strong>Đạt</strong>' in row
    assert "HTX đã thành lập" in row
    evidence = record.evidence.get()
    assert f'href="/minh-chung/{evidence.pk}/">bien-ban.pdf</a>' in row
    assert client.get(f"/minh-chung/{evidence.pk}/").status_code == 200


def test_queue_marks_own_entries_and_disables_their_checkbox(demo_accounts, meeting_round, client):
    bcd = demo_accounts["bcd"]
    (own,) = submit(bcd, meeting_round, ["17.3"], unit=demo_accounts["xa_quangtan"].profile.unit)
    (other,) = submit(demo_accounts["xa_quangtan"], meeting_round, ["13.7"])
    page = _page(client, bcd, "/duyet/")
    own_row = page.split(f'data-record="{own.pk}"')[1].split("</tr>")[0]
    other_row = page.split(f'data-record="{other.pk}"')[1].split("</tr>")[0]
    assert "Bạn đã nhập — cần người khác duyệt" in own_row
    assert f'value="{own.pk}" aria-label="Xã Quảng Tân 17.3" disabled' in own_row
    assert "disabled" not in other_row
    assert "1 kết quả do chính bạn nhập: cần một cán bộ khác duyệt." in page

    # A forged post of the own entry is refused with the reason, and nothing is verified.
    response = client.post("/duyet/", {"record": [own.pk, other.pk]}, follow=True)
    assert "không tự duyệt được" in response.content.decode()
    assert set(AchievementRecord.objects.filter(pk__in=[own.pk, other.pk]).values_list("status", flat=True)) == {
        RecordStatus.SUBMITTED
    }


def test_queue_without_four_eyes_offers_every_row(demo_accounts, meeting_round, client, settings):
    settings.NTM_FOUR_EYES = False
    bcd = demo_accounts["bcd"]
    submit(bcd, meeting_round, ["17.3"], unit=demo_accounts["xa_quangtan"].profile.unit)
    page = _page(client, bcd, "/duyet/")
    assert "Bạn đã nhập — cần người khác duyệt" not in page
    assert 'aria-label="Xã Quảng Tân 17.3" disabled' not in page


# --- query counts ---------------------------------------------------------------------------------


@pytest.fixture
def commune_with(db, settings, tmp_path):
    """`commune_with(n)`: a commune pursuing a one-criterion set of n indicators, a round, its
    officer and the district's staff member."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"

    def build(n):
        district = DistrictFactory()
        commune = CommuneFactory(parent=district)
        criteria_set = build_set([n])
        EnrolmentFactory(unit=commune, criteria_set=criteria_set)
        reporting_round = RoundFactory(unit=district, as_of=DAY)
        staff = account_create(username=f"bcd{n}", password="x", role=Role.DISTRICT_STAFF, unit=district)
        officer = account_create(username=f"xa{n}", password="x", role=Role.COMMUNE_OFFICER, unit=commune)
        indicators = list(criteria_set.criteria.get().indicators.order_by("order"))
        return commune, criteria_set, reporting_round, indicators, staff, officer

    return build


@pytest.mark.parametrize("rows", [2, 20])
def test_queue_with_previous_values_notes_and_evidence_costs_the_same_at_2_and_20_rows(
    commune_with, client, django_assert_num_queries, rows
):
    commune, criteria_set, reporting_round, indicators, staff, officer = commune_with(rows)
    for indicator in indicators:
        record_save(unit=commune, indicator=indicator, as_of=DAY, value_bool=False, user=staff)
    entry_save(
        unit=commune,
        reporting_round=reporting_round,
        entries=[
            Entry(indicator=i, value_bool=True, note=f"ghi chú {i.code}", files=[_pdf()], seen_verified_version=1)
            for i in indicators
        ],
        submit=True,
        user=officer,
    )
    client.force_login(staff)
    # session, user, profile, profile's unit (scope), submitted records with units, indicators,
    # sets, rounds, senders and previous values (one query), their evidence, the menu's queue count
    with django_assert_num_queries(7):
        page = client.get("/duyet/").content.decode()
    assert page.count('class="previous-value">Không đạt') == rows
    assert page.count('href="/minh-chung/') == rows
    assert page.count("ghi chú ") == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_commune_page_with_fix_links_costs_the_same_at_2_and_20_rows(
    commune_with, client, django_assert_num_queries, rows
):
    commune, criteria_set, reporting_round, indicators, staff, officer = commune_with(rows)
    record_save(unit=commune, indicator=indicators[0], as_of=DAY, value_bool=False, user=staff)
    client.force_login(officer)
    # session, user, profile, its unit, the unit by code, report dates, enrolments, history,
    # unit_detail for the one set: criteria, indicators, thresholds, records, recognition; may the
    # officer edit the unit (the links); the menu's returned records
    with django_assert_num_queries(15):
        page = client.get(f"/don-vi/{commune.code}/").content.decode()
    assert page.count('class="fix-link') == rows  # one unmet, the rest missing
