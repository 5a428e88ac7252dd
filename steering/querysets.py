"""Named reads over plan items, dossiers and works, for the steering pages and the brief."""

from datetime import date, timedelta

from django.db import models

from reports.engine import met_indicator_pairs

# Steering committees meet about monthly: without a date, "before the next meeting" is 30 days on.
NEXT_MEETING_DAYS = 30


class PlanItemQuerySet(models.QuerySet):
    def for_units(self, units):
        """Items of the given units (a queryset of AdministrativeUnit, e.g. `visible_units(user)`)."""
        return self.filter(unit__in=units)

    def open(self):
        """Items still to do: draft or in progress."""
        from steering.models import OPEN_PLAN_STATUSES

        return self.filter(status__in=OPEN_PLAN_STATUSES)

    def overdue(self, day):
        """Open items whose deadline is before `day`."""
        return self.open().filter(deadline__lt=day)

    def due_for_meeting(self, raw_due, as_of):
        """(next meeting day, open items due by then): the day is `raw_due` (YYYY-MM-DD, e.g. from
        ?due=), else NEXT_MEETING_DAYS after the report date."""
        try:
            day = date.fromisoformat(raw_due or "")
        except ValueError:
            day = as_of + timedelta(days=NEXT_MEETING_DAYS)
        return day, self.due_before(day)

    def due_before(self, day):
        """Open items due on or before `day`, soonest first: what the next meeting asks about."""
        return self.open().filter(deadline__lte=day).order_by("deadline", "unit__code").with_related()

    def with_related(self):
        """Everything a list row shows, in the same query."""
        return self.select_related("unit", "criteria_set", "indicator__criterion", "office")


class DossierQuerySet(models.QuerySet):
    def for_units(self, units):
        return self.filter(unit__in=units).select_related("unit", "criteria_set", "recognition")


class WorkQuerySet(models.QuerySet):
    def for_units(self, units):
        """Works in the given units, with their commune, office and criteria (two queries)."""
        return (
            self.filter(unit__in=units)
            .select_related("unit", "office")
            .prefetch_related("criteria")
            .order_by("due_date", "name")
        )


def mark_indicator_met(items, as_of):
    """Set `indicator_met` on each plan item: whether the engine now finds its indicator met in
    its unit as of `as_of`. One query for any number of items.
    """
    items = list(items)
    pairs = met_indicator_pairs({i.unit_id for i in items}, {i.indicator_id for i in items}, as_of) if items else set()
    for item in items:
        item.indicator_met = (item.unit_id, item.indicator_id) in pairs
    return items
