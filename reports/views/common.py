"""What every report page shares: the options, the error pages, the unit picker."""

from functools import wraps

from django.db.models import Q
from django.shortcuts import render

from accounts.access import visible_units
from communes.models import Level, kinds_at
from reports.options import BadReportDate, NoScope, report_options


def report_page(view):
    """Read the report options for `view`, answering bad dates (400) and no scope (403) clearly."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            options = report_options(request, kwargs.pop("code", None))
        except NoScope:
            return render(request, "reports/no_scope.html", status=403)
        except BadReportDate as error:
            return render(request, "reports/bad_request.html", {"message": str(error)}, status=400)
        return view(request, options, *args, **kwargs)

    return wrapper


def unit_choices(user, current, as_of):
    """Units above commune level the user may report on that exist on `as_of`, for the unit
    picker (one query): the unit shown, its ancestors, and the units one level below each of
    them, so a national administrator on a district's page is offered the provinces and that
    province's districts, not the country's 700 districts (the list and its rendering grew with
    the database). On a 2026 date no district abolished on 1/7/2025, on a 2022 date no unit
    formed since; the unit shown stays first whatever its dates."""
    around = current.lineage_ids
    units = list(
        visible_units(user)
        .exclude(kind__in=kinds_at(Level.COMMUNE))
        .valid_on(as_of)
        .filter(Q(pk__in=around) | Q(parent_id__in=around))
        .order_by("code")
    )
    if current not in units:
        units.insert(0, current)
    return units
