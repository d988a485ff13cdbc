"""HTTP plumbing shared by every part of the portal."""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
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
