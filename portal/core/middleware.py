"""HTTP plumbing shared by every part of the portal."""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger("samspil.incidents")


class RequestSizeLimitMiddleware:
    """Answer an oversized request body with a Danish 400 before anything reads it.

    Django's own limits cover form fields kept in memory, not uploaded files;
    this one cap covers both and never lets a large upload turn into a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.MAX_REQUEST_BODY_BYTES

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > self.limit:
            body = loader.render_to_string(
                "400.html",
                {
                    "message": _("The upload is too large. The limit is %(mb)d MB.")
                    % {"mb": self.limit // 2**20}
                },
                request=request,
            )
            return HttpResponse(body, status=400)
        return self.get_response(request)


class IncidentIdMiddleware:
    """Give every unhandled exception an incident id, logged and shown on the 500 page.

    The id lets support find the log line without the page revealing anything.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # A 404, 403 or 400 is an answer, not an incident.
        if isinstance(exception, Http404 | PermissionDenied | SuspiciousOperation):
            return None
        request.incident_id = uuid.uuid4().hex[:12]
        logger.error(
            "Incident %s on %s %s", request.incident_id, request.method, request.path, exc_info=exception
        )
        return None


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Danish unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many
    Danish clinicians run English operating systems; the portal is Danish first.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AtomicWritesMiddleware:
    """Every request that may write runs in one transaction; reads run without one.

    Django's ``ATOMIC_REQUESTS`` wraps every view, so each GET of a public page began a
    transaction, and on SQLite (``transaction_mode`` IMMEDIATE, which the task worker needs)
    that BEGIN takes the database's one write lock: readers queued behind each other and
    behind the worker. ``ATOMIC_REQUESTS`` is per view (``non_atomic_requests`` exempts a
    view for every method), and Django has no per-method switch, so with it off this
    middleware opens the transaction for POST, PUT, PATCH and DELETE only: a write is still
    all or nothing. A safe method reads in autocommit; the few reads that also write (the
    access log) go through services that are atomic themselves.

    The transaction is rolled back when the view raised (the error page is rendered inside
    it, so its own queries still run, and then undone) or the response is a server error.
    Place it last but the lockout middleware, so that it holds the view and little else,
    as ``ATOMIC_REQUESTS`` did; sessions are saved outside it, as before.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if getattr(request, "_samspil_view_failed", False) or response.status_code >= 500:
                transaction.set_rollback(True)
        return response

    def process_exception(self, request, exception):
        # Not set_rollback here: the error page is still to be rendered in this transaction,
        # and a transaction marked for rollback refuses every further query.
        request._samspil_view_failed = True
        return None
