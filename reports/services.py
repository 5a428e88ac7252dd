"""Writes of the reports app: how a province writes its report figures (reports.models)."""

from django.db import transaction

from reports.models import BasicStandardThreshold, ReportSettings


@transaction.atomic
def report_settings_save(*, unit, average_rule, is_illustrative, thresholds):
    """Save `unit`'s report settings: the average rule ('' for the default), whether the thresholds
    are illustrative, and `thresholds` {criteria set: minimum criteria, or None for none}.
    Returns the ReportSettings."""
    settings, _created = ReportSettings.objects.get_or_create(unit=unit)
    settings.average_rule = average_rule
    settings.is_illustrative = is_illustrative
    settings.full_clean()
    settings.save()
    existing = {t.criteria_set_id: t for t in settings.basic_thresholds.all()}
    for criteria_set, minimum in thresholds.items():
        row = existing.get(criteria_set.pk)
        if minimum is None:
            if row is not None:
                row.delete()
        elif row is None:
            BasicStandardThreshold.objects.create(settings=settings, criteria_set=criteria_set, min_criteria=minimum)
        elif row.min_criteria != minimum:
            row.min_criteria = minimum
            row.save(update_fields=["min_criteria"])
    return settings
