"""Read-only JSON API under /api/v1/: the same figures as `ntm_report --format json`.

Session authentication (the browser's login); scoped like the pages through accounts.access, so a
unit outside the user's scope is 404. Errors are JSON with a Vietnamese message.

The summary of a unit with more than NTM_PER_UNIT_MAX_UNITS units under it gives a row per unit
one level down, as its pages do (`?rows=children`, the default there): a national request no
longer returns 11,000 units unasked. `?rows=units` asks for the units themselves, a page of
them at a time (`?page=`, `?page_size=` up to MAX_PAGE_SIZE).
"""

import math
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reports.engine import rollup, summarise, unit_details
from reports.options import BadReportDate, NoScope, per_child, report_options
from reports.serializers import rollup_dict, summary_dict, unit_detail_dict

JSON_OPTIONS = {"ensure_ascii": False}
ROWS_CHILDREN, ROWS_UNITS = "children", "units"
PAGE_SIZE, MAX_PAGE_SIZE = 500, 2000


class BadParameter(Exception):
    """A query parameter the API cannot read: answered 400 with the message."""


def _error(message, status):
    return JsonResponse({"error": message}, status=status, json_dumps_params=JSON_OPTIONS)


def api_view(view):
    """Session login required (401, not a redirect), options read, errors answered in JSON."""

    @wraps(view)
    @login_not_required
    @require_GET
    def wrapper(request, code):
        if not request.user.is_authenticated:
            return _error(_("Chưa đăng nhập."), 401)
        try:
            options = report_options(request, code, typed_date=False)
        except BadReportDate as error:
            return _error(str(error), 400)
        except (Http404, NoScope):
            return _error(_("Không tìm thấy đơn vị."), 404)
        try:
            return JsonResponse(view(request, options), json_dumps_params=JSON_OPTIONS)
        except BadParameter as error:
            return _error(str(error), 400)

    return wrapper


@api_view
def unit_summary(request, options):
    """The committee figures for a unit and the units under it (as `ntm_report --format json`);
    above NTM_PER_UNIT_MAX_UNITS units, per child unit unless `?rows=units` (paged)."""
    rows = request.GET.get("rows", "")
    if rows not in ("", ROWS_CHILDREN, ROWS_UNITS):
        raise BadParameter(_("Tham số rows chỉ nhận “children” hoặc “units”."))
    if rows == ROWS_CHILDREN or (not rows and per_child(options.unit, options.as_of)):
        result = rollup(options.unit, options.as_of, options.include_submitted)
        return rollup_dict(result, lambda unit: _summary_url(unit, options))
    summary = summarise(options.unit, options.as_of, include_submitted=options.include_submitted)
    if not rows:
        return summary_dict(summary)
    page, page_size = _page(request, "page", 1), min(_page(request, "page_size", PAGE_SIZE), MAX_PAGE_SIZE)
    codes = sorted({(u.unit.code, u.unit.pk) for s in summary.sets for u in s.units})
    pages = max(1, math.ceil(len(codes) / page_size))
    if page > pages:
        raise BadParameter(_("Không có trang %(page)d: chỉ có %(pages)d trang.") % {"page": page, "pages": pages})
    listed = {pk for _code, pk in codes[(page - 1) * page_size : page * page_size]}
    return {
        **summary_dict(summary, listed),
        "rows": ROWS_UNITS,
        "page": {"number": page, "size": page_size, "pages": pages, "unit_count": len(codes)},
    }


def _page(request, name, default):
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadParameter(_("Tham số %(name)s phải là số nguyên dương.") % {"name": name})
    return int(raw)


def _summary_url(unit, options):
    """Where a child unit's own summary is, on the same date and mode."""
    query = {"date": options.as_of.isoformat(), **({"submitted": "1"} if options.include_submitted else {})}
    return f"{reverse('reports:api_summary', args=[unit.code])}?{urlencode(query)}"


@api_view
def unit_detail_view(request, options):
    """Every set the unit pursues, criterion by criterion and indicator by indicator."""
    return {
        "unit": {"code": options.unit.code, "name": options.unit.display_name},
        "as_of": options.as_of.isoformat(),
        "sets": [unit_detail_dict(d) for d in unit_details(options.unit, options.as_of, options.include_submitted)],
    }
