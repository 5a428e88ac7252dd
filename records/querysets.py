"""Named reads over achievement records and reporting rounds.

Screens and the attainment engine chain these instead of writing filters of their own, so "the
latest record as of a date" means the same thing everywhere.
"""

from datetime import date

from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, Subquery


class RecordQuerySet(models.QuerySet):
    def for_set(self, criteria_set):
        return self.filter(indicator__criterion__criteria_set=criteria_set)

    def counted(self, include_submitted=False):
        """Records reports count: verified ones, and submitted ones too when asked."""
        statuses = ["verified", "submitted"] if include_submitted else ["verified"]
        return self.filter(status__in=statuses)

    def pending(self):
        """Records still being worked on: draft, submitted or returned."""
        return self.exclude(status="verified")

    def latest_as_of(self, day, include_submitted=False):
        """For each unit and indicator, only the newest counted record dated on or before `day`.

        Written as NOT EXISTS (a newer counted record up to `day`) so it runs the same on SQLite
        and PostgreSQL. When submitted records count too, a submitted correction and the verified
        record it would replace share a date; the later-created row (the correction) wins.
        """
        newer = (
            self.model.objects.counted(include_submitted)
            .filter(unit=OuterRef("unit"), indicator=OuterRef("indicator"), as_of__lte=day)
            .filter(Q(as_of__gt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), pk__gt=OuterRef("pk")))
        )
        return self.counted(include_submitted).filter(as_of__lte=day).exclude(Exists(newer))

    def report_dates(self):
        """Distinct record dates, oldest first."""
        return self.order_by("as_of").values_list("as_of", flat=True).distinct()

    def report_dates_by_probe(self, units, include_submitted=False):
        """Distinct counted record dates of `units` (a queryset of unit pks), oldest first, read
        for a root's subtree (the nation, nearly every record).

        A DISTINCT over the subtree's records reads all of them (3.3 M nationally, 0.8 s). This
        walks the (as_of, status) index instead, one probe per date (a "loose index scan" by a
        recursive query): the next counted date after the last one found that belongs to `units`.
        Worse than the DISTINCT for a small subtree, whose records are few but whose dates each
        probe would have to walk past; so only roots use it. Same SQL on SQLite and PostgreSQL.
        ORDER BY … LIMIT 1, not MIN(): PostgreSQL turns MIN() over the `unit_id IN` semi-join
        into a full scan (5.7 s nationally, 1.4 s of it JIT); the LIMIT walks the index (17 ms).
        """
        statuses = ["verified", "submitted"] if include_submitted else ["verified"]
        table = connection.ops.quote_name(self.model._meta.db_table)
        units_sql, units_params = units.query.sql_with_params()
        counted = f"r.status IN ({', '.join(['%s'] * len(statuses))}) AND r.unit_id IN ({units_sql})"
        sql = f"""
            WITH RECURSIVE dates(as_of) AS (
                SELECT (SELECT r.as_of FROM {table} r WHERE {counted} ORDER BY r.as_of LIMIT 1)
                UNION ALL
                SELECT (SELECT r.as_of FROM {table} r WHERE {counted} AND r.as_of > dates.as_of ORDER BY r.as_of LIMIT 1)
                FROM dates WHERE dates.as_of IS NOT NULL
            )
            SELECT as_of FROM dates WHERE as_of IS NOT NULL ORDER BY as_of
        """
        params = [*statuses, *units_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params + params)
            rows = cursor.fetchall()
        # SQLite hands raw dates back as text.
        return [day if isinstance(day, date) else date.fromisoformat(day) for (day,) in rows]

    def awaiting_verification(self, units):
        """Submitted records of `units`, oldest first, ready for the district's queue."""
        return (
            self.filter(status="submitted", unit__in=units)
            .select_related("unit", "indicator__criterion__criteria_set", "reporting_round", "recorded_by")
            .order_by("recorded_at", "pk")
        )

    def with_previous(self):
        """Each record annotated with the record in force before it: the latest verified record of
        its unit and indicator dated on or before it (`previous_pk`, `previous_as_of`,
        `previous_value_bool`, `previous_value_number`; None when there is none). Correlated
        subqueries in the same query, so a queue of any length costs nothing more."""
        previous = self.model.objects.filter(
            status="verified", unit=OuterRef("unit"), indicator=OuterRef("indicator"), as_of__lte=OuterRef("as_of")
        ).order_by("-as_of", "-pk")
        return self.annotate(
            **{
                f"previous_{name}": Subquery(previous.values(name)[:1])
                for name in ("pk", "as_of", "value_bool", "value_number")
            }
        )

    def in_review(self, unit, day):
        """`unit`'s records dated `day` that wait on the district (submitted) or on the commune
        (returned): the workflow half of the officer's criterion marks."""
        return self.filter(unit=unit, as_of=day, status__in=["submitted", "returned"])

    def returned_to(self, units):
        """Records of `units` sent back by the district and not yet re-submitted (bị trả lại), the
        oldest return first, with what a link to their entry form needs."""
        return (
            self.filter(status="returned", unit__in=units)
            .select_related("unit", "indicator__criterion__criteria_set", "reporting_round")
            .order_by("recorded_at", "pk")
        )

    def history(self, unit, up_to, include_submitted=False):
        """Every counted record of `unit` dated on or before `up_to`, per indicator oldest first:
        the history shown beside each indicator's latest status (one query for all sets)."""
        return (
            self.counted(include_submitted).filter(unit=unit, as_of__lte=up_to).order_by("indicator_id", "as_of", "pk")
        )


class IntervalQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Intervals in force on `day`: at most one per unit and indicator, the status its latest
        verified record dated on or before `day` gives."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class RoundQuerySet(models.QuerySet):
    def for_unit(self, unit):
        """Rounds that apply to `unit`: organised by it or by the district or province above it."""
        return self.filter(Q(unit=unit) | Q(unit__children=unit) | Q(unit__children__children=unit)).distinct()

    def visible_to(self, units):
        """Rounds organised by one of `units` or by a unit above one of them."""
        return self.filter(
            Q(unit__in=units) | Q(unit__children__in=units) | Q(unit__children__children__in=units)
        ).distinct()

    def open(self):
        return self.filter(closed_at__isnull=True)

    def current_for(self, unit):
        """The newest open round for `unit`, else the newest round; None when there is none."""
        rounds = self.for_unit(unit).order_by("-as_of", "pk")
        return rounds.open().first() or rounds.first()
