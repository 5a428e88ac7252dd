from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from criteria.models import Criterion
from shared.widgets import DayFirstDateInput
from steering.models import Office, PlanItem, Work


class VndField(forms.DecimalField):
    """An amount in đồng, typed the Vietnamese way ("1.250.000.000") or plainly ("1250000000")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.error_messages["invalid"] = _("Nhập số tiền bằng đồng, ví dụ 1.250.000.000.")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(".", "").replace(" ", "").replace("\u00a0", "")
            if "," in value:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def prepare_value(self, value):
        try:
            number = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            return value
        return f"{number:,.0f}".replace(",", ".")


def _offices_for(unit):
    """District offices above the unit, and bodies of the unit itself."""
    return (
        Office.objects.filter(Q(unit=unit) | Q(unit=unit.parent_id))
        if unit.parent_id
        else Office.objects.filter(unit=unit)
    )


class PlanItemForm(forms.ModelForm):
    estimated_cost = VndField(label=_("Kinh phí dự kiến (đồng)"), required=False)

    class Meta:
        model = PlanItem
        fields = [
            "action",
            "office",
            "person",
            "person_email",
            "estimated_cost",
            "funding_source",
            "deadline",
            "status",
            "progress_note",
        ]
        widgets = {
            "deadline": DayFirstDateInput(),
            "action": forms.Textarea(attrs={"rows": 3}),
            "progress_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = _offices_for(unit)


class WorkForm(forms.ModelForm):
    approved_capital = VndField(label=_("Vốn được duyệt (đồng)"), min_value=1)
    disbursed = VndField(label=_("Đã giải ngân (đồng)"))

    class Meta:
        model = Work
        fields = [
            "name",
            "unit",
            "criteria",
            "approved_capital",
            "funding_sources",
            "disbursed",
            "physical_progress",
            "start_date",
            "due_date",
            "office",
            "person",
            "person_email",
            "note",
        ]
        widgets = {
            "start_date": DayFirstDateInput(),
            "due_date": DayFirstDateInput(),
            "criteria": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        # Only units that exist today; a work already on a merged unit keeps it.
        offered = units.valid_on(date.today())
        if self.instance.unit_id:
            offered = offered | units.filter(pk=self.instance.unit_id)
        self.fields["unit"].queryset = offered
        self.fields["criteria"].queryset = Criterion.objects.select_related("criteria_set").order_by(
            "criteria_set__code", "number"
        )
        self.fields["criteria"].label_from_instance = lambda c: f"{c.criteria_set.name} — {c}"
        self.fields["office"].queryset = Office.objects.filter(unit__in=units)
        self.fields["physical_progress"].max_value = 100
        self.fields["physical_progress"].widget.attrs["max"] = 100

    def clean(self):
        data = super().clean()
        capital, disbursed = data.get("approved_capital"), data.get("disbursed")
        if capital is not None and disbursed is not None and disbursed > capital:
            self.add_error("disbursed", _("Số đã giải ngân không thể lớn hơn vốn được duyệt."))
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("Ngày hoàn thành không thể trước ngày khởi công."))
        progress = data.get("physical_progress")
        if progress is not None and progress > 100:
            self.add_error("physical_progress", _("Khối lượng hoàn thành tối đa là 100%."))
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}))


class RecogniseForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DayFirstDateInput())
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
