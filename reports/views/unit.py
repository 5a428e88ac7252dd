from django.shortcuts import render

from criteria.models import AchievementRecord, Enrolment

from ..attainment import unit_detail
from ..charts import criterion_anchor
from .common import report_page


@report_page
def unit_page(request, options):
    """A commune's (or district's) page: every set it pursues, criterion by criterion, with each
    indicator's status, value, target, latest record date and history, and what is still unmet."""
    unit = options.unit
    enrolments = list(Enrolment.objects.filter(unit=unit).select_related("criteria_set"))
    enrolments.sort(key=lambda e: e.criteria_set.report_order)
    history = {}
    for record in AchievementRecord.objects.history(unit, options.as_of):
        history.setdefault(record.indicator_id, []).append(record)
    details = []
    for enrolment in enrolments:
        detail = unit_detail(unit, enrolment.criteria_set, options.as_of)
        details.append(
            {
                "detail": detail,
                "enrolment": enrolment,
                "criteria": [
                    {
                        "detail": c,
                        "anchor": criterion_anchor(enrolment.criteria_set, c.criterion.number),
                        "indicators": [(i, history.get(i.indicator.pk, [])) for i in c.indicators],
                    }
                    for c in detail.criteria
                ],
            }
        )
    return render(
        request,
        "reports/unit.html",
        {
            "options": options,
            "details": details,
        },
    )
