"""Template filters for report figures in the Vietnamese format (17,87; 94,1%; 19/08/2022).

A template hands a filter '' when a lookup fails (`record.as_of` of a missing record), as well as
None; both show as nothing, as Django's own `date` filter does.
"""

from django import template

from shared.formatting import vi_date, vi_number, vi_percent

register = template.Library()


@register.filter
def vi(value):
    """A figure: '17,87', '2', '10.000'."""
    return "" if value in (None, "") else vi_number(value)


@register.filter
def vi_pct(value):
    """A percentage: '94,1%'."""
    return "" if value in (None, "") else vi_percent(value)


@register.filter
def vi_day(value):
    """A date: '19/08/2022'."""
    return "" if value in (None, "") else vi_date(value)
