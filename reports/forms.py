"""The form of a province's report settings: the average rule and a threshold per commune set."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import AverageRule


class ReportSettingsForm(forms.Form):
    """Cách viết báo cáo: one threshold field per set (`sets`: [(criteria set, criteria count)])."""

    average_rule = forms.ChoiceField(
        label=_("Cách viết số bình quân"),
        choices=[("", _("Theo cấu hình chung của hệ thống"))] + AverageRule.choices,
        required=False,
    )
    is_illustrative = forms.BooleanField(
        label=_("Ngưỡng nhập để minh hoạ (chưa phải ngưỡng tỉnh đã ban hành)"), required=False
    )

    def __init__(self, *args, sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.sets = sets
        for criteria_set, total in sets:
            self.fields[self.field_name(criteria_set)] = forms.IntegerField(
                label=criteria_set.name,
                required=False,
                min_value=1,
                max_value=max(total - 1, 1),
                help_text=_(
                    "Cơ bản đạt chuẩn khi đạt từ số tiêu chí này (trong %(n)d) trở lên; để trống nếu tỉnh không báo cáo."
                )
                % {"n": total},
                error_messages={
                    "min_value": _("Ngưỡng phải từ 1 tiêu chí trở lên."),
                    "max_value": _("Ngưỡng phải nhỏ hơn số tiêu chí của bộ (%(n)d): đạt đủ là một tình trạng riêng.")
                    % {"n": total},
                    "invalid": _("Ghi một số nguyên, ví dụ 15."),
                },
            )

    @staticmethod
    def field_name(criteria_set):
        return f"basic_{criteria_set.pk}"

    def threshold_fields(self):
        return [self[self.field_name(s)] for s, _total in self.sets]

    def thresholds(self):
        return {s: self.cleaned_data[self.field_name(s)] for s, _total in self.sets}
