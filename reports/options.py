"""What a page is asked for: the unit and the date, read from the request in one place.

Report pages and the API call `report_options(request)`; steering pages and exports, which need
only the unit and one date, call `scope_unit` and `report_date`. A bad ?date= is the same 400 page
with the same message everywhere (`BadReportDateMiddleware`); a unit outside the user's scope 404.
A further option (say, "include submitted records") is one more field here and nowhere else.
"""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import home_unit, unit_for_user
from communes.models import AdministrativeUnit
from reports.engine import latest_record_date, report_dates


class BadReportDate(BadRequest):
    """?date= is not a date; the message is for the user."""


class NoScope(Exception):
    """The user has no unit to report on (no profile or no unit assigned)."""


@dataclass(frozen=True)
class ReportOptions:
    unit: AdministrativeUnit
    as_of: date
    dates: list[date]
    # Verified records only by default; ?submitted=1 also counts records awaiting verification.
    include_submitted: bool = False

    @property
    def has_data(self):
        return bool(self.dates)

    def query(self, **extra):
        """'unit=dam-ha&date=2022-08-19', for links that keep the report's unit and date."""
        params = {"unit": self.unit.code, "date": self.as_of.isoformat()}
        if self.include_submitted:
            params["submitted"] = "1"
        return urlencode({**params, **extra})


# What a person types in a page's date box (dd/mm/yyyy); links and the API use YYYY-MM-DD.
_TYPED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(raw, *, typed=True):
    """?date=: YYYY-MM-DD, or (`typed`, a page's date box) dd/mm/yyyy, day first; the API passes
    typed=False and reads YYYY-MM-DD only."""
    try:
        if typed and (match := _TYPED.fullmatch(raw.strip())):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(raw)
    except ValueError:
        if typed:
            message = _("Ngày không hợp lệ: “%(value)s”. Ghi theo dạng ngày/tháng/năm, ví dụ 19/08/2022.")
        else:
            message = _("Ngày không hợp lệ: “%(value)s”. Dùng dạng YYYY-MM-DD, ví dụ 2022-08-19.")
        raise BadReportDate(message % {"value": raw}) from None


def scope_unit(request, code=None):
    """The unit `code` (else ?unit=) within the user's scope (Http404 outside it), else the
    user's own unit; None when the user has none."""
    code = code or request.GET.get("unit")
    return unit_for_user(request.user, code) if code else home_unit(request.user)


def report_date(request, unit):
    """?date=YYYY-MM-DD or dd/mm/yyyy (BadReportDate otherwise), else the newest record date under `unit`, else today."""
    raw = request.GET.get("date")
    if raw:
        return parse_date(raw)
    return latest_record_date(unit) or date.today()


def report_options(request, code=None, *, typed_date=True):
    """The unit (`code`, else ?unit=, else the user's own) within the user's scope, and the date
    (?date=, else the latest date with data under the unit, else today).

    Raises Http404 for a unit outside the scope, NoScope without a unit, BadReportDate. The API
    passes typed_date=False: it reads YYYY-MM-DD only.
    """
    unit = scope_unit(request, code)
    if unit is None:
        raise NoScope
    include_submitted = request.GET.get("submitted") == "1"
    dates = report_dates(unit, include_submitted)
    raw = request.GET.get("date")
    if raw:
        as_of = parse_date(raw, typed=typed_date)
    else:
        as_of = dates[-1] if dates else date.today()
    return ReportOptions(unit=unit, as_of=as_of, dates=dates, include_submitted=include_submitted)


class BadReportDateMiddleware:
    """A bad ?date= on any page or export answers the report's 400 page with its message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadReportDate):
            return render(request, "reports/bad_request.html", {"message": str(exception)}, status=400)
        return None


def per_child(unit, as_of):
    """Whether more units than NTM_PER_UNIT_MAX_UNITS sit under `unit` on `as_of` (one query):
    then its pages (overview, brief, API, steering lists) show a row per unit one level down,
    with a link to each, instead of a row per commune."""
    under = AdministrativeUnit.objects.within(unit).valid_on(as_of)
    return under[: settings.NTM_PER_UNIT_MAX_UNITS + 1].count() > settings.NTM_PER_UNIT_MAX_UNITS
