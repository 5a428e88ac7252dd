"""Minh chứng (evidence) for a dossier: which indicators have no evidence file.

Evidence is attached to records (records.Evidence); what counts for a dossier is the evidence
on each indicator's latest counted (verified) record as of the readiness date.
"""

from criteria.models import Indicator
from records.models import AchievementRecord, Evidence


def indicators_without_evidence(unit, criteria_set, as_of):
    """Indicators of `criteria_set` for which `unit` has no evidence file on its latest verified
    record as of `as_of` (an indicator with no record at all has none either). One query."""
    latest = AchievementRecord.objects.latest_as_of(as_of).filter(unit=unit).for_set(criteria_set)
    with_evidence = Evidence.objects.filter(record__in=latest).values("record__indicator_id")
    return list(
        Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .exclude(pk__in=with_evidence)
        .select_related("criterion")
        .order_by("criterion__number", "order", "code")
    )
