from django.contrib import admin, messages
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin, ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import can_edit, can_verify, editable_units, is_site_admin, verifiable_units, visible_units

from .forms import AchievementRecordForm
from .models import (
    AchievementRecord,
    CriteriaSet,
    Criterion,
    Enrolment,
    Indicator,
    Recognition,
    RecordStatus,
    ReportingRound,
    Threshold,
)
from .resources import AchievementRecordResource, CriteriaSetResource, SafeFormatsMixin
from .services import records_reevaluate


class UnitScopedAdmin(SimpleHistoryAdmin):
    """Rows of units the user may read; changes only where `can_change_unit` allows.

    The scope comes from accounts.access (the user's profile). A row outside it is a 404, never a
    redirect that would reveal it exists; the unit choices in forms hold only the user's units.
    """

    unit_path = "unit"

    def can_change_unit(self, user, unit):
        return can_verify(user, unit)

    def changeable_units(self, user):
        return verifiable_units(user)

    def _unit_of(self, obj):
        return obj.unit

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**{f"{self.unit_path}__in": visible_units(request.user)})

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Không tìm thấy"))
        return obj

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return visible_units(request.user).filter(pk=self._unit_of(obj).pk).exists()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return self.can_change_unit(request.user, self._unit_of(obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return can_verify(request.user, self._unit_of(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = self.changeable_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["number", "name", "name_en", "group", "source_status"]
    show_change_link = True


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SafeFormatsMixin, ImportExportMixin, admin.ModelAdmin):
    resource_classes = [CriteriaSetResource]  # import/export: see criteria/resources.py
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


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "name", "kind", "comparator", "unit_of_measure", "order"]
    show_change_link = True


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "criteria_set", "group", "source_status"]
    list_filter = ["criteria_set", "group"]
    search_fields = ["name", "name_en", "criteria_set__code"]
    list_select_related = ["criteria_set"]
    inlines = [IndicatorInline]


class ThresholdInline(admin.TabularInline):
    model = Threshold
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "display_name", "criterion", "kind", "comparator", "unit_of_measure"]
    list_filter = ["criterion__criteria_set", "kind"]
    search_fields = ["code", "name", "criterion__name"]
    list_select_related = ["criterion"]
    autocomplete_fields = ["criterion"]
    inlines = [ThresholdInline]

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
class EnrolmentAdmin(UnitScopedAdmin):
    # Enrolments keep no simple_history trail, so its history pages answered 500: the admin's own
    # log is their history, and there is no historical version to open.
    history_view = admin.ModelAdmin.history_view
    object_history_template = None

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise Http404(_("Không tìm thấy"))

    list_display = ["unit", "criteria_set", "target_year"]
    list_filter = ["criteria_set", "target_year"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "criteria_set"]


@admin.register(Recognition)
class RecognitionAdmin(UnitScopedAdmin):
    list_display = ["unit", "criteria_set", "decision_number", "decision_date", "issuer", "revoked_on"]
    list_filter = ["criteria_set", "decision_date", "revoked_on"]
    search_fields = ["unit__name", "decision_number"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "criteria_set"]
    date_hierarchy = "decision_date"


@admin.register(ReportingRound)
class ReportingRoundAdmin(UnitScopedAdmin):
    list_display = ["name", "unit", "as_of", "deadline", "closed_at"]
    list_filter = ["as_of"]
    list_select_related = ["unit"]
    readonly_fields = ["closed_by"]

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request).visible_to(visible_units(request.user))

    def save_model(self, request, obj, form, change):
        if obj.closed_at and not obj.closed_by_id:
            obj.closed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AchievementRecord)
class AchievementRecordAdmin(SafeFormatsMixin, ExportMixin, UnitScopedAdmin):
    """Records in the admin, scoped like the entry form: commune officers add and change only their
    own commune's records, and only as draft or submitted, while the round is open. Export only:
    records are imported through /du-lieu/, which checks scope and batches writes."""

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

    def can_change_unit(self, user, unit):
        return can_edit(user, unit)

    def changeable_units(self, user):
        return editable_units(user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed or can_verify(request.user, obj.unit):
            return allowed
        # Commune officers: never a verified record, never in a closed round.
        open_round = obj.reporting_round is None or obj.reporting_round.is_open
        return obj.is_pending and open_round

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.verifier = is_site_admin(request.user) or (
            obj is None and verifiable_units(request.user).exists()
        ) or (obj is not None and can_verify(request.user, obj.unit))
        form.allowed_statuses = RecordStatus.values if form.verifier else [RecordStatus.DRAFT, RecordStatus.SUBMITTED]
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reporting_round":
            kwargs["queryset"] = ReportingRound.objects.visible_to(editable_units(request.user)).open()
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
