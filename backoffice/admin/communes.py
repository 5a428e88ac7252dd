from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from accounts.access import AdminAccess
from backoffice.resources import AdministrativeUnitResource, SafeFormatsMixin
from communes.models import AdministrativeUnit, UnitSuccession
from communes.services import unit_save


class ValidityFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "hieu_luc"

    def lookups(self, request, model_admin):
        return [("con", _("Còn hiệu lực")), ("het", _("Đã sáp nhập / giải thể"))]

    def queryset(self, request, queryset):
        if self.value() == "con":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "het":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AdminAccess, SafeFormatsMixin, ImportExportMixin, admin.ModelAdmin):
    resource_classes = [AdministrativeUnitResource]  # import/export: see backoffice/resources.py
    list_display = [
        "code",
        "official_code",
        "display_name",
        "kind",
        "parent",
        "region",
        "commune_group",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["kind", "region", "commune_group", "is_disadvantaged", ValidityFilter]
    search_fields = ["code", "official_code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": ["code", "official_code", "name", "kind", "parent"]}),
        (_("Lịch sử"), {"fields": ["valid_from", "valid_to"]}),
        (_("Phân loại để chọn mức chỉ tiêu"), {"fields": ["region", "commune_group", "is_disadvantaged"]}),
    ]

    # Scope comes from the user's profile (accounts.access, through AdminAccess): district staff
    # see their district and change the units under it; administrators see and change all.

    def save_model(self, request, obj, form, change):
        unit_save(unit=obj)  # a unit moved to another parent carries its subtree along

    @admin.display(description=_("tên đơn vị"), ordering="name")
    def display_name(self, unit):
        return unit.display_name


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(AdminAccess, admin.ModelAdmin):
    """Kế thừa: which old unit went (whole or in part) into which new one, when, on what source.
    Its own list rather than an inline of the unit form, so the unit form stays one table's."""

    list_display = ["predecessor", "successor", "share", "effective_on", "source"]
    list_filter = ["share", "effective_on"]
    search_fields = ["predecessor__code", "predecessor__name", "successor__code", "successor__name"]
    autocomplete_fields = ["predecessor", "successor"]
    list_select_related = ["predecessor", "successor"]
