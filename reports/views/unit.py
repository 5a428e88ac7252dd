from django.shortcuts import render

from accounts.access import can_edit, may_read_parent_of
from records.models import AchievementRecord
from reports.charts import criterion_anchor
from reports.engine import series_breaks, unit_details
from reports.views.common import report_page


@report_page
def unit_page(request, options):
    """A commune's (or district's) page: every set it pursues, criterion by criterion, with each
    indicator's status, value, target, latest record date and history, and what is still unmet."""
    history = {}
    for record in AchievementRecord.objects.history(options.unit, options.as_of, options.include_submitted):
        history.setdefault(record.indicator_id, []).append(record)
    details = [
        {
            "detail": detail,
            "criteria": [
                {
                    "detail": c,
                    "anchor": criterion_anchor(detail.criteria_set, c.criterion.number),
                    "indicators": [(i, history.get(i.indicator.pk, [])) for i in c.indicators],
                }
                for c in detail.criteria
            ],
        }
        for detail in unit_details(options.unit, options.as_of, options.include_submitted)
    ]
    # "← Tổng quan <parent>" only where that overview is the user's to read (else it is a 404).
    parent = options.unit.parent if may_read_parent_of(request.user, options.unit) else None
    # Unmet and missing indicators link to their entry form, for those who may enter the unit's records.
    may_edit = can_edit(request.user, options.unit)
    return render(
        request,
        "reports/unit.html",
        {
            "options": options,
            "details": details,
            "parent": parent,
            "may_edit": may_edit,
            # The unit's own series starts or ends where it succeeded, or was succeeded by, others
            # (no query for a unit with no start or end date).
            "series_breaks": series_breaks(options.unit, subtree=False),
        },
    )
