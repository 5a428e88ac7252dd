"""Named reads over plan items, dossiers and works, for the steering pages and the brief."""

from datetime import date, timedelta

from django.db import models
from django.db.models import Count, Q

from communes.models import child_under
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

    def counts_by_child(self, unit, day, due_day):
        """{child id: {"total", "open", "overdue", "due", "done"}}: the items counted per unit one
        level below `unit` (`child_under`), overdue on `day` and due by `due_day` as `overdue`
        and `due_before` read them. One query."""
        from steering.models import OPEN_PLAN_STATUSES, PlanStatus

        is_open = Q(status__in=OPEN_PLAN_STATUSES)
        rows = (
            self.annotate(child=child_under(unit))
            .values("child")
            .annotate(
                total=Count("pk"),
                open=Count("pk", filter=is_open),
                overdue=Count("pk", filter=is_open & Q(deadline__lt=day)),
                due=Count("pk", filter=is_open & Q(deadline__lte=due_day)),
                done=Count("pk", filter=Q(status=PlanStatus.DONE)),
            )
            .order_by()
        )
        return {row.pop("child"): row for row in rows}


class DossierQuerySet(models.QuerySet):
    def for_units(self, units):
        return self.filter(unit__in=units).select_related("unit", "criteria_set", "recognition")

    def counts_by_child(self, unit):
        """{(child id, set id): {status: dossiers}} per unit one level below `unit`. One query."""
        counts = {}
        rows = (
            self.annotate(child=child_under(unit))
            .values_list("child", "criteria_set_id", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for child, set_id, status, n in rows:
            counts.setdefault((child, set_id), {})[status] = n
        return counts


class WorkQuerySet(models.QuerySet):
    def for_units(self, units):
        """Works in the given units, with their commune, office and criteria (two queries)."""
        return (
            self.filter(unit__in=units)
            .select_related("unit", "office")
            .prefetch_related("criteria")
            .order_by("due_date", "name")
        )

    def by_child(self, unit):
        """The works with `child` (`child_under`) and only what the per-child figures read: no
        names, offices or criteria, so a country's works cost one narrow query."""
        return (
            self.annotate(child=child_under(unit))
            .only("unit_id", "approved_capital", "disbursed", "physical_progress", "start_date", "due_date")
            .order_by()
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
