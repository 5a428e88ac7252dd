"""django-import-export resources for the admin, keyed on natural keys (unit code, set code,
criterion number, indicator code), with Vietnamese column headers.

The admin imports units and criteria sets row by row through these. Records are export-only in
the admin: importing records goes through `criteria.imports.records_import`, which checks the
user's scope, evaluates every value and writes in one batch.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from accounts import access
from communes.models import AdministrativeUnit

from .models import AchievementRecord, CriteriaSet
from .spreadsheets import SAFE_FORMATS


class SafeFormatsMixin:
    """Put before ImportExportMixin / ExportMixin: only .xlsx and .csv, read and written safely."""

    formats = SAFE_FORMATS


def _field(attribute, header, widget=None):
    return fields.Field(attribute=attribute, column_name=header, widget=widget)


class AdministrativeUnitResource(resources.ModelResource):
    """Đơn vị hành chính, keyed on its code; the parent is given by code too."""

    code = _field("code", "Mã đơn vị")
    name = _field("name", "Tên")
    kind = _field("kind", "Loại")
    parent = _field("parent", "Mã đơn vị cấp trên", widgets.ForeignKeyWidget(AdministrativeUnit, field="code"))
    valid_from = _field("valid_from", "Hiệu lực từ", widgets.DateWidget())
    valid_to = _field("valid_to", "Hết hiệu lực từ", widgets.DateWidget())
    region = _field("region", "Vùng")
    commune_group = _field("commune_group", "Nhóm xã", widgets.IntegerWidget())
    is_disadvantaged = _field("is_disadvantaged", "Xã đặc biệt khó khăn / an toàn khu", widgets.BooleanWidget())

    def before_save_instance(self, instance, row, **kwargs):
        """A district's staff load units into their own district only: the unit a row changes
        and the parent it names must both be within the user's scope (accounts.access)."""
        user = kwargs.get("user")
        if user is None:
            return
        action = "change" if instance.pk else "add"
        if not access.admin_may(user, action, AdministrativeUnit, instance):
            raise ValidationError(
                {"parent": _("Đơn vị %(code)s hoặc đơn vị cấp trên nằm ngoài phạm vi quản lý của bạn.") % {"code": instance.code}}
            )

    class Meta:
        model = AdministrativeUnit
        import_id_fields = ["code"]
        fields = ["code", "name", "kind", "parent", "valid_from", "valid_to", "region", "commune_group", "is_disadvantaged"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class CriteriaSetResource(resources.ModelResource):
    """Bộ tiêu chí (its own row only; criteria and indicators load through the set workbook)."""

    code = _field("code", "Mã bộ tiêu chí")
    name = _field("name", "Tên bộ tiêu chí")
    level = _field("level", "Áp dụng cho")
    tier = _field("tier", "Mức")
    period_start = _field("period_start", "Từ năm", widgets.IntegerWidget())
    period_end = _field("period_end", "Đến năm", widgets.IntegerWidget())
    decision_number = _field("decision_number", "Số quyết định")
    decision_date = _field("decision_date", "Ngày quyết định", widgets.DateWidget())
    scope = _field("scope", "Phạm vi")
    province = _field("province", "Mã tỉnh ban hành", widgets.ForeignKeyWidget(AdministrativeUnit, field="code"))
    is_illustrative = _field("is_illustrative", "Minh hoạ", widgets.BooleanWidget())
    note = _field("note", "Ghi chú")

    def before_save_instance(self, instance, row, **kwargs):
        """A set is loaded only by its owner (accounts.access): national administrators, or the
        staff of the province that issues it; both the set as stored and as the row makes it."""
        user = kwargs.get("user")
        if user is None:
            return
        stored = CriteriaSet.objects.filter(pk=instance.pk).first() if instance.pk else None
        if not access.may_change_criteria_set(user, instance) or (stored and not access.may_change_criteria_set(user, stored)):
            raise ValidationError({"scope": _("Bộ tiêu chí %(code)s không thuộc quyền quản lý của bạn.") % {"code": instance.code}})

    class Meta:
        model = CriteriaSet
        import_id_fields = ["code"]
        fields = [
            "code", "name", "level", "tier", "period_start", "period_end", "decision_number", "decision_date",
            "scope", "province", "is_illustrative", "note",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class AchievementRecordResource(resources.ModelResource):
    """Kết quả chỉ tiêu, for export: unit code, set code and indicator code identify each row."""

    unit = _field("unit__code", "Mã đơn vị")
    criteria_set = _field("indicator__criterion__criteria_set__code", "Mã bộ tiêu chí")
    indicator = _field("indicator__code", "Mã chỉ tiêu")
    as_of = _field("as_of", "Tính đến ngày", widgets.DateWidget())
    value_bool = _field("value_bool", "Đạt (có/không)", widgets.BooleanWidget())
    value_number = _field("value_number", "Giá trị số", widgets.DecimalWidget())
    is_met = _field("is_met", "Đạt", widgets.BooleanWidget())
    note = _field("note", "Ghi chú")

    class Meta:
        model = AchievementRecord
        fields = ["unit", "criteria_set", "indicator", "as_of", "value_bool", "value_number", "is_met", "note"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("unit", "indicator__criterion__criteria_set")
