"""A district's pages cost what the district costs, however much of the country the database holds.

The same district's overview, summary API, brief, steering lists, commune page and set page issue
the same queries whether the database holds its own province only or a dozen more; on PostgreSQL
(after ANALYZE, as in production) they also read the same number of records, so no query reads
the rest of the country.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from criteria.models import Enrolment, Indicator
from records.models import AchievementRecord
from tests.factories import DISTRICT_DAY, DISTRICT_EARLIER, CommuneFactory, DistrictFactory, ProvinceFactory

EXTRA_PROVINCES = 12


def _add_provinces(criteria_set, count):
    """`count` more provinces of 2 districts of 5 communes, in the same set, with records on the same dates."""
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set))
    communes = []
    for _ in range(count):
        province = ProvinceFactory()
        for _ in range(2):
            district = DistrictFactory(parent=province)
            communes += [CommuneFactory(parent=district) for _ in range(5)]
    Enrolment.objects.bulk_create(Enrolment(unit=c, criteria_set=criteria_set) for c in communes)
    AchievementRecord.objects.bulk_create(
        AchievementRecord(unit=c, indicator=i, as_of=day, value_bool=True, is_met=True, status="verified")
        for c in communes
        for day in (DISTRICT_EARLIER, DISTRICT_DAY)
        for i in indicators
    )


def _records_read():
    """Rows of the record table read so far in this transaction (sequential scans plus index
    entries): the table that grows by millions with the country. Exact, unlike EXPLAIN's
    per-loop average; small tables may be scanned whole and are not counted."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT seq_tup_read FROM pg_stat_xact_user_tables WHERE relname = %s)"
            " + (SELECT COALESCE(SUM(pg_stat_get_xact_tuples_returned(indexrelid)), 0) FROM pg_index"
            " WHERE indrelid = %s::regclass)",
            [AchievementRecord._meta.db_table] * 2,
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def _cost(client, url):
    """(status, queries issued, record rows read on PostgreSQL, else None)."""
    before = _records_read() if connection.vendor == "postgresql" else None
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    rows = _records_read() - before if before is not None else None
    return response.status_code, len(queries.captured_queries), rows


def _analyze():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@pytest.mark.parametrize(
    "page",
    [
        "/",
        "/api/v1/units/huyen-thu/summary/",
        "/bao-cao-nhanh/",
        "/chi-dao/",
        "/chi-dao/cong-trinh/",
        "/chi-dao/ho-so/",
        "/don-vi/{commune}/",
        "/bo-tieu-chi/{set}/",
    ],
)
def test_a_districts_page_costs_the_same_with_many_more_provinces_in_the_database(district_of, client, page):
    _district, criteria_set, communes, user = district_of(10)
    page = page.format(commune=communes[0].code, set=criteria_set.code)
    client.force_login(user)
    _analyze()
    client.get(page)  # warm-up: templates, translations
    alone = _cost(client, page)

    _add_provinces(criteria_set, EXTRA_PROVINCES)
    _analyze()
    among_many = _cost(client, page)

    assert alone[0] == among_many[0] == 200
    assert among_many[1] == alone[1], f"{page}: {alone[1]} queries alone, {among_many[1]} among many"
    if alone[2] is not None:
        # Alone, the record table is small enough to scan whole; among many, the planner may read
        # fewer (an index on the dates) or one entry past each of the district's 11 units' rows.
        # Reading the other provinces would add their 1,440 records.
        assert among_many[2] <= alone[2] + 11, f"{page}: records read alone {alone[2]}, among many {among_many[2]}"
