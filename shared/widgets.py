"""Form widgets shared by every app's forms."""

from django import forms

DAY_FIRST = "%d/%m/%Y"


class DayFirstDateInput(forms.DateInput):
    """A date typed and shown as dd/mm/yyyy whatever the browser's locale.

    A browser's own date picker (`type="date"`) shows the browser's format: mm/dd/yyyy in an
    English Chrome, next to the site's dd/mm dates. A text box with the day first reads the same
    everywhere; DATE_INPUT_FORMATS (ntm_dashboard/formats/) parse it, and YYYY-MM-DD as well.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": 10,
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format=DAY_FIRST)
