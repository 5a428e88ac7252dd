"""Admin for the managed lists of the steering app: offices, dossier conditions, and a view on
plans, dossiers, works and sent reminders. Permissions follow the user's role (steering/access.py),
so the accounts app's permission groups need not know about this app.
"""

from django.contrib import admin

from accounts.access import visible_units

from .access import manages_district
from .models import ConditionConfirmation, Dossier, DossierCondition, Notification, Office, PlanItem, Work


class RoleAdmin(admin.ModelAdmin):
    """District staff manage; every other signed-in staff account may only look."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return manages_district(request.user)

    def has_change_permission(self, request, obj=None):
        return manages_district(request.user)

    def has_delete_permission(self, request, obj=None):
        return manages_district(request.user)


class ScopedAdmin(RoleAdmin):
    """Rows limited to the units the user may see."""

    unit_field = "unit"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**{f"{self.unit_field}__in": visible_units(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = visible_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "kind", "unit", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(DossierCondition)
class DossierConditionAdmin(RoleAdmin):
    list_display = ["text", "criteria_set", "order"]
    list_filter = ["criteria_set"]


@admin.register(PlanItem)
class PlanItemAdmin(ScopedAdmin):
    list_display = ["unit", "indicator", "action", "office", "deadline", "status"]
    list_filter = ["status", "criteria_set", "office"]
    list_select_related = ["unit", "indicator", "office"]
    raw_id_fields = ["indicator"]


class ConfirmationInline(admin.TabularInline):
    model = ConditionConfirmation
    extra = 0
    readonly_fields = ["confirmed_by", "confirmed_at"]


@admin.register(Dossier)
class DossierAdmin(ScopedAdmin):
    list_display = ["unit", "criteria_set", "status", "status_changed_at"]
    list_filter = ["status", "criteria_set"]
    # Status moves only through the readiness page, which checks the engine first.
    readonly_fields = ["status", "status_changed_at", "status_changed_by", "recognition", "submitted_on"]
    inlines = [ConfirmationInline]


@admin.register(Work)
class WorkAdmin(ScopedAdmin):
    list_display = ["name", "unit", "approved_capital", "disbursed", "physical_progress", "due_date"]
    list_select_related = ["unit"]
    filter_horizontal = ["criteria"]


@admin.register(Notification)
class NotificationAdmin(RoleAdmin):
    list_display = ["kind", "recipient", "subject", "created_at", "sent_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
