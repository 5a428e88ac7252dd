"""Read-only JSON API under /api/v1/: the same figures as `ntm_report --format json`.

Session authentication (the browser's login); scoped like the pages through accounts.access, so a
unit outside the user's scope is 404. Errors are JSON with a Vietnamese message.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reports.engine import summarise, unit_details
from reports.options import BadReportDate, NoScope, report_options
from reports.serializers import summary_dict, unit_detail_dict

JSON_OPTIONS = {"ensure_ascii": False}


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
        return JsonResponse(view(request, options), json_dumps_params=JSON_OPTIONS)

    return wrapper


@api_view
def unit_summary(request, options):
    """The committee figures for a unit and the units under it (as `ntm_report --format json`)."""
    return summary_dict(summarise(options.unit, options.as_of, include_submitted=options.include_submitted))


@api_view
def unit_detail_view(request, options):
    """Every set the unit pursues, criterion by criterion and indicator by indicator."""
    return {
        "unit": {"code": options.unit.code, "name": options.unit.display_name},
        "as_of": options.as_of.isoformat(),
        "sets": [unit_detail_dict(d) for d in unit_details(options.unit, options.as_of, options.include_submitted)],
    }
