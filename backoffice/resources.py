"""django-import-export resources for the admin, keyed on natural keys (unit code, set code,
criterion number, indicator code), with Vietnamese column headers.

The admin imports units and criteria sets row by row through these. Records are export-only in
the admin: importing records goes through `records.imports.records_import`, which checks the
user's scope, evaluates every value and writes in one batch.

Cells are read by the same parsers as the site's imports (`shared.cells`, through the widgets
below): dates day first (01/07/2025 is 1 July), Vietnamese numbers, NFC text, codes and choices
by code or Vietnamese label. Files are read with the same limits (`shared.spreadsheets`), and
checking stops after MAX_ERRORS refused rows.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from accounts import access
from communes.models import AdministrativeUnit, Kind, Region
from communes.services import unit_save
from criteria.models import CriteriaSet, Scope, SetLevel, Tier
from records.models import AchievementRecord
from shared import tabular
from shared.cells import fold, free_text, is_blank, parse_code, parse_date, parse_int, parse_yes_no, text
from shared.spreadsheets import SAFE_FORMATS, SpreadsheetError


class SafeFormatsMixin:
    """Put before ImportExportMixin / ExportMixin: only .xlsx and .csv, read and written safely."""

    formats = SAFE_FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        """A file refused by `shared.spreadsheets` shows its own message, not the exception's name."""
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


# ---------------------------------------------------------------------------------------------
# Widgets: import-export's own read 01/07/2025 month first and 1.250 as 1,25.


class TextWidget(widgets.CharWidget):
    """Text in NFC with spaces collapsed, as the site's imports read it."""

    def clean(self, value, row=None, **kwargs):
        return text(value)


class NoteWidget(widgets.CharWidget):
    """Free text (a note): NFC, its own line breaks kept, '' when the cell is empty."""

    def clean(self, value, row=None, **kwargs):
        return free_text(value)


class CodeWidget(widgets.CharWidget):
    """A code; a number cell that Excel may have shortened (17.10 → 17.1) is refused."""

    def clean(self, value, row=None, **kwargs):
        return parse_code(value)


class ChoiceWidget(widgets.CharWidget):
    """A choice by its code ('xa') or its Vietnamese label ('Xã'), however it was typed."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        wanted = fold(value)
        for code, label in self.choices.choices:
            if wanted in (fold(code), fold(label)):
                return code
        raise ValueError(
            _("“%(value)s” không hợp lệ; chọn một trong: %(options)s.")
            % {"value": text(value), "options": ", ".join(str(label) for _code, label in self.choices.choices)}
        )


class DateCellWidget(widgets.DateWidget):
    """A date day first (19/08/2022) or ISO; written out as 19/08/2022."""

    def clean(self, value, row=None, **kwargs):
        return None if is_blank(value) else parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return f"{value:%d/%m/%Y}" if value else ""


class IntegerCellWidget(widgets.IntegerWidget):
    """A whole number written the Vietnamese way (1.250)."""

    def clean(self, value, row=None, **kwargs):
        return None if is_blank(value) else parse_int(value)


class YesNoWidget(widgets.BooleanWidget):
    """Có / Không, Đạt / Không đạt, 1 / 0."""

    def clean(self, value, row=None, **kwargs):
        return None if is_blank(value) else parse_yes_no(value)


class UnitCodeWidget(widgets.ForeignKeyWidget):
    """A unit named by its code; an unknown code says so in Vietnamese."""

    def __init__(self):
        super().__init__(AdministrativeUnit, field="code")

    def clean(self, value, row=None, **kwargs):
        code = parse_code(value)
        if not code:
            return None
        try:
            return super().clean(code, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(_("Không có đơn vị mã “%(code)s”.") % {"code": code}) from None


class CheckedRowsMixin:
    """Put before ModelResource: after MAX_ERRORS refused rows the rest are not checked, and the
    row where checking stopped says so (a file full of errors would otherwise hold a worker)."""

    def before_import(self, dataset, **kwargs):
        self._refused_rows = 0
        super().before_import(dataset, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        refused = getattr(self, "_refused_rows", 0)
        limit = tabular.MAX_ERRORS
        if refused < limit:
            row_result = super().import_row(row, instance_loader, **kwargs)
            if row_result.validation_error is not None or row_result.errors:
                self._refused_rows = refused + 1
            return row_result
        row_result = self.get_row_result_class()()
        row_result.import_type = RowResult.IMPORT_TYPE_SKIP
        if refused == limit:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(
                _(
                    "Đã dừng kiểm tra ở dòng %(row)d sau %(n)d dòng có lỗi; các dòng sau chưa được kiểm tra. Sửa các lỗi "
                    "trên rồi tải lên lại."
                )
                % {"row": kwargs.get("row_number", 0), "n": limit}
            )
        self._refused_rows = refused + 1
        return row_result


def _field(attribute, header, widget=None):
    return fields.Field(attribute=attribute, column_name=header, widget=widget)


class AdministrativeUnitResource(CheckedRowsMixin, resources.ModelResource):
    """Đơn vị hành chính, keyed on its code; the parent is given by code too."""

    code = _field("code", "Mã đơn vị", CodeWidget())
    name = _field("name", "Tên", TextWidget())
    kind = _field("kind", "Loại", ChoiceWidget(Kind))
    parent = _field("parent", "Mã đơn vị cấp trên", UnitCodeWidget())
    valid_from = _field("valid_from", "Hiệu lực từ", DateCellWidget())
    valid_to = _field("valid_to", "Hết hiệu lực từ", DateCellWidget())
    region = _field("region", "Vùng", ChoiceWidget(Region))
    commune_group = _field("commune_group", "Nhóm xã", IntegerCellWidget())
    is_disadvantaged = _field("is_disadvantaged", "Xã đặc biệt khó khăn / an toàn khu", YesNoWidget())

    def before_save_instance(self, instance, row, **kwargs):
        """A district's staff load units into their own district only: the unit a row changes
        and the parent it names must both be within the user's scope (accounts.access)."""
        user = kwargs.get("user")
        if user is None:
            return
        action = "change" if instance.pk else "add"
        if not access.admin_may(user, action, AdministrativeUnit, instance):
            raise ValidationError(
                {
                    "parent": _("Đơn vị %(code)s hoặc đơn vị cấp trên nằm ngoài phạm vi quản lý của bạn.")
                    % {"code": instance.code}
                }
            )

    def do_instance_save(self, instance, is_create):
        unit_save(unit=instance)  # a unit moved to another parent carries its subtree along

    class Meta:
        model = AdministrativeUnit
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "region",
            "commune_group",
            "is_disadvantaged",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class CriteriaSetResource(CheckedRowsMixin, resources.ModelResource):
    """Bộ tiêu chí (its own row only; criteria and indicators load through the set workbook)."""

    code = _field("code", "Mã bộ tiêu chí", CodeWidget())
    name = _field("name", "Tên bộ tiêu chí", TextWidget())
    level = _field("level", "Áp dụng cho", ChoiceWidget(SetLevel))
    tier = _field("tier", "Mức", ChoiceWidget(Tier))
    period_start = _field("period_start", "Từ năm", IntegerCellWidget())
    period_end = _field("period_end", "Đến năm", IntegerCellWidget())
    decision_number = _field("decision_number", "Số quyết định", TextWidget())
    decision_date = _field("decision_date", "Ngày quyết định", DateCellWidget())
    scope = _field("scope", "Phạm vi", ChoiceWidget(Scope))
    province = _field("province", "Mã tỉnh ban hành", UnitCodeWidget())
    is_illustrative = _field("is_illustrative", "Minh hoạ", YesNoWidget())
    note = _field("note", "Ghi chú", NoteWidget())

    def before_save_instance(self, instance, row, **kwargs):
        """A set is loaded only by its owner (accounts.access): national administrators, or the
        staff of the province that issues it; both the set as stored and as the row makes it."""
        user = kwargs.get("user")
        if user is None:
            return
        stored = CriteriaSet.objects.filter(pk=instance.pk).first() if instance.pk else None
        if not access.may_change_criteria_set(user, instance) or (
            stored and not access.may_change_criteria_set(user, stored)
        ):
            raise ValidationError(
                {"scope": _("Bộ tiêu chí %(code)s không thuộc quyền quản lý của bạn.") % {"code": instance.code}}
            )

    class Meta:
        model = CriteriaSet
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "level",
            "tier",
            "period_start",
            "period_end",
            "decision_number",
            "decision_date",
            "scope",
            "province",
            "is_illustrative",
            "note",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class AchievementRecordResource(resources.ModelResource):
    """Kết quả chỉ tiêu, for export: unit code, set code and indicator code identify each row."""

    unit = _field("unit__code", "Mã đơn vị")
    criteria_set = _field("indicator__criterion__criteria_set__code", "Mã bộ tiêu chí")
    indicator = _field("indicator__code", "Mã chỉ tiêu")
    as_of = _field("as_of", "Tính đến ngày", DateCellWidget())
    value_bool = _field("value_bool", "Đạt (có/không)", widgets.BooleanWidget())
    value_number = _field("value_number", "Giá trị số", widgets.DecimalWidget())
    is_met = _field("is_met", "Đạt", widgets.BooleanWidget())
    note = _field("note", "Ghi chú", NoteWidget())

    class Meta:
        model = AchievementRecord
        fields = ["unit", "criteria_set", "indicator", "as_of", "value_bool", "value_number", "is_met", "note"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("unit", "indicator__criterion__criteria_set")
