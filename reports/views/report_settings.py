from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import home_unit, report_settings_units, require
from communes.models import AdministrativeUnit
from criteria.models import CriteriaSet, SetLevel
from reports.forms import ReportSettingsForm
from reports.models import SETTINGS_LEVELS, ReportSettings
from reports.services import report_settings_save


def _province_of(unit):
    """The unit's province (or national root) among `unit` and its ancestors (one query)."""
    lineage = unit.lineage_ids
    ancestors = {u.pk: u for u in AdministrativeUnit.objects.filter(pk__in=lineage)}
    for pk in reversed(lineage):
        candidate = ancestors.get(pk)
        if candidate is not None and candidate.level in SETTINGS_LEVELS:
            return candidate
    return None


def report_settings(request, code=None):
    """Cách viết báo cáo: a province's average rule and its own "cơ bản đạt chuẩn" thresholds."""
    if code is None:
        unit = home_unit(request.user)
        province = _province_of(unit) if unit is not None else None
        if province is None:
            raise Http404
        return redirect("reports:report_settings_of", code=province.code)
    # Only units whose settings the user may change are looked up: any other code is refused.
    unit = report_settings_units(request.user).filter(code=code).first()
    require(unit is not None)
    current = ReportSettings.objects.filter(unit=unit).prefetch_related("basic_thresholds").first()
    sets = list(
        CriteriaSet.objects.filter(level=SetLevel.COMMUNE).annotate(criteria_count=Count("criteria")).order_by("code")
    )
    sets.sort(key=lambda s: s.report_order)
    initial = {"average_rule": "", "is_illustrative": False}
    if current is not None:
        initial = {"average_rule": current.average_rule, "is_illustrative": current.is_illustrative}
        for threshold in current.basic_thresholds.all():
            initial[ReportSettingsForm.field_name(threshold.criteria_set)] = threshold.min_criteria
    form = ReportSettingsForm(request.POST or None, initial=initial, sets=[(s, s.criteria_count) for s in sets])
    if request.method == "POST" and form.is_valid():
        report_settings_save(
            unit=unit,
            average_rule=form.cleaned_data["average_rule"],
            is_illustrative=form.cleaned_data["is_illustrative"],
            thresholds=form.thresholds(),
        )
        messages.success(request, _("Đã lưu cách viết báo cáo của %(unit)s.") % {"unit": unit.display_name})
        return redirect("reports:report_settings_of", code=unit.code)
    return render(request, "reports/report_settings.html", {"unit": unit, "form": form})
