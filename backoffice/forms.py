"""Forms of the admin screens."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from records.models import AchievementRecord, RecordStatus
from records.services import record_evaluate


class AchievementRecordForm(forms.ModelForm):
    """Admin form: checks the value against the indicator's kind and target, the round, the
    statuses the user may set, and that nobody saved the record since the form was opened.

    The admin sets `verifier` and `allowed_statuses` per user (backoffice.admin.records).
    """

    verifier = True
    allowed_statuses = RecordStatus.values

    status = forms.ChoiceField(label=_("trạng thái"), choices=RecordStatus.choices, required=False)
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AchievementRecord
        fields = [
            "unit",
            "indicator",
            "as_of",
            "reporting_round",
            "status",
            "value_bool",
            "value_number",
            "value_items",
            "note",
            "return_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in RecordStatus.choices if c[0] in self.allowed_statuses]
        self.fields["seen_version"].initial = self.instance.version if self.instance.pk else 0

    def clean_status(self):
        status = self.cleaned_data.get("status") or (RecordStatus.VERIFIED if self.verifier else RecordStatus.DRAFT)
        if status not in self.allowed_statuses:
            raise ValidationError(_("Tài khoản của bạn chỉ lưu nháp hoặc gửi duyệt được."))
        return status

    def clean(self):
        data = super().clean()
        unit, indicator = data.get("unit"), data.get("indicator")
        reporting_round = data.get("reporting_round")
        if reporting_round is not None:
            if not reporting_round.is_open:
                self.add_error("reporting_round", _("Đợt báo cáo đã đóng; không sửa được số liệu."))
            if data.get("as_of") and data["as_of"] != reporting_round.as_of:
                self.add_error("as_of", _("Ngày phải trùng ngày tính số liệu của đợt báo cáo."))
        if data.get("status") == RecordStatus.RETURNED and not data.get("return_reason"):
            self.add_error("return_reason", _("Hãy ghi lý do trả lại để xã biết cần sửa gì."))
        seen = data.get("seen_version")
        if self.instance.pk and seen is not None and seen != self.instance.version:
            current = AchievementRecord.objects.get(pk=self.instance.pk)
            self.add_error(
                None,
                _("Kết quả vừa được %(user)s cập nhật; giá trị hiện tại là “%(value)s”. Hãy tải lại trang.")
                % {"user": current.recorded_by or "—", "value": current.value},
            )
        if unit and indicator:
            try:  # checked here for the form's message; records.services decides and stores it
                record_evaluate(
                    unit=unit,
                    indicator=indicator,
                    value_bool=data.get("value_bool"),
                    value_number=data.get("value_number"),
                    value_items=data.get("value_items", ""),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data
