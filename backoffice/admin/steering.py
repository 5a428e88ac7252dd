"""Admin for the managed lists of the steering app: offices, dossier conditions, and a view on
plans, dossiers, works and sent reminders. Who sees and changes which rows is decided by
accounts.access (AdminAccess): district staff their area; dossier conditions follow the owner of
their criteria set; sent reminders are for administrators only.
"""

from django.contrib import admin

from accounts.access import AdminAccess, InlineAccess
from steering.models import ConditionConfirmation, Dossier, DossierCondition, Office, PlanItem, Work


@admin.register(Office)
class OfficeAdmin(AdminAccess, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "unit", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(DossierCondition)
class DossierConditionAdmin(AdminAccess, admin.ModelAdmin):
    list_display = ["text", "criteria_set", "order"]
    list_filter = ["criteria_set"]


@admin.register(PlanItem)
class PlanItemAdmin(AdminAccess, admin.ModelAdmin):
    list_display = ["unit", "indicator", "action", "office", "deadline", "status"]
    list_filter = ["status", "criteria_set", "office"]
    list_select_related = ["unit", "indicator__criterion", "office"]
    raw_id_fields = ["indicator"]
    readonly_fields = ["created_by"]


class ConfirmationInline(InlineAccess, admin.TabularInline):
    model = ConditionConfirmation
    extra = 0
    readonly_fields = ["confirmed_by", "confirmed_at"]


@admin.register(Dossier)
class DossierAdmin(AdminAccess, admin.ModelAdmin):
    list_display = ["unit", "criteria_set", "status", "status_changed_at"]
    list_filter = ["status", "criteria_set"]
    # Status moves only through the readiness page, which checks the engine first.
    readonly_fields = ["status", "status_changed_at", "status_changed_by", "recognition", "submitted_on"]
    inlines = [ConfirmationInline]


@admin.register(Work)
class WorkAdmin(AdminAccess, admin.ModelAdmin):
    list_display = ["name", "unit", "approved_capital", "disbursed", "physical_progress", "due_date"]
    list_select_related = ["unit"]
    filter_horizontal = ["criteria"]
