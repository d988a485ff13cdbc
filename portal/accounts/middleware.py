"""Session lifetime and the two-factor requirement, enforced for every request."""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import has_confirmed_device, two_factor_required

# Reachable before the second factor: the factor pages themselves, logging out,
# static assets and the health check.
EXEMPT_PREFIXES = ("/konto/2fa/", "/admin/logout/", "/log-ud/", "/static/", "/healthz", "/i18n/", "/oidc/")
# A MitID Erhverv login at assurance "substantial" is already two-factor (checked by the backend).
TWO_FACTOR_BACKENDS = {"portal.accounts.oidc.SamspilOIDCBackend"}


class SessionLifetimeMiddleware:
    """Log out after the idle timeout (shorter in patient areas) or the absolute lifetime."""

    LAST_SEEN = "samspil_last_seen"
    STARTED = "samspil_session_started"
    LAST_SEEN_GRANULARITY = 30  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.STARTED, now)
            last_seen = request.session.get(self.LAST_SEEN, now)
            idle_limit = (
                settings.SESSION_IDLE_SECONDS_PATIENT_AREAS
                if request.path.startswith(tuple(settings.PATIENT_AREA_PREFIXES))
                else settings.SESSION_IDLE_SECONDS
            )
            if now - last_seen > idle_limit or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}&udloebet=1")
            # Written only when it has moved on: writing it on every request saved the session
            # (an UPDATE in its own transaction) on every page view. The idle timeout is then
            # exact to within LAST_SEEN_GRANULARITY seconds.
            if now - last_seen >= self.LAST_SEEN_GRANULARITY or self.LAST_SEEN not in request.session:
                request.session[self.LAST_SEEN] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Users who must use two-factor reach nothing else until they have verified.

    This covers the Wagtail admin too: its views are ordinary Django views here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
            and request.session.get(BACKEND_SESSION_KEY) not in TWO_FACTOR_BACKENDS
            and two_factor_required(user)
        ):
            target = "two_factor_verify" if has_confirmed_device(user) else "two_factor_enrol"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
