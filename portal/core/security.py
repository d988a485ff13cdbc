"""Security headers the whole portal sends.

The Content-Security-Policy comes from django-csp 4
(https://django-csp.readthedocs.io/en/latest/configuration.html). The public site
gets the strict ``CONTENT_SECURITY_POLICY``; the Wagtail admin, which cannot run
under it, gets ``CONTENT_SECURITY_POLICY_ADMIN`` (see settings.base for what was
relaxed and why). HSTS, Referrer-Policy, X-Content-Type-Options and
Cross-Origin-Opener-Policy are Django's own ``SECURE_*`` settings; X-Frame-Options
is Django's clickjacking middleware.
"""

import functools

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.urls import NoReverseMatch, reverse


@functools.lru_cache(maxsize=8)
def _admin_prefix(urlconf: str) -> str | None:
    try:
        return reverse("wagtailadmin_home", urlconf=urlconf)
    except NoReverseMatch:  # a URLconf without the admin (some tests use their own)
        return None


def _is_relaxed_admin_path(request) -> bool:
    prefix = _admin_prefix(getattr(request, "urlconf", None) or settings.ROOT_URLCONF)
    path = request.path_info
    if prefix is None or not path.startswith(prefix):
        return False
    return not path[len(prefix) :].startswith(tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_STRICT_PATHS))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin policy swapped in for paths under the admin.

    Swapping by path (rather than decorating views) also covers the admin views
    that Wagtail hooks and third-party apps add later.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and _is_relaxed_admin_path(request):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        # A view that has opted into same-origin framing (Wagtail's preview panel marks its
        # responses X-Frame-Options: SAMEORIGIN) gets the same from CSP, which browsers
        # obey instead of X-Frame-Options; every other response stays unframeable.
        if not report_only and response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` from the ``PERMISSIONS_POLICY`` setting.

    Django has no setting for this header. Each feature maps to the origins
    allowed to use it; an empty list switches the feature off everywhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
