"""Fixed-window rate limits on login, password reset and search, answered with 429.

A fixed window (count per client per whole period, e.g. 10:00-10:05) is the simplest
limiter that cannot be talked around by pacing; its worst case lets through twice the
limit across a window edge, which is fine for slowing guessing and scraping. Lockout
after wrong passwords is django-axes' job; this limit also covers correct passwords,
unknown e-mails and the pages that have no password at all.

The counts live in Django's default cache. Local memory (the default) counts per
process: production with several workers needs a shared cache (see settings.base).
"""

import functools
import hashlib
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.translation import ngettext

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _clock() -> float:
    # One indirection, so that tests can move time without sleeping.
    return time.time()


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds


def parse_rate(text: str) -> Rate:
    """``"10/5m"`` is ten per five minutes; ``"60/m"`` sixty per minute."""
    match = _RATE.match(text)
    if not match:
        raise ValueError(f"Rate {text!r} is not of the form N/[M]s|m|h|d, e.g. 10/5m")
    count, multiple, unit = match.groups()
    return Rate(limit=int(count), period=int(multiple or 1) * _UNIT_SECONDS[unit])


def hit(scope: str, key: str, rate: Rate) -> int:
    """Count one request of ``key`` in ``scope``; return 0 if allowed, else the seconds to wait."""
    now = _clock()
    window = int(now // rate.period)
    # Hashed: the key may hold an e-mail address, which does not belong in a cache.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    # add() is a no-op when the key exists, so that concurrent first hits do not reset it.
    cache.add(cache_key, 0, timeout=rate.period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=rate.period + 1)
        count = 1
    if count <= rate.limit:
        return 0
    return max(1, math.ceil((window + 1) * rate.period - now))


def client_ip(request) -> str:
    """The client's address, taking ``TRUSTED_PROXY_COUNT`` proxies' X-Forwarded-For into account.

    Each proxy appends the address it saw, so the client is the entry that many places
    from the end; anything before it may have been written by the client itself.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _login_username(request) -> str:
    # Wagtail's login form (like Django's) calls its e-mail field "username".
    return request.POST.get("username", "").strip().lower()


@dataclass(frozen=True)
class Rule:
    url_name: str
    methods: frozenset
    # (scope in RATE_LIMITS, function giving the client's key within that scope)
    scopes: tuple
    # An API answers its 429 in JSON, as it answers everything else.
    json: bool = False


def _session_key(request) -> str:
    session = getattr(request, "session", None)
    return f"{client_ip(request)}|{getattr(session, 'session_key', None) or '-'}"


def _login_rule(url_name: str) -> Rule:
    return Rule(
        url_name,
        frozenset({"POST"}),
        (
            ("login", lambda request: f"{client_ip(request)}|{_login_username(request)}"),
            ("login_ip", client_ip),
        ),
    )


RULES = (
    # The portal's login and the Wagtail admin's share one count: switching gains nothing.
    _login_rule("login"),
    _login_rule("wagtailadmin_login"),
    Rule("wagtailadmin_password_reset", frozenset({"POST"}), (("password_reset", client_ip),)),
    # The page and the JSON API share one count: a scraper gains nothing by switching between
    # them. Autocomplete asks once per pause in typing, so it counts on its own, set higher.
    Rule("search", frozenset({"GET", "HEAD"}), (("search", client_ip),)),
    Rule("search_api", frozenset({"GET", "HEAD"}), (("search", client_ip),), json=True),
    Rule("search_autocomplete", frozenset({"GET", "HEAD"}), (("autocomplete", client_ip),), json=True),
    # Second-factor codes, per logged-in session (this runs before authentication, after sessions);
    # on top of django-otp's own per-device throttle.
    Rule("two_factor_verify", frozenset({"POST"}), (("two_factor", _session_key),)),
    Rule("two_factor_enrol", frozenset({"POST"}), (("two_factor", _session_key),)),
)


@functools.lru_cache(maxsize=8)
def _rules_by_path(urlconf: str) -> dict:
    # Looked up on first use, as URLconfs cannot be reversed while middleware is built;
    # a URLconf without one of the views (some tests use their own) leaves that rule out.
    paths = {}
    for rule in RULES:
        try:
            paths[reverse(rule.url_name, urlconf=urlconf)] = rule
        except NoReverseMatch:
            continue
    return paths


class RateLimitMiddleware:
    """Answer a request over one of the ``RATE_LIMITS`` with a 429 page and ``Retry-After``.

    Scopes missing from ``RATE_LIMITS`` are not limited.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        rule = _rules_by_path(urlconf).get(request.path_info)
        if rule is not None and request.method in rule.methods:
            wait = self._check(request, rule)
            if wait:
                return too_many_requests(request, wait, json=rule.json)
        return self.get_response(request)

    def _check(self, request, rule: Rule) -> int:
        limits = getattr(settings, "RATE_LIMITS", {})
        wait = 0
        for scope, key_for in rule.scopes:
            if scope in limits:
                # Every scope counts, even after one refused, so that no bucket is skipped.
                wait = max(wait, hit(scope, key_for(request), parse_rate(limits[scope])))
        return wait


def too_many_requests(request, retry_after: int, *, json: bool = False) -> HttpResponse:
    minutes = max(1, math.ceil(retry_after / 60))
    if json:
        # The same words as the 429 page (one entry in the catalogue).
        message = ngettext(
            "We have received too many requests from you in a short time. "
            "Please try again in %(minutes)s minute.",
            "We have received too many requests from you in a short time. "
            "Please try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = JsonResponse(
            {"error": message, "retry_after": retry_after},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Retry-After"] = str(retry_after)
        return response
    body = loader.render_to_string("429.html", {"retry_after_minutes": minutes}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response
