"""The summary API of a large subtree: a row per unit one level down unless the units are asked
for, and then a page of them at a time."""

import pytest

from reports.tests.test_overview_by_child import _one_decimal_province, _province
from tests.factories import DISTRICT_DAY

pytestmark = pytest.mark.django_db
DAY = DISTRICT_DAY.isoformat()


@pytest.fixture
def small_threshold(settings):
    settings.NTM_PER_UNIT_MAX_UNITS = 20


def _get(client, province, **query):
    response = client.get(f"/api/v1/units/{province.code}/summary/", {"date": DAY, **query})
    return response.status_code, response.json()


def test_a_large_units_summary_gives_a_row_per_child_with_its_bins_statuses_sum_and_count(small_threshold, client):
    province, user = _one_decimal_province()
    client.force_login(user)
    status, data = _get(client, province)
    assert status == 200 and data["rows"] == "children"
    (s,) = data["sets"]
    assert "units" not in s  # no row per commune
    assert [c["code"] for c in s["children"]] == ["huyen-0", "huyen-1", "huyen-2"]
    child = s["children"][0]
    assert child["url"] == f"/api/v1/units/huyen-0/summary/?date={DAY}"
    assert [(b["bin"], b["count"], b["base_count"], b["units"]) for b in child["distribution"]] == [
        ("2", 5, 9, None),
        ("0-1", 4, 9, None),
    ]
    statuses = {st["code"]: (st["count"], st["base"], st["base_count"]) for st in child["statuses"]}
    assert statuses == {
        "standard_met": (5, "pursuing", 9),
        "basic": (4, "pursuing", 9),
        "recognised": (0, "pursuing", 9),
        "not_maintained": (0, "recognised", 0),
    }
    assert [(b["count"], b["percent"]) for b in s["distribution"]] == [(15, 55.6), (12, 44.4)]
    # The child's own summary (9 communes, below the threshold) lists them, as before.
    status, own = _get(client, province.__class__.objects.get(code="huyen-0"))
    assert "rows" not in own and len(own["sets"][0]["units"]) == 9


def test_the_units_are_given_when_asked_a_page_at_a_time(small_threshold, client):
    province, user = _province(3, 9)
    client.force_login(user)
    status, first = _get(client, province, rows="units", page_size="10")
    assert status == 200 and first["rows"] == "units"
    assert first["page"] == {"number": 1, "size": 10, "pages": 3, "unit_count": 27}
    (s,) = first["sets"]
    assert s["unit_count"] == 27  # the figures are the whole unit's; the rows the page's
    assert [u["code"] for u in s["units"]] == [f"xa-0-{k:03d}" for k in range(9)] + ["xa-1-000"]
    assert s["distribution"][0]["count"] == 15
    assert s["distribution"][0]["units"] == ["xa-0-000", "xa-0-002", "xa-0-004", "xa-0-006", "xa-0-008", "xa-1-000"]
    _, last = _get(client, province, rows="units", page_size="10", page="3")
    assert [u["code"] for u in last["sets"][0]["units"]] == [f"xa-2-{k:03d}" for k in range(2, 9)]


@pytest.mark.parametrize(
    "query, message",
    [
        ({"rows": "all"}, "Tham số rows chỉ nhận “children” hoặc “units”."),
        ({"rows": "units", "page": "0"}, "Tham số page phải là số nguyên dương."),
        ({"rows": "units", "page_size": "x"}, "Tham số page_size phải là số nguyên dương."),
        ({"rows": "units", "page": "2"}, "Không có trang 2: chỉ có 1 trang."),
    ],
)
def test_a_bad_rows_or_page_is_a_400_with_the_reason(small_threshold, client, query, message):
    province, user = _province(3, 9)
    client.force_login(user)
    assert _get(client, province, **query) == (400, {"error": message})


def test_rows_children_also_answers_below_the_threshold(client):
    province, user = _province(3, 9)  # 27 communes: below the default threshold of 60
    client.force_login(user)
    _, default = _get(client, province)
    assert "rows" not in default and len(default["sets"][0]["units"]) == 27
    _, children = _get(client, province, rows="children")
    assert len(children["sets"][0]["children"]) == 3


@pytest.mark.parametrize("per_district", [8, 40])
def test_a_large_summary_costs_the_same_queries_whatever_the_number_of_communes(
    small_threshold, client, django_assert_num_queries, per_district
):
    province, user = _province(3, per_district)
    client.force_login(user)
    # session, user, profile, its unit, the unit asked for, report dates, units under it (per
    # child?), rollup: sets (with the province's rules), indicators, one statement, child units
    with django_assert_num_queries(11):
        status, data = _get(client, province)
    assert status == 200 and len(data["sets"][0]["children"]) == 3
