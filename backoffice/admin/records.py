from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import AdminAccess, HistoryAccess
from backoffice.admin.criteria import UnitScopedAdmin
from backoffice.resources import AchievementRecordResource, SafeFormatsMixin
from entry.forms import AchievementRecordForm
from records.models import AchievementRecord, RecordStatus, ReportingRound


@admin.register(ReportingRound)
class ReportingRoundAdmin(UnitScopedAdmin):
    list_display = ["name", "unit", "as_of", "deadline", "closed_at"]
    list_filter = ["as_of"]
    list_select_related = ["unit"]
    readonly_fields = ["closed_by"]

    def save_model(self, request, obj, form, change):
        if obj.closed_at and not obj.closed_by_id:
            obj.closed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AchievementRecord)
class AchievementRecordAdmin(AdminAccess, HistoryAccess, SafeFormatsMixin, ExportMixin, SimpleHistoryAdmin):
    """Records in the admin, for district staff and administrators, who verify what they enter
    (commune officers use the entry form). Scoped by accounts.access. Export only: records are
    imported through /du-lieu/, which checks scope and batches writes."""

    resource_classes = [AchievementRecordResource]
    form = AchievementRecordForm
    list_display = ["unit", "indicator", "as_of", "value", "is_met", "status", "recorded_by", "recorded_at"]
    # The unit filter lists only units present in the (scoped) rows, never every unit.
    list_filter = ["status", "indicator__criterion__criteria_set", "as_of", "is_met", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["unit__name", "unit__code", "indicator__code", "indicator__name"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["unit", "indicator", "recorded_by"]
    readonly_fields = ["is_met", "recorded_by", "recorded_at", "verified_by", "verified_at"]
    date_hierarchy = "as_of"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reporting_round":  # records enter open rounds only (scoped by access)
            kwargs["queryset"] = ReportingRound.objects.open()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        if obj.status == RecordStatus.VERIFIED and (not change or "status" in form.changed_data):
            obj.verified_by = request.user
            obj.verified_at = timezone.now()
        obj.version = (obj.version or 0) + 1 if change else 1
        super().save_model(request, obj, form, change)

    @admin.display(description=_("giá trị"))
    def value(self, obj):
        if obj.value_bool is not None:
            return _("Đạt") if obj.value_bool else _("Không đạt")
        return obj.value_number.normalize()
