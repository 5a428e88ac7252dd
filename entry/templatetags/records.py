"""Display of record values in templates, in the Vietnamese number format."""

from django import template

from records.models import value_display

register = template.Library()


@register.filter
def record_value(record):
    """'Đạt', 'Không đạt', '95,5' — or '—' when there is no record."""
    if record is None:
        return "—"
    return value_display(record)


@register.filter
def threshold_text(threshold):
    """'≥ 95', 'từ 50 đến dưới 70' for a numeric target."""
    if threshold is None:
        return ""
    return threshold.rule_text
