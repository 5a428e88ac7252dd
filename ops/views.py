"""Health probes for the load balancer and process manager, and the pages shown on failure.

The probes need no login, touch no session and set no cookie, so a probe every few seconds
neither fills the session table nor depends on authentication working.
"""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Seconds a client is asked to wait before retrying while the database is unreachable.
RETRY_AFTER_SECONDS = 30
DATABASE_DOWN = (OperationalError, InterfaceError)


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. Touches nothing else, so a database outage cannot fail it."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request):
    """Readiness: the database answers and every migration on disk has been applied."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    if pending:
        names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in pending]
        return JsonResponse(
            {"status": "unavailable", "database": "ok", "migrations": "pending", "pending": names}, status=503
        )
    return JsonResponse({"status": "ready", "database": "ok", "migrations": "applied"})


def database_unavailable(request):
    """503 in Vietnamese with Retry-After; renders without the database (no user, no session)."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: a lost database connection becomes a 503 the user can retry, anything else 500.

    Django calls this for exceptions raised anywhere in the request, including the session and
    authentication middleware that are the first to notice a dead database, with the exception
    still being handled.
    """
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))


def csrf_failure(request, reason=""):
    """A refused form (stale page, cookies off): the site's own 403 page, with its navigation and
    in the page's language, instead of Django's bare English one (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
