from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import AdminAccess, HistoryAccess
from backoffice.admin.criteria import UnitScopedAdmin
from backoffice.forms import AchievementRecordForm
from backoffice.resources import AchievementRecordResource, SafeFormatsMixin
from records.models import AchievementRecord, ReportingRound
from records.services import record_admin_save, round_admin_save


@admin.register(ReportingRound)
class ReportingRoundAdmin(UnitScopedAdmin):
    list_display = ["name", "unit", "as_of", "deadline", "closed_at"]
    list_filter = ["as_of"]
    list_select_related = ["unit"]
    readonly_fields = ["closed_by"]

    def save_model(self, request, obj, form, change):
        round_admin_save(reporting_round=obj, user=request.user)


@admin.register(AchievementRecord)
class AchievementRecordAdmin(AdminAccess, HistoryAccess, SafeFormatsMixin, ExportMixin, SimpleHistoryAdmin):
    """Records in the admin, for district staff and administrators, who verify what they enter
    (commune officers use the entry form). Scoped by accounts.access. Export only: records are
    imported through /du-lieu/, which checks scope and batches writes."""

    resource_classes = [AchievementRecordResource]
    form = AchievementRecordForm
    list_display = ["unit", "indicator", "as_of", "value", "is_met", "status", "recorded_by", "recorded_at"]
    # The unit filter lists only units present in the (scoped) rows, never every unit.
    list_filter = [
        "status",
        "indicator__criterion__criteria_set",
        "as_of",
        "is_met",
        ("unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["unit__name", "unit__code", "indicator__code", "indicator__name"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["unit", "indicator__criterion", "recorded_by"]
    readonly_fields = ["is_met", "recorded_by", "recorded_at", "verified_by", "verified_at"]
    date_hierarchy = "as_of"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reporting_round":  # records enter open rounds only (scoped by access)
            kwargs["queryset"] = ReportingRound.objects.open()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        record_admin_save(record=obj, changed_fields=form.changed_data, user=request.user, is_new=not change)

    @admin.display(description=_("giá trị"))
    def value(self, obj):
        if obj.value_bool is not None:
            return _("Đạt") if obj.value_bool else _("Không đạt")
        return obj.value_number.normalize()
