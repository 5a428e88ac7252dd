"""A province's or the nation's steering lists (plans, works, dossiers): one row per unit one level
down, each with a link to its own list, whose figures are those of the unit's own list, and a
query count that does not grow with the number of units."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.services import account_create
from communes.models import AdministrativeUnit
from criteria.models import Indicator
from reports.engine import standards_at_risk
from steering.models import Dossier, DossierStatus, PlanItem, PlanStatus, Work
from tests.factories import (
    CommuneFactory,
    DistrictFactory,
    EnrolmentFactory,
    ProvinceFactory,
    RecognitionFactory,
    RecordFactory,
    build_set,
)

DAY = date(2024, 6, 30)
MERGED = date(2024, 1, 1)  # a commune merged away before DAY: in no row and no total
URLS = {"plans": "/chi-dao/", "works": "/chi-dao/cong-trinh/", "dossiers": "/chi-dao/ho-so/"}


@pytest.fixture
def per_child_above_three(settings):
    """The province (itself and three districts, communes merged away or not) is always large;
    a district of at most two communes is not."""
    settings.NTM_PER_UNIT_MAX_UNITS = 3


# Per commune: its district (0-2), whether it was merged away before DAY, per indicator met or
# not (None: no record), recognised, its plan items (status, deadline offset in days from DAY or
# None), its work (None, or physical progress and disbursed share) and its dossier status.
commune = st.fixed_dictionaries(
    {
        "district": st.integers(0, 2),
        "merged": st.booleans(),
        "statuses": st.lists(st.sampled_from([None, True, False]), min_size=3, max_size=3),
        "recognised": st.booleans(),
        "items": st.lists(
            st.tuples(st.sampled_from(PlanStatus.values), st.sampled_from([None, -40, -1, 0, 10, 31, 90])), max_size=3
        ),
        "work": st.one_of(st.none(), st.tuples(st.integers(0, 100), st.integers(0, 10))),
        "dossier": st.one_of(st.none(), st.sampled_from(DossierStatus.values)),
    }
)


def _plain(district, recognised=False):
    """A commune meeting every indicator, with no plan item, work or dossier."""
    return {
        "district": district,
        "merged": False,
        "statuses": [True, True, True],
        "recognised": recognised,
        "items": [],
        "work": None,
        "dossier": None,
    }


def _build(communes, *, province_work=False):
    province = ProvinceFactory(code="tinh", name="Thử")
    districts = [DistrictFactory(parent=province, code=f"huyen-{d}", name=f"Huyện {d}") for d in range(3)]
    criteria_set = build_set([2, 1], code="bo-thu", name="Bộ thử")
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("code"))
    for n, spec in enumerate(communes):
        unit = CommuneFactory(
            parent=districts[spec["district"]],
            code=f"xa-{n}",
            name=f"Xã {n}",
            valid_to=MERGED if spec["merged"] else None,
        )
        EnrolmentFactory(unit=unit, criteria_set=criteria_set)
        for indicator, met in zip(indicators, spec["statuses"], strict=True):
            if met is not None:
                RecordFactory(unit=unit, indicator=indicator, as_of=date(2023, 12, 1), met=met)
        recognition = None
        if spec["recognised"] or spec["dossier"] == DossierStatus.RECOGNISED:  # a recognised dossier has its decision
            recognition = RecognitionFactory(unit=unit, criteria_set=criteria_set, decision_date=date(2023, 12, 31))
        for k, (status, offset) in enumerate(spec["items"]):
            PlanItem.objects.create(
                unit=unit,
                criteria_set=criteria_set,
                indicator=indicators[k],
                status=status,
                deadline=None if offset is None else date.fromordinal(DAY.toordinal() + offset),
            )
        if spec["work"] is not None:
            progress, tenths = spec["work"]
            Work.objects.create(
                name=f"Công trình {n}",
                unit=unit,
                approved_capital=1_000,
                disbursed=100 * tenths,
                physical_progress=progress,
                start_date=date(2024, 1, 1),
                due_date=date(2024, 12, 31),
            )
        if spec["dossier"] is not None:
            Dossier.objects.create(
                unit=unit,
                criteria_set=criteria_set,
                status=spec["dossier"],
                recognition=recognition if spec["dossier"] == DossierStatus.RECOGNISED else None,
            )
    if province_work:  # a work the province itself owns: its own row
        Work.objects.create(
            name="Công trình của tỉnh",
            unit=province,
            approved_capital=5_000,
            disbursed=0,
            physical_progress=0,
            start_date=date(2024, 1, 1),
            due_date=date(2024, 3, 1),
        )
    user = account_create(username="tinh", password="x", role="leader", unit=province)
    return province, districts, user


def _expected(districts):
    """Per district code, counted here from the rows of its units that exist on DAY, with the
    models' own rules (is_open, is_overdue, is_late) and the engine's per-unit at-risk list."""
    expected = {}
    for district in districts:
        units = AdministrativeUnit.objects.within(district).valid_on(DAY)
        items = list(PlanItem.objects.filter(unit__in=units))
        open_items = [i for i in items if i.is_open]
        works = list(Work.objects.filter(unit__in=units))
        dossiers = Dossier.objects.filter(unit__in=units)
        expected[district.code] = {
            "plans": (
                len(items),
                len(open_items),
                sum(i.is_overdue(DAY) for i in items),
                sum(1 for i in open_items if i.deadline is not None and i.deadline <= date(2024, 7, 30)),
                sum(i.status == PlanStatus.DONE for i in items),
            ),
            "works": (
                len(works),
                sum(w.approved_capital for w in works),
                sum(w.disbursed for w in works),
                sum(w.is_late(DAY) for w in works),
            ),
            "dossiers": {s: n for s in DossierStatus.values if (n := sum(d.status == s for d in dossiers))},
            "at_risk": len(standards_at_risk(district, DAY)),
        }
    return expected


def _found(client):
    found = {}
    plans = client.get(f"{URLS['plans']}?date={DAY}")
    for child, c in plans.context["children"]:
        found.setdefault(child.code, {})["plans"] = (c["total"], c["open"], c["overdue"], c["due"], c["done"])
    works = client.get(f"{URLS['works']}?date={DAY}")
    for row in works.context["children"]:
        found.setdefault(row.unit.code, {})["works"] = (
            row.count,
            row.approved_total,
            row.disbursed_total,
            row.late_count,
        )
    dossiers = client.get(f"{URLS['dossiers']}?date={DAY}")
    labels = dict(DossierStatus.choices)
    value_of = {str(label): value for value, label in labels.items()}
    for figures, statuses in dossiers.context["children"]:
        found.setdefault(figures.unit.code, {})["dossiers"] = {value_of[str(label)]: n for label, n in statuses}
    for figures in dossiers.context["at_risk_children"]:
        found.setdefault(figures.unit.code, {})["at_risk"] = figures.units_at_risk
    return found, (plans, works, dossiers)


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(communes=st.lists(commune, min_size=6, max_size=14))
def test_each_row_has_the_figures_of_its_own_units(client, per_child_above_three, communes):
    try:
        with transaction.atomic():
            _province, districts, user = _build(communes)
            client.force_login(user)
            found, pages = _found(client)
            for district, figures in _expected(districts).items():
                row = found[district]  # every district has a row, one without units too
                assert row["plans"] == figures["plans"], district
                assert row["works"] == figures["works"], district
                assert row.get("dossiers", {}) == figures["dossiers"], district  # a row where units pursue the set
                assert row.get("at_risk", 0) == figures["at_risk"], district
            plans, works, _dossiers = pages
            assert plans.context["open_count"] == sum(f["plans"][1] for f in _expected(districts).values())
            assert works.context["summary"].count == sum(f["works"][0] for f in _expected(districts).values())
            raise Rollback
    except Rollback:
        pass


def test_rows_link_to_each_units_own_list(db, client, settings):
    settings.NTM_PER_UNIT_MAX_UNITS = 5  # the province's 12 units are many, a district's 4 are not
    specs = [_plain(n % 3) for n in range(8)]
    _province, _districts, user = _build(specs, province_work=True)
    client.force_login(user)
    for name, url in URLS.items():
        page = client.get(f"{url}?date={DAY}").content.decode()
        assert 'data-testid="per-child-note"' in page, name
        assert f'href="?unit=huyen-1&amp;date={DAY}"' in page, name
        assert "Xã 1<" not in page, name  # no row per commune
    works = client.get(f"{URLS['works']}?date={DAY}")
    assert [r.unit.code for r in works.context["children"]][0] == "tinh"  # the province's own work
    assert works.context["summary"].late_count == 1
    # The link leads to the district's own list: a row per commune again.
    district = client.get(f"{URLS['dossiers']}?unit=huyen-1&date={DAY}").content.decode()
    assert 'data-testid="per-child-note"' not in district
    assert district.count('data-testid="dossier-row"') == 3  # communes 1, 4, 7


@pytest.mark.parametrize("name", list(URLS))
def test_queries_do_not_grow_with_the_units(db, client, per_child_above_three, name):
    counts = []
    for size in (6, 30):
        with transaction.atomic():
            specs = [
                {
                    "district": n % 3,
                    "merged": n % 7 == 0,
                    "statuses": [True, n % 2 == 0, None],
                    "recognised": n % 3 == 0,
                    "items": [(PlanStatus.DRAFT, -1), (PlanStatus.DONE, None)],
                    "work": (n % 100, 5),
                    "dossier": DossierStatus.values[n % 5],
                }
                for n in range(size)
            ]
            _province, _districts, user = _build(specs)
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"{URLS[name]}?date={DAY}")
            assert response.status_code == 200
            counts.append(len(queries))
            transaction.set_rollback(True)
    assert counts[0] == counts[1], counts


def test_the_roll_up_is_cached_until_the_data_changes(db, client, per_child_above_three, settings):
    settings.NTM_CACHE_SUMMARIES = True
    cache.clear()
    specs = [_plain(n % 3, recognised=True) for n in range(6)]
    _province, _districts, user = _build(specs)
    client.force_login(user)
    url = f"{URLS['dossiers']}?date={DAY}"
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    assert len(second) == len(first) - 4  # the roll-up's four queries (both read the data version)
    assert response.context["at_risk_children"] == []
    # Xã 0 (Huyện 0) loses indicator 1.1: the next reader sees it at once.
    RecordFactory(
        unit=AdministrativeUnit.objects.get(code="xa-0"),
        indicator=Indicator.objects.order_by("code")[0],
        as_of=date(2024, 5, 1),
        met=False,
    )
    response = client.get(url)
    assert [(f.unit.code, f.units_at_risk) for f in response.context["at_risk_children"]] == [("huyen-0", 1)]
    cache.clear()
