"""Request logging, report-read routing, refusing NUL bytes, no-store for signed-in users and the
page language. Decisions on routing live in ops.routers."""

import logging
import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import empty

from ops.routers import replica_reads

logger = logging.getLogger("ops.request")

# URL namespaces whose GET requests only read report figures (the API joins when it exists).
REPORT_NAMESPACES = frozenset({"reports", "api"})


def _user_id(request):
    """The user's id if this request already looked the user up; never loads the session itself.

    Health probes and static files never touch the session, and logging must not make them.
    """
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration in ms, user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
        logger.log(
            level,
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": _user_id(request),
            },
        )
        return response


class ReportReadsOnReplicaMiddleware:
    """Lets GET/HEAD requests to report pages read report data from the replica, if one is set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and _is_report_page(request.path_info):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)


def _is_report_page(path):
    try:
        return resolve(path).namespace in REPORT_NAMESPACES
    except Resolver404:
        return False


class RejectNulBytesMiddleware:
    """400 for an address (path or query parameter) holding a NUL byte, which no real input has.

    PostgreSQL cannot compare text with NUL in it, so `?unit=a%00b` or `/don-vi/a%00b/` would
    otherwise reach a filter and fail as a 500. Form fields already refuse NUL (Django's CharField
    validator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise BadRequest("NUL byte in path")
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL byte in query string")
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user: pages, exports, evidence
    and the API stay out of the browser's cache, so a shared commune PC keeps nothing after
    logout. Anonymous responses (the login page, probes) and static files keep their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _user_id(request) is not None:
            add_never_cache_headers(response)
        return response


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose English on the language switch (the `django_language`
    cookie that `set_language` writes); what the browser sends in Accept-Language is ignored.

    Offices often run English Chrome or Windows with Vietnamese second: following the browser gave
    them an English site and month-first dates. Django's LocaleMiddleware reads Accept-Language.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        known = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in known else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The language depends on the cookie only: no Vary on Accept-Language (every browser
        # language would be cached apart for nothing).
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
