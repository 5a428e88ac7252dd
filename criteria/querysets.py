"""Named reads over enrolments, recognitions and achievement records.

Screens and the attainment engine chain these instead of writing filters of their own, so "the
latest record as of a date" and "recognised on a date" mean the same thing everywhere.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q


class EnrolmentQuerySet(models.QuerySet):
    def under(self, unit, day):
        """Enrolments of `unit` and every unit below it that exists on `day`."""
        from communes.models import AdministrativeUnit

        units = AdministrativeUnit.objects.within(unit).valid_on(day)
        return self.filter(unit__in=units)


class RecognitionQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Recognitions decided on or before `day` and not revoked by then."""
        return self.filter(decision_date__lte=day).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))


class RecordQuerySet(models.QuerySet):
    def for_set(self, criteria_set):
        return self.filter(indicator__criterion__criteria_set=criteria_set)

    def latest_as_of(self, day):
        """For each unit and indicator, only the newest record dated on or before `day`.

        Written as NOT EXISTS (a newer record up to `day`) so it runs the same on SQLite and
        PostgreSQL and uses the (unit, indicator, as_of) unique index.
        """
        newer = self.model.objects.filter(
            unit=OuterRef("unit"),
            indicator=OuterRef("indicator"),
            as_of__gt=OuterRef("as_of"),
            as_of__lte=day,
        )
        return self.filter(as_of__lte=day).exclude(Exists(newer))

    def report_dates(self):
        """Distinct record dates, oldest first."""
        return self.order_by("as_of").values_list("as_of", flat=True).distinct()

    def history(self, unit, up_to):
        """Every record of `unit` dated on or before `up_to`, per indicator oldest first: the
        history shown beside each indicator's latest status (one query for all sets)."""
        return self.filter(unit=unit, as_of__lte=up_to).order_by("indicator_id", "as_of")
