"""Named reads over enrolments and recognitions (records and rounds have theirs in `records.querysets`).

Screens and the attainment engine chain these instead of writing filters of their own, so "the
latest record as of a date" and "recognised on a date" mean the same thing everywhere.
"""

from django.db import models
from django.db.models import Q


class RecognitionQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Recognitions decided on or before `day` and not revoked by then."""
        return self.filter(decision_date__lte=day).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))

    def in_force_between(self, first, last):
        """Recognitions in force on some day from `first` to `last`: decided by `last`, not revoked
        by `first`. `Recognition.is_in_force_on` then says on which of the days."""
        return self.filter(decision_date__lte=last).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=first))


class EnrolmentQuerySet(models.QuerySet):
    def commune_group_of(self, unit, criteria_set_id):
        """The unit's commune group for the set's period as its enrolment says, else None."""
        return self.filter(unit=unit, criteria_set_id=criteria_set_id).values_list("commune_group", flat=True).first()

    def commune_groups(self):
        """{(unit id, set id): commune group or None} over these enrolments (one query)."""
        return {(u, s): g for u, s, g in self.values_list("unit_id", "criteria_set_id", "commune_group")}
