from django import forms
from django.core.exceptions import ValidationError

from .models import AchievementRecord
from .services import record_evaluate


class AchievementRecordForm(forms.ModelForm):
    """Admin form: checks the value against the indicator's kind and target before saving."""

    class Meta:
        model = AchievementRecord
        fields = ["unit", "indicator", "as_of", "value_bool", "value_number", "note"]

    def clean(self):
        data = super().clean()
        unit, indicator = data.get("unit"), data.get("indicator")
        if unit and indicator:
            try:
                self.instance.is_met = record_evaluate(
                    unit=unit,
                    indicator=indicator,
                    value_bool=data.get("value_bool"),
                    value_number=data.get("value_number"),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data
