"""Vietnamese number formats for steering templates, through shared.formatting."""

from django import template

from shared.formatting import vi_number, vi_percent

register = template.Library()


@register.filter
def vnd(value):
    """'1.250.000.000' (đồng), or '—' when unknown."""
    return "—" if value is None or value == "" else vi_number(value, 0)


@register.filter
def percent(value):
    """'94,1%'."""
    return "—" if value is None else vi_percent(value)
