from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import AdminAccess, HistoryAccess, InlineAccess
from backoffice.resources import CriteriaSetResource, SafeFormatsMixin
from criteria.models import CriteriaSet, Criterion, Enrolment, Indicator, IndicatorItem, Recognition, Threshold
from records.services import records_reevaluate, records_reevaluate_enrolment


class UnitScopedAdmin(AdminAccess, HistoryAccess, SimpleHistoryAdmin):
    """Rows of units the user may read, changes where accounts.access allows; with history."""


class CriterionInline(InlineAccess, admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["number", "name", "name_en", "group", "source_status"]
    show_change_link = True


@admin.register(CriteriaSet)
class CriteriaSetAdmin(AdminAccess, SafeFormatsMixin, ImportExportMixin, admin.ModelAdmin):
    resource_classes = [CriteriaSetResource]  # import/export: see backoffice/resources.py
    list_display = ["code", "name", "level", "tier", "period", "legal_basis", "scope", "is_illustrative"]
    list_filter = ["level", "tier", "scope", "is_illustrative", "period_start"]
    search_fields = ["code", "name", "decision_number"]
    autocomplete_fields = ["province"]
    inlines = [CriterionInline]

    @admin.display(description=_("giai đoạn"), ordering="period_start")
    def period(self, obj):
        return obj.period

    @admin.display(description=_("căn cứ pháp lý"))
    def legal_basis(self, obj):
        return obj.legal_basis


class IndicatorInline(InlineAccess, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "name", "kind", "comparator", "unit_of_measure", "order", "min_items", "guidance"]
    show_change_link = True


@admin.register(Criterion)
class CriterionAdmin(AdminAccess, admin.ModelAdmin):
    list_display = ["__str__", "criteria_set", "group", "source_status"]
    list_filter = ["criteria_set", "group"]
    search_fields = ["name", "name_en", "criteria_set__code"]
    list_select_related = ["criteria_set"]
    inlines = [IndicatorInline]


class ThresholdInline(InlineAccess, admin.TabularInline):
    model = Threshold
    extra = 0


class IndicatorItemInline(InlineAccess, admin.TabularInline):
    """The listed items of an any-of indicator."""

    model = IndicatorItem
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(AdminAccess, admin.ModelAdmin):
    list_display = ["code", "display_name", "criterion", "kind", "comparator", "unit_of_measure"]
    list_filter = ["criterion__criteria_set", "kind"]
    search_fields = ["code", "name", "criterion__name"]
    list_select_related = ["criterion"]
    autocomplete_fields = ["criterion"]
    inlines = [ThresholdInline, IndicatorItemInline]

    def get_queryset(self, request):
        # An indicator is named with its criterion's name (Indicator.display_name), in the list
        # and in the autocomplete answers other forms (records, plan items) ask for.
        return super().get_queryset(request).select_related("criterion")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Targets may have changed: records already entered must be judged against the new ones.
        undecidable = records_reevaluate(indicator=form.instance)
        if undecidable:
            self.message_user(
                request,
                ngettext(
                    "%(n)d kết quả chưa có mức đạt áp dụng; giữ nguyên đánh giá cũ.",
                    "%(n)d kết quả chưa có mức đạt áp dụng; giữ nguyên đánh giá cũ.",
                    len(undecidable),
                )
                % {"n": len(undecidable)},
                messages.WARNING,
            )

    @admin.display(description=_("tên"))
    def display_name(self, obj):
        return obj.display_name


@admin.register(Enrolment)
class EnrolmentAdmin(AdminAccess, admin.ModelAdmin):
    """Enrolments keep no history of their own: Django's change log is their history page."""

    list_display = ["unit", "criteria_set", "target_year", "commune_group"]
    list_filter = ["criteria_set", "target_year", "commune_group"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "criteria_set"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {"commune_group", "unit", "criteria_set"} & set(form.changed_data):
            # Another group in the period means other targets: judge the commune's records again.
            records_reevaluate_enrolment(unit=obj.unit, criteria_set=obj.criteria_set)


@admin.register(Recognition)
class RecognitionAdmin(UnitScopedAdmin):
    list_display = ["unit", "criteria_set", "decision_number", "decision_date", "issuer", "revoked_on"]
    list_filter = ["criteria_set", "decision_date", "revoked_on"]
    search_fields = ["unit__name", "decision_number"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "criteria_set"]
    date_hierarchy = "decision_date"
