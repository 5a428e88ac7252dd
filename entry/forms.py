from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from criteria.models import ITEM_SEPARATOR, NONE_MET, IndicatorKind
from records.evidence import ACCEPTED, evidence_check
from records.models import ReportingRound
from records.services import Entry, record_evaluate
from shared.cells import CellError, parse_decimal
from shared.formatting import vi_number
from shared.widgets import DayFirstDateInput


class VietnameseDecimalField(forms.Field):
    """A number typed the Vietnamese way (1.250 is one thousand two hundred and fifty, 12,5 is
    twelve and a half), read by the same parser as the spreadsheet imports; ambiguous input such as
    1,250 is refused with a message saying how to type it."""

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_decimal(value)
        except CellError as error:
            raise ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value):
        if value in self.empty_values or isinstance(value, str):
            return value
        return vi_number(value, max_decimals=4)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input; each is checked by records.evidence.evidence_check."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ACCEPTED)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        errors = []
        for upload in cleaned:
            try:
                evidence_check(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


YES, NO = "yes", "no"


class IndicatorEntryForm(forms.Form):
    """One indicator's line on the entry form: a value fitting its kind, a note, evidence files.

    `version` and `verified_version` are the versions of the pending and of the verified record
    of the date the page showed (0 for none), and the value and note travel with what the page
    showed (hidden initial inputs): only lines the user changed are saved, and the service
    refuses the save if one of their records changed since.
    """

    value = forms.CharField(required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}), show_hidden_initial=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Not required, so that an older page still saves; it is then checked on the pending record only.
    verified_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    files = MultipleFileField(label=_("Minh chứng (PDF, ảnh, Word, Excel)"), required=False)

    def __init__(self, *args, indicator, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.unit = unit
        if indicator.kind == IndicatorKind.BOOLEAN:
            self.fields["value"] = forms.ChoiceField(
                label=_("Kết quả"),
                required=False,
                choices=[("", _("— chưa nhập —")), (YES, _("Đạt")), (NO, _("Không đạt"))],
                show_hidden_initial=True,
            )
        elif indicator.kind == IndicatorKind.ANY_OF:
            items = [(item.code, str(item)) for item in indicator.items.all()]
            self.fields["value"] = forms.MultipleChoiceField(
                label=_("Các mục đạt (cần ít nhất %(n)d)") % {"n": indicator.min_items},
                required=False,
                choices=[*items, (NONE_MET, _("Không mục nào đạt"))],
                widget=forms.CheckboxSelectMultiple,
                show_hidden_initial=True,
            )
        else:
            self.fields["value"] = VietnameseDecimalField(
                label=_("Giá trị") + (f" ({indicator.unit_of_measure})" if indicator.unit_of_measure else ""),
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                show_hidden_initial=True,
            )

    def clean(self):
        data = super().clean()
        value = data.get("value")
        if value in (None, "", []):
            if data.get("note") or data.get("files"):
                self.add_error("value", _("Hãy nhập kết quả trước khi ghi chú hoặc gửi minh chứng."))
            return data
        if self.indicator.kind == IndicatorKind.ANY_OF and NONE_MET in value and len(value) > 1:
            self.add_error("value", _("Đã chọn “Không mục nào đạt” thì không chọn mục nào khác."))
            return data
        entry = self.entry()
        try:
            record_evaluate(
                unit=self.unit,
                indicator=self.indicator,
                value_bool=entry.value_bool,
                value_number=entry.value_number,
                value_items=entry.value_items,
            )
        except ValidationError as error:
            self.add_error("value", error)
        return data

    def entry(self):
        """The cleaned line as the service takes it."""
        data = self.cleaned_data
        value = data.get("value")
        value_bool = value_number = None
        value_items = ""
        if self.indicator.kind == IndicatorKind.BOOLEAN:
            value_bool = {YES: True, NO: False}.get(value)
        elif self.indicator.kind == IndicatorKind.ANY_OF:
            if value:
                value_items, count = self.indicator.any_of_value(ITEM_SEPARATOR.join(value))
                value_number = Decimal(count)
        elif value not in (None, ""):
            value_number = value
        files = data.get("files") or []
        return Entry(
            indicator=self.indicator,
            value_bool=value_bool,
            value_number=value_number,
            value_items=value_items,
            note=data.get("note", "").strip(),
            seen_version=data.get("version") or 0,
            seen_verified_version=data.get("verified_version"),
            files=files,
            # Compared with what the page showed (its hidden initial inputs), not with the
            # database now: a line left alone stays unwritten even if its record moved meanwhile.
            edited=bool(files) or bool({"value", "note"} & set(self.changed_data)),
        )


def entry_initial(pending, verified):
    """What the form shows: the pending record if any, else the verified record of the same date,
    with the versions of both (0 for none)."""
    record = pending or verified
    initial = {"version": pending.version if pending else 0, "verified_version": verified.version if verified else 0}
    if record is not None:
        if record.value_bool is not None:
            initial["value"] = YES if record.value_bool else NO
        elif record.value_items:
            initial["value"] = record.value_items.split(ITEM_SEPARATOR)
        else:
            initial["value"] = record.value_number.normalize()
        initial["note"] = record.note
    return initial


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, strip=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RoundForm(forms.ModelForm):
    class Meta:
        model = ReportingRound
        fields = ["name", "as_of", "deadline"]
        widgets = {
            "as_of": DayFirstDateInput(),
            "deadline": DayFirstDateInput(),
        }

    def clean(self):
        data = super().clean()
        if data.get("as_of") and data.get("deadline") and data["deadline"] < data["as_of"]:
            self.add_error("deadline", _("Hạn nộp không được trước ngày tính số liệu."))
        return data
