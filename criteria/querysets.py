"""Named reads over recognitions (records and rounds have theirs in `records.querysets`).

Screens and the attainment engine chain these instead of writing filters of their own, so "the
latest record as of a date" and "recognised on a date" mean the same thing everywhere.
"""

from django.db import models
from django.db.models import Q


class RecognitionQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Recognitions decided on or before `day` and not revoked by then."""
        return self.filter(decision_date__lte=day).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
