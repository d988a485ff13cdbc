"""Health check and error pages."""

import uuid

from django.db import connection
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - the health check reports, never raises
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def _search_state() -> dict:
    # A real probe: the engine's cluster health, or the database index when no engine is set.
    from search.backends import health

    return health()


# What anyone may learn: whether each part is up, and which search path answers (the
# database fallback or the engine). The database vendor, document counts, cluster
# figures and error names are for staff: to others they only map the attack surface.
PUBLIC_FIELDS = {"database": ("status",), "search": ("status", "backend")}


def _public(checks: dict) -> dict:
    return {
        part: {k: v for k, v in state.items() if k in PUBLIC_FIELDS[part]} for part, state in checks.items()
    }


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_state(), "search": _search_state()}
    healthy = checks["database"]["status"] == "ok"
    # Without a database nobody can be recognised as staff: then everyone gets the short answer.
    if not (healthy and request.user.is_authenticated and request.user.is_active and request.user.is_staff):
        checks = _public(checks)
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    # Rendered without a RequestContext: the failure may be in a context processor.
    incident_id = getattr(request, "incident_id", None) or uuid.uuid4().hex[:12]
    body = loader.get_template("500.html").render({"incident_id": incident_id})
    return HttpResponseServerError(body)


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page says. Resolved per request:
    the static files' manifest exists only after collectstatic."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
