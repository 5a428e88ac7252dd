"""The dates a report can be asked for: every date with a counted record under a unit."""

from communes.models import AdministrativeUnit
from records.models import AchievementRecord
from reports.cache import cached


def latest_record_date(unit, include_submitted=False):
    """The newest counted record date under `unit`: the default report date. None when there is none.

    The last of `report_dates` (the same reads, cached alike): an ORDER BY as_of DESC LIMIT 1 of
    its own let PostgreSQL walk the (as_of, status) index backwards through every other
    province's records of the latest dates until one of the subtree's came up (a district's
    steering list read 764 records with 12 other provinces in a test, a country's worth at
    full size; `reports/tests/test_subtree_cost.py`)."""
    dates = report_dates(unit, include_submitted)
    return dates[-1] if dates else None


def report_dates(unit, include_submitted=False):
    """Every date with a counted record under `unit`, oldest first: the dates a report can be asked for.

    Run on every page and API call, before any cached figure: it reads only the unit's subtree
    (within(), which the planner estimates right) and, with NTM_CACHE_SUMMARIES on, is cached per
    unit and mode under the data version, so a cached page does not recompute it.
    """
    return cached("report_dates", lambda: _report_dates(unit, include_submitted), unit.pk, int(include_submitted))


def _report_dates(unit, include_submitted):
    units_under = AdministrativeUnit.objects.within(unit).values("pk")
    if unit.parent_id is None:
        return AchievementRecord.objects.report_dates_by_probe(units_under, include_submitted)
    return list(AchievementRecord.objects.counted(include_submitted).filter(unit__in=units_under).report_dates())
