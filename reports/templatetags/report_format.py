"""Template filters for report figures in the Vietnamese format (17,87; 94,1%; 19/08/2022)."""

from django import template

from ..formatting import vi_date, vi_number, vi_percent

register = template.Library()


@register.filter
def vi(value):
    """A figure: '17,87', '2', '10.000'."""
    return "" if value is None else vi_number(value)


@register.filter
def vi_pct(value):
    return "" if value is None else vi_percent(value)


@register.filter
def vi_day(value):
    return "" if value is None else vi_date(value)
