"""English is the second language: every screen area speaks it once the switch is set, and the
catalogue has no string left in Vietnamese only.

Vietnamese stays the default (msgids are Vietnamese); the switch stores `django_language`.
"""

import ast
import gettext
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from records.models import ReportingRound

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
ADVANCED = "xa-ntm-nang-cao-2021-2025"


@pytest.fixture(autouse=True)
def _back_to_vietnamese():
    """An English request leaves English active in this thread (LocaleMiddleware activates, nothing
    deactivates): put the default back so later tests that call code directly get Vietnamese."""
    yield
    translation.deactivate()


def _english_page(client, user, url):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="en">' in page
    return page


def _po_entries():
    """(msgid, msgid_plural, [msgstr, ...], flags, msgctxt) for every live entry of the English .po, header excluded.

    A small reader for the subset of the format that makemessages writes: comments, flags,
    msgctxt / msgid / msgid_plural / msgstr / msgstr[n], each possibly continued on "..." lines.
    """
    entries, current, field, flags = [], {}, None, set()

    def flush():
        nonlocal current, flags
        if "msgid" in current and current["msgid"]:
            strs = [v for k, v in sorted(current.items()) if k.startswith("msgstr")]
            entries.append((current["msgid"], current.get("msgid_plural"), strs, flags, current.get("msgctxt")))
        current, flags = {}, set()

    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            field = None
        elif line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, _, literal = line.partition(" ")
            current[field] = ast.literal_eval(literal)
    flush()
    return entries


# --- the catalogue -------------------------------------------------------------------------


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = _po_entries()
    assert len(entries) > 600  # the reader really read the catalogue
    untranslated = [msgid for msgid, _, strs, _, _ in entries if not all(s.strip() for s in strs)]
    fuzzy = [msgid for msgid, _, _, flags, _ in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_every_english_entry_keeps_the_placeholders_of_its_vietnamese_original():
    for msgid, plural, strs, _, _ in _po_entries():
        expected = sorted(PLACEHOLDER.findall(plural or msgid))
        for msgstr in strs[-1:]:  # the plural form (or the only one) carries every placeholder
            assert sorted(PLACEHOLDER.findall(msgstr)) == expected, msgid


def test_the_compiled_catalogue_matches_the_po_file():
    """The committed .mo is what Django loads: a .po edited without compiling fails here."""
    with open(LOCALE / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for msgid, plural, strs, _, context in _po_entries():
        if plural:
            assert catalogue.ngettext(msgid, plural, 1) == strs[0], msgid
        elif context:
            assert catalogue.pgettext(context, msgid) == strs[0], msgid
        else:
            assert catalogue.gettext(msgid) == strs[0], msgid


# --- the screens ---------------------------------------------------------------------------


def test_pages_stay_vietnamese_without_the_language_switch(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    page = client.get("/du-lieu/").content.decode()
    assert "Nhập kết quả chỉ tiêu" in page and "Import indicator results" not in page


def test_overview_in_english_has_english_navigation(demo_accounts, client):
    page = _english_page(client, demo_accounts["bcd"], "/")
    for text in (
        "Overview",
        "Meeting brief",
        "Criteria sets",
        "Steering",
        "Data entry",
        "Reporting rounds",
        "Verify data",
        "Excel import / export",
    ):
        assert f">{text}</a>" in page, text
    assert "Duyệt số liệu" not in page and "Chỉ đạo thực hiện" not in page


def test_entry_form_in_english_offers_draft_and_submit(demo_accounts, client):
    reporting_round = ReportingRound.objects.get(unit__code="dam-ha", as_of=date(2022, 8, 19))
    url = f"/nhap-lieu/xa-quang-tan/{ADVANCED}/13/?round={reporting_round.pk}"
    page = _english_page(client, demo_accounts["xa_quangtan"], url)
    assert "Criterion 13." in page
    assert "figures as of 19/08/2022" in page
    assert ">Save draft</button>" in page
    assert ">Submit to the district for verification</button>" in page
    assert "Gửi huyện duyệt" not in page and "Lưu nháp" not in page


def test_import_page_in_english(demo_accounts, client, admin_user):
    # An administrator sees every section (district staff do not load sets: they are national).
    page = _english_page(client, admin_user, "/du-lieu/")
    for text in (
        "<h1>Excel import / export</h1>",
        "<h2>Import indicator results</h2>",
        "<h2>Load a criteria set</h2>",
        "<h2>Export data</h2>",
        "Upload and preview",
    ):
        assert text in page, text
    assert "Tải lên và xem trước" not in page


def test_steering_plans_in_english(demo_accounts, client):
    page = _english_page(client, demo_accounts["bcd"], "/chi-dao/")
    assert "<h1>Plans for the indicators not met</h1>" in page
    for text in ("Remedial plans", "Recognition dossiers", "Works"):
        assert f">{text}</a>" in page, text
    assert "Kế hoạch khắc phục" not in page


def test_verification_queue_in_english(demo_accounts, client):
    page = _english_page(client, demo_accounts["bcd"], "/duyet/")
    assert "<h1>Figures awaiting verification</h1>" in page
    assert "Số liệu chờ duyệt" not in page


def test_not_found_page_in_english(demo_accounts, client):
    client.force_login(demo_accounts["bcd"])
    client.cookies["django_language"] = "en"
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page and "Back to the overview" in page
    assert "Không tìm thấy trang" not in page


@pytest.mark.parametrize(
    "template, heading",
    [("503.html", "The system is temporarily unavailable"), ("500.html", "A system error occurred")],
)
def test_error_pages_in_english(template, heading, rf):
    from django.template.loader import render_to_string

    with translation.override("en"):
        page = render_to_string(template, request=rf.get("/"))
    assert heading in page


def test_cancel_link_and_cancelled_status_read_differently_in_english():
    """One Vietnamese word, two English ones: the preview's cancel link carries a context."""
    from steering.models import PlanStatus

    with translation.override("en"):
        assert translation.pgettext("huỷ thao tác", "Huỷ") == "Cancel"
        assert PlanStatus.CANCELLED.label == "Cancelled"
    with translation.override("vi"):
        assert translation.pgettext("huỷ thao tác", "Huỷ") == PlanStatus.CANCELLED.label == "Huỷ"
