"""Display of record values in templates, in the Vietnamese number format."""

from django import template
from django.utils.translation import gettext as _

from shared.formatting import vi_number

register = template.Library()


@register.filter
def record_value(record):
    """'Đạt', 'Không đạt', '95,5' — or '—' when there is no record."""
    if record is None:
        return "—"
    if getattr(record, "value_bool", None) is not None:
        return _("Đạt") if record.value_bool else _("Không đạt")
    if getattr(record, "value_number", None) is not None:
        return vi_number(record.value_number, max_decimals=4)
    return "—"


@register.filter
def threshold_text(threshold):
    """'≥ 95', 'từ 50 đến dưới 70' for a numeric target."""
    if threshold is None:
        return ""
    return threshold.rule_text
