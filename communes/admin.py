from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from accounts.access import editable_units, is_site_admin, visible_units
from criteria.resources import AdministrativeUnitResource, SafeFormatsMixin

from .models import AdministrativeUnit


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
class AdministrativeUnitAdmin(SafeFormatsMixin, ImportExportMixin, admin.ModelAdmin):
    resource_classes = [AdministrativeUnitResource]  # import/export: see criteria/resources.py
    list_display = ["code", "display_name", "kind", "parent", "region", "commune_group", "valid_from", "valid_to"]
    list_filter = ["kind", "region", "commune_group", "is_disadvantaged", ValidityFilter]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "successors"]
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "parent"]}),
        (_("Lịch sử"), {"fields": ["valid_from", "valid_to", "successors"]}),
        (_("Phân loại để chọn mức chỉ tiêu"), {"fields": ["region", "commune_group", "is_disadvantaged"]}),
    ]

    # Scope comes from the user's profile (accounts.access): district staff see and change their
    # district and its communes, leaders and officers only see theirs; administrators see all.
    def get_queryset(self, request):
        units = super().get_queryset(request)
        if is_site_admin(request.user):
            return units
        return units.filter(pk__in=visible_units(request.user).values("pk"))

    def _may_change(self, request, unit):
        return unit is None or is_site_admin(request.user) or editable_units(request.user).filter(pk=unit.pk).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent" and not is_site_admin(request.user):
            kwargs["queryset"] = editable_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "successors" and not is_site_admin(request.user):
            kwargs["queryset"] = editable_units(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("tên đơn vị"), ordering="name")
    def display_name(self, unit):
        return unit.display_name
