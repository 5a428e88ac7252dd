from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from communes.models import AdministrativeUnit
from reports.narrative import STANDING_INDENT

# A cached district brief: session, user, profile, its unit, the data version for each of the
# cached report dates, figures per child unit (none here) and per commune, the unit picker and its
# units, the due items; no engine query.
QUERIES_CACHED_BRIEF = 10

FORMULA_LIKE = ["=1+1", "\t=x", "\r=x", "+1", "-1", "@SUM(A1)"]


def _ntm_report(*args):
    out = StringIO()
    call_command("ntm_report", *args, stdout=out)
    return out.getvalue()


def test_brief_paragraphs_match_ntm_report_word_for_word(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bao-cao-nhanh/?unit=dam-ha&date=2022-08-19").content.decode()
    lines = _ntm_report("--as-of", "2022-08-19", "--unit", "dam-ha").strip().splitlines()
    heading, *paragraphs = [line for line in lines if not line.startswith(STANDING_INDENT)]
    assert f"<h1>{heading}</h1>" in page
    for paragraph in paragraphs:
        assert f"<p>{paragraph}</p>" in page or f'<p class="illustrative">{paragraph}</p>' in page, paragraph


def test_brief_has_a_table_per_set_unmet_indicators_and_recognitions(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bao-cao-nhanh/").content.decode()
    assert page.count('<table class="brief-table">') == 4
    assert '<th class="num">17,87/19</th>' in page
    # Indicators by the criterion's name while their official names are not loaded, not bare codes.
    assert (
        "Đại Bình: 13.2 (Tổ chức sản xuất và phát triển kinh tế nông thôn), 17.4, 17.7 (Môi trường và an toàn thực phẩm)"
        in page
    )
    assert "Xã Đầm Hà — Quy định xã nông thôn mới kiểu mẫu giai đoạn 2021-2025" in page
    assert "Xã Tân Lập — Bộ tiêu chí quốc gia về xã nông thôn mới nâng cao giai đoạn 2021-2025" in page
    assert "@page { size: A4" in open("static/css/brief.css", encoding="utf-8").read()


def test_brief_downloads_as_xlsx_with_the_same_figures(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    response = client.get("/bao-cao-nhanh/xlsx/?unit=dam-ha&date=2022-08-19")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-nhanh-dam-ha-2022-08-19.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Tóm tắt", "Theo đơn vị", "Chỉ tiêu chưa đạt", "Công nhận"]
    summary = [row[0] for row in book["Tóm tắt"].iter_rows(values_only=True)]
    assert summary[0] == "Huyện Đầm Hà — kết quả thực hiện đến ngày 19/08/2022"
    assert "có 8 xã đạt bình quân 17,87/19 tiêu chí (94,1%)" in summary[1]
    rows = list(book["Theo đơn vị"].iter_rows(values_only=True))
    dai_binh = next(r for r in rows if r[1] == "Xã Đại Bình")
    assert dai_binh[2:6] == (17, 19, 54, 57)
    assert len(list(book["Công nhận"].iter_rows())) == 3


def _as_read(text):
    # An XML reader turns a lone carriage return into a line feed; the cell is text all the same.
    return text.replace("\r", "\n")


def test_text_that_could_start_a_formula_is_a_text_cell_without_an_apostrophe(demo_accounts, client):
    from criteria.models import CriteriaSet, Enrolment, Recognition

    sets = CriteriaSet.objects.filter(pk__in=Enrolment.objects.values("criteria_set")).order_by("pk")
    recognitions = Recognition.objects.order_by("pk")
    assert len(sets) + len(recognitions) >= len(FORMULA_LIKE)
    texts = iter(FORMULA_LIKE)
    for criteria_set, text in zip(sets, texts):
        CriteriaSet.objects.filter(pk=criteria_set.pk).update(name=text)
    for recognition, text in zip(recognitions, texts):
        Recognition.objects.filter(pk=recognition.pk).update(issuer=text)
    client.force_login(demo_accounts["lanhdao"])
    book = load_workbook(BytesIO(client.get("/bao-cao-nhanh/xlsx/?unit=dam-ha&date=2022-08-19").content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    by_text = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    for text in FORMULA_LIKE:
        cell = by_text[_as_read(text)]
        assert (cell.data_type, cell.quotePrefix) == ("s", True), text
    assert not any(text.startswith("'") for text in by_text)  # nothing shows an added apostrophe
    assert all(cell.data_type == "n" for cell in cells if isinstance(cell.value, int))  # figures stay numbers


def test_a_set_name_like_a_formula_stays_text_in_the_spreadsheet(demo_accounts, client):
    from criteria.models import CriteriaSet

    CriteriaSet.objects.filter(code="xa-ntm-2021-2025").update(name='=HYPERLINK("http://x","y")')
    client.force_login(demo_accounts["lanhdao"])
    book = load_workbook(BytesIO(client.get("/bao-cao-nhanh/xlsx/").content))
    cell = book["Theo đơn vị"]["A2"]
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s" and cell.quotePrefix


def test_brief_for_a_unit_outside_the_scope_is_not_found(demo_accounts, client):
    client.force_login(demo_accounts["xa_tanlap"])
    assert client.get("/bao-cao-nhanh/?unit=dam-ha").status_code == 404
    assert client.get("/bao-cao-nhanh/xlsx/?unit=dam-ha").status_code == 404


@pytest.mark.parametrize("communes", [10, 200])
def test_brief_query_count_does_not_grow_with_communes(
    district_of, client, django_assert_num_queries, communes, settings
):
    settings.NTM_PER_UNIT_MAX_UNITS = (
        1000  # a row per commune at both sizes (per child: reports/tests/test_overview_by_child.py)
    )
    district_of(communes)
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="lead"))
    # session, user, profile, its unit, report dates, unit picker,
    # summarise_dates of the report date and the previous one (4), gaps of the summary's units (2),
    # recognitions in force, plan items due before the next meeting, units under it (per commune
    # or per child unit?)
    with django_assert_num_queries(15):
        assert client.get("/bao-cao-nhanh/").status_code == 200
    # the same without the unit picker, the due items and the count (the spreadsheet lists every
    # commune below NTM_PER_UNIT_MAX_UNITS, per child above it: test_a_large_subtrees_workbook_…)
    with django_assert_num_queries(13):
        assert client.get("/bao-cao-nhanh/xlsx/").status_code == 200


def test_brief_shows_the_criteria_each_commune_gained_since_the_last_report_date(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bao-cao-nhanh/?unit=dam-ha&date=2022-08-19").content.decode()
    basic = page.split('<table class="brief-table">', 2)[1]
    # The previous report date with data is 31/12/2021; every commune has since met criteria 2 and 8.
    assert 'Số tiêu chí đạt thêm (+) và không còn đạt (−) từ ngày 31/12/2021">+/−</abbr>' in basic
    assert basic.count('<td class="num since" data-testid="since">+2</td>') == 8
    assert (
        "Đại Bình, Đầm Hà, Dực Yên, Quảng An, Quảng Lâm, Quảng Tân, Tân Bình, Tân Lập đạt thêm 2: "
        "2. Giao thông; 8. Thông tin và Truyền thông"
    ) in basic


def test_brief_names_a_criterion_a_commune_lost_since_the_last_report_date(demo_accounts, client):
    from datetime import date

    from criteria.models import Indicator
    from records.models import AchievementRecord

    road = Indicator.objects.get(criterion__criteria_set__code="xa-ntm-2021-2025", code="2.1")
    dai_binh = AchievementRecord.objects.filter(indicator=road, unit__code="xa-dai-binh").first().unit
    AchievementRecord.objects.create(
        unit=dai_binh, indicator=road, as_of=date(2022, 9, 30), value_bool=False, is_met=False, status="verified"
    )
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bao-cao-nhanh/?unit=dam-ha&date=2022-09-30").content.decode()
    basic = page.split('<table class="brief-table">', 2)[1]
    assert "từ ngày 19/08/2022" in basic
    assert '<td class="num since" data-testid="since">−1</td>' in basic
    assert basic.count('<td class="num since" data-testid="since">0</td>') == 7
    assert "Đại Bình không còn đạt 1: 2. Giao thông" in basic
    book = load_workbook(BytesIO(client.get("/bao-cao-nhanh/xlsx/?unit=dam-ha&date=2022-09-30").content))
    rows = list(book["Theo đơn vị"].iter_rows(values_only=True))
    assert rows[0][8:] == (
        "Số tiêu chí đạt thêm từ 19/08/2022",
        "Tiêu chí đạt thêm từ 19/08/2022",
        "Số tiêu chí không còn đạt từ 19/08/2022",
        "Tiêu chí không còn đạt từ 19/08/2022",
    )
    dai_binh_row = next(
        r for r in rows if r[:2] == ("Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025", "Xã Đại Bình")
    )
    assert dai_binh_row[8:] == (0, None, 1, "2. Giao thông")


def test_brief_xlsx_has_the_criteria_gained_and_the_unmet_indicators_by_name(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    book = load_workbook(BytesIO(client.get("/bao-cao-nhanh/xlsx/?unit=dam-ha&date=2022-08-19").content))
    rows = list(book["Theo đơn vị"].iter_rows(values_only=True))
    dai_binh = next(r for r in rows if r[1] == "Xã Đại Bình")
    assert dai_binh[8:] == (2, "2. Giao thông; 8. Thông tin và Truyền thông", 0, None)
    gaps = {
        r[1]: r[2]
        for r in book["Chỉ tiêu chưa đạt"].iter_rows(values_only=True)
        if r[0].startswith("Bộ tiêu chí quốc gia về xã nông thôn mới giai")
    }
    assert gaps["Xã Đại Bình"] == (
        "13.2 (Tổ chức sản xuất và phát triển kinh tế nông thôn), 17.4, 17.7 (Môi trường và an toàn thực phẩm)"
    )


def test_brief_has_no_change_column_on_the_first_report_date(demo_accounts, client):
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bao-cao-nhanh/?unit=dam-ha&date=2021-12-31").content.decode()
    assert "+/−" not in page
    assert 'data-testid="since"' not in page


def test_brief_marks_due_plan_items_whose_deadline_has_passed(demo_accounts, client):
    from datetime import date

    from communes.models import AdministrativeUnit
    from criteria.models import Indicator
    from steering.models import PlanItem, PlanStatus

    indicator = Indicator.objects.select_related("criterion__criteria_set").get(
        criterion__criteria_set__code="xa-ntm-2021-2025", code="17.7"
    )
    unit = AdministrativeUnit.objects.get(code="xa-tan-lap")
    common = {"unit": unit, "criteria_set": indicator.criterion.criteria_set, "indicator": indicator}
    PlanItem.objects.create(**common, deadline=date(2022, 8, 1), status=PlanStatus.IN_PROGRESS)
    PlanItem.objects.create(**common, deadline=date(2022, 9, 1), status=PlanStatus.IN_PROGRESS)
    client.force_login(demo_accounts["lanhdao"])
    page = client.get("/bao-cao-nhanh/?unit=dam-ha&date=2022-08-19").content.decode()
    due = page.split('data-testid="due-items"', 1)[1].split("</p>", 1)[0]
    late, on_time = due.split(" · ")
    assert "Tân Lập: 17.7 (Môi trường và an toàn thực phẩm) (01/08/2022)" in late
    assert '<span class="badge overdue">Quá hạn</span>' in late
    assert "(01/09/2022)" in on_time
    assert "Quá hạn" not in on_time


def test_a_large_subtrees_workbook_has_a_row_per_district_with_its_own_figures(db, client, settings):
    """A province's spreadsheet, as its brief: a row per district whose figures are the
    district's own summary, the province's total, the indicators least often met; no communes."""
    from reports.engine import summarise
    from reports.tests.test_overview_by_child import _one_decimal_province

    settings.NTM_PER_UNIT_MAX_UNITS = 20
    province, user = _one_decimal_province()
    client.force_login(user)
    book = load_workbook(BytesIO(client.get(f"/bao-cao-nhanh/xlsx/?unit={province.code}&date=2022-08-19").content))
    assert book.sheetnames == ["Tóm tắt", "Theo đơn vị trực thuộc", "Chỉ tiêu chưa đạt nhiều nhất"]
    rows = list(book["Theo đơn vị trực thuộc"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["Huyện Huyện số 0", "Huyện Huyện số 1", "Huyện Huyện số 2", "Tổng"]
    for row, code in zip(rows, ["huyen-0", "huyen-1", "huyen-2"], strict=False):
        (own,) = summarise(AdministrativeUnit.objects.get(code=code), date(2022, 8, 19)).sets
        assert row[2:8] == (
            own.unit_count,
            float(own.average_criteria),
            own.criteria_total,
            float(own.average_indicators),
            own.indicators_total,
            own.units_meeting_standard,
        )
    assert rows[-1][2] == 27 and rows[-1][3] == 1.6  # 42/27 at the province's one decimal
    unmet = list(book["Chỉ tiêu chưa đạt nhiều nhất"].iter_rows(min_row=2, values_only=True))
    assert unmet and all(r[4] == 27 for r in unmet)
    assert "Xã" not in " ".join(str(c) for r in rows for c in r)


def test_a_districts_brief_is_cached_as_html_but_not_the_users_due_items(
    demo_accounts, client, settings, django_assert_num_queries
):
    from django.core.cache import cache

    from criteria.models import Indicator
    from records.models import AchievementRecord
    from steering.models import PlanItem, PlanStatus

    settings.NTM_CACHE_SUMMARIES = True
    cache.clear()
    client.force_login(demo_accounts["lanhdao"])
    url = "/bao-cao-nhanh/?unit=dam-ha&date=2022-08-19"
    first = _sheet(client.get(url))
    with django_assert_num_queries(QUERIES_CACHED_BRIEF):
        assert _sheet(client.get(url)) == first  # the page around it has a fresh nonce and token
    assert "có 8 xã đạt bình quân 17,87/19 tiêu chí (94,1%)" in first

    # A plan item is the user's, not the figures': it shows at once (plans bump no data version).
    indicator = Indicator.objects.select_related("criterion__criteria_set").get(
        criterion__criteria_set__code="xa-ntm-2021-2025", code="17.7"
    )
    unit = AdministrativeUnit.objects.get(code="xa-tan-lap")
    PlanItem.objects.create(
        unit=unit,
        criteria_set=indicator.criterion.criteria_set,
        indicator=indicator,
        deadline=date(2022, 8, 1),
        status=PlanStatus.IN_PROGRESS,
    )
    due = client.get(url).content.decode().split('data-testid="due-items"', 1)[1].split("</p>", 1)[0]
    assert "Tân Lập: 17.7" in due

    # Any write to the records shows at once too: the version keys the cached HTML.
    AchievementRecord.objects.filter(  # Đại Bình's one unmet indicator on the basic set, now met
        unit__code="xa-dai-binh",
        indicator__code="13.2",
        indicator__criterion__criteria_set__code="xa-ntm-2021-2025",
        as_of=date(2022, 8, 19),
    ).update(value_bool=True, is_met=True)
    page = _sheet(client.get(url))
    assert "55,75/57 chỉ tiêu" not in page
    assert "55,87/57 chỉ tiêu" in page


def _sheet(response):
    """The brief itself: its `<article>`."""
    return response.content.decode().split('<article class="sheet"', 1)[1].split("</article>", 1)[0]
