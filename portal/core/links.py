"""Absolute links for e-mails and exports, from the one configured address of the portal.

An e-mail is read outside the request that sent it (often by the outbox worker), so the
link cannot come from the request's host: it comes from ``SITE_URL`` (README, Configuration).
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def absolute_reverse(viewname: str, **kwargs) -> str:
    return absolute_url(reverse(viewname, kwargs=kwargs or None))
