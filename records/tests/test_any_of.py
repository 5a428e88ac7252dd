"""Any-of indicators: met when at least N of their listed items are (the shape of criterion 7 of
2021-2025: a standard market or, where there is none, a store meeting the standard). The items
and numbers in these tests are made up, not official wording.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.models import Indicator, IndicatorItem, IndicatorKind
from criteria.set_imports import INDICATOR_COLUMNS, ITEM_COLUMNS
from records.models import AchievementRecord
from records.services import criteria_set_import, record_evaluate, record_save
from reports.engine import unit_detail
from reports.exports import criteria_set_workbook, records_export
from tests.factories import CommuneFactory, CriterionFactory, EnrolmentFactory, IndicatorFactory
from tests.io_helpers import MEETING, record_file, record_row, upload
from tests.workflow_helpers import advanced_indicator

pytestmark = pytest.mark.django_db
CODES = ["a", "b", "c", "d", "e"]


def _any_of(criterion=None, codes=("a", "b", "c"), min_items=1, code="7.9"):
    indicator = IndicatorFactory(
        criterion=criterion or CriterionFactory(), code=code, kind=IndicatorKind.ANY_OF, min_items=min_items
    )
    for order, item in enumerate(codes):
        IndicatorItem.objects.create(indicator=indicator, code=item, name=f"Mục thử {item}", order=order)
    return Indicator.objects.get(pk=indicator.pk)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    listed=st.integers(min_value=1, max_value=5),
    min_items=st.integers(min_value=1, max_value=5),
    data=st.data(),
)
def test_an_any_of_value_is_met_exactly_when_enough_listed_items_are(db, listed, min_items, data):
    met = data.draw(st.lists(st.sampled_from(CODES[:listed]), unique=True))
    with transaction.atomic():
        indicator = _any_of(codes=CODES[:listed], min_items=min_items)
        typed = "; ".join(reversed(met)) if met else "0"
        codes, count = indicator.any_of_value(typed)
        assert count == len(met)
        assert codes == ("; ".join(c for c in CODES if c in met) if met else "0")  # in the list's order
        judged = record_evaluate(
            unit=CommuneFactory.build(), indicator=indicator, value_number=Decimal(count), value_items=codes
        )
        assert judged is (len(met) >= min_items)
        transaction.set_rollback(True)


def test_an_item_the_list_does_not_have_is_refused_with_the_list():
    indicator = _any_of()
    with pytest.raises(ValidationError, match="không có mục x"):
        indicator.any_of_value("a; x")
    with pytest.raises(ValidationError, match="cách nhau bởi dấu chấm phẩy"):
        indicator.any_of_value("")


def test_a_record_keeps_its_items_and_the_commune_page_shows_them(client, demo_accounts):
    criterion = advanced_indicator("13.7").criterion
    indicator = _any_of(criterion=criterion, min_items=2)
    commune = demo_accounts["xa_quangtan"].profile.unit
    record = record_save(unit=commune, indicator=indicator, as_of=MEETING, value_number=2, value_items="c; a")
    assert (record.value_items, record.value_number, record.is_met) == ("a; c", 2, True)  # listed order
    status = next(
        s
        for c in unit_detail(commune, criterion.criteria_set, MEETING).criteria
        for s in c.indicators
        if s.indicator.pk == indicator.pk
    )
    assert status.met
    client.force_login(demo_accounts["bcd"])
    page = client.get(f"/don-vi/{commune.code}/?date=2022-08-19").content.decode()
    assert "2 mục: a; c" in page and "ít nhất 2 mục đạt" in page
    api = client.get(f"/api/v1/units/{commune.code}/detail/?date=2022-08-19").json()
    found = [i for s in api["sets"] for c in s["criteria"] for i in c["indicators"] if i["code"] == "7.9"]
    assert found and found[0]["items_met"] == ["a", "c"] and found[0]["value"] == 2


def test_the_entry_form_offers_the_items_as_checkboxes_and_saves_the_ones_ticked(client, demo_accounts, meeting_round):
    criterion = advanced_indicator("13.7").criterion
    indicator = _any_of(criterion=criterion, min_items=2)
    officer = demo_accounts["xa_quangtan"]
    client.force_login(officer)
    url = f"/nhap-lieu/xa-quang-tan/{criterion.criteria_set.code}/{criterion.number}/?round={meeting_round.pk}"
    page = client.get(url)
    assert page.status_code == 200
    form = next(f for f in page.context["rows"] if f["indicator"].pk == indicator.pk)["form"]
    html = page.content.decode()
    assert 'type="checkbox"' in html and "Mục thử b" in html and "Không mục nào đạt" in html
    prefix = form.prefix
    data = {"action": "submit"}
    for row in page.context["rows"]:  # every line as the page shows it, as the browser posts it
        data[f"{row['form'].prefix}-version"] = row["form"].initial.get("version", 0)
        data[f"{row['form'].prefix}-verified_version"] = row["form"].initial.get("verified_version", 0)
    data[f"{prefix}-value"] = ["b"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = AchievementRecord.objects.get(unit=officer.profile.unit, indicator=indicator)
    assert (record.value_items, record.value_number, record.is_met, record.status) == ("b", 1, False, "submitted")

    both = {**data, f"{prefix}-value": ["0", "a"], f"{prefix}-version": str(record.version)}
    refused = client.post(url, both)
    assert refused.status_code == 200 and "không chọn mục nào khác" in refused.content.decode()
    record.refresh_from_db()
    assert record.value_items == "b"


def test_a_file_names_the_met_items_and_an_export_loads_back_the_same(db):
    from records.imports import records_import

    set_ = CriterionFactory().criteria_set
    _any_of(criterion=set_.criteria.first(), min_items=2)
    communes = [CommuneFactory(), CommuneFactory(), CommuneFactory()]
    for commune in communes:
        EnrolmentFactory(unit=commune, criteria_set=set_)
    rows = [
        record_row(communes[0].code, set_.code, "7.9", "a; c"),
        record_row(communes[1].code, set_.code, "7.9", "b"),
        record_row(communes[2].code, set_.code, "7.9", "0"),
    ]
    result = records_import(file=record_file(rows), user=None, unit=None, dry_run=False)
    assert result.ok, result.errors
    records = AchievementRecord.objects.filter(indicator__code="7.9")
    got = {r.unit_id: (r.value_items, r.value_number, r.is_met) for r in records}
    assert got == {communes[0].pk: ("a; c", 2, True), communes[1].pk: ("b", 1, False), communes[2].pk: ("0", 0, False)}

    bad = records_import(
        file=record_file([record_row(communes[0].code, set_.code, "7.9", "a; z")]), user=None, unit=None, dry_run=False
    )
    assert not bad.ok and "không có mục z" in bad.errors[0].message

    exported = records_export(units=communes[0].__class__.objects.filter(pk__in=[c.pk for c in communes]), fmt="xlsx")
    again = records_import(file=upload(exported), user=None, unit=None, dry_run=True)
    assert again.ok and again.changes == [] and again.unchanged == 3, again.errors


def _any_of_set(min_items=1, items=(("7.9", "a"), ("7.9", "b"))):
    from criteria.tests.test_import_sets import set_file, synthetic_set_rows

    rows = synthetic_set_rows(sizes=[3])
    columns = list(INDICATOR_COLUMNS)
    line = dict.fromkeys(columns, "")
    line.update(criterion=1, code="7.9", kind="Đạt khi đủ số mục", order=9, min_items=min_items)
    rows["indicators"].append([line[k] for k in columns])
    rows["items"] = [[code, item, f"Mục thử {item}", n] for n, (code, item) in enumerate(items)]
    return set_file(rows)


def test_an_any_of_indicator_and_its_items_load_from_the_set_workbook_and_go_back_out_unchanged():
    result = criteria_set_import(file=_any_of_set(), dry_run=False)
    assert result.saved, result.errors
    indicator = Indicator.objects.get(code="7.9")
    assert (indicator.kind, indicator.min_items) == ("any_of", 1)
    assert [i.code for i in indicator.items.all()] == ["a", "b"]
    again = criteria_set_import(
        file=upload(criteria_set_workbook(indicator.criterion.criteria_set), "bo.xlsx"), dry_run=True
    )
    assert again.ok and again.changes == [], again.errors


@pytest.mark.parametrize(
    ("min_items", "items", "column", "message"),
    [
        (3, (("7.9", "a"), ("7.9", "b")), "Chỉ tiêu › Mã chỉ tiêu", "cần ít nhất 3 mục"),
        ("", (("7.9", "a"),), INDICATOR_COLUMNS["min_items"], "cần số mục cần đạt"),
        (1, (("7.9", "a"), ("1.1", "b")), ITEM_COLUMNS["indicator"], "không thuộc loại"),
        (1, (("7.9", "a"), ("7.9", "a")), ITEM_COLUMNS["code"], "Mục trùng"),
    ],
)
def test_a_wrong_any_of_indicator_is_refused_and_nothing_is_saved(min_items, items, column, message):
    result = criteria_set_import(file=_any_of_set(min_items, items), dry_run=False)
    assert not result.saved
    assert any(column in e.column and message in e.message for e in result.errors), result.errors
    assert not Indicator.objects.filter(code="7.9").exists()


def test_asking_for_more_items_judges_the_records_again():
    criteria_set_import(file=_any_of_set(min_items=1), dry_run=False)
    indicator = Indicator.objects.get(code="7.9")
    commune = CommuneFactory()
    record = record_save(unit=commune, indicator=indicator, as_of=MEETING, value_number=1, value_items="a")
    assert record.is_met
    result = criteria_set_import(file=_any_of_set(min_items=2), dry_run=False)
    assert result.saved, result.errors
    record.refresh_from_db()
    assert record.is_met is False
