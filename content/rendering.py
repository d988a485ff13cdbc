"""Rendered block HTML kept in Django's cache, keyed by what the HTML is made from.

A guideline page is read thousands of times between two publishes, and turning its Markdown
into sanitised HTML was a fifth of every request. The key is a hash of the source and of
everything else the output depends on (the renderer's settings and library versions, the
reader's language, the heading offset), so an entry is never stale: changed text, a new
library or another language is simply another key. Cached output is the renderer's own,
byte for byte: nothing is re-cleaned or trimmed on the way in or out.

Only public knowledge content comes through here (the content blocks). The login modules
render text that may hold patient data and never use this cache.
"""

import hashlib
from collections.abc import Callable
from importlib.metadata import version

from django.core.cache import cache
from django.utils.translation import get_language

from portal.core import markdown as markdown_module
from portal.core import sanitise

# Raise when the post-processing in portal.core.markdown changes in a way that the settings
# below do not show (a new replacement, say): every cached rendering is then made anew.
RENDERER_VERSION = 2  # 2: raw HTML in Markdown escaped, not dropped
# Content-addressed entries never go stale; the timeout only lets unused ones go.
CACHE_SECONDS = 7 * 24 * 60 * 60


def _settings_fingerprint() -> str:
    settings = (
        RENDERER_VERSION,
        version("markdown"),
        version("nh3"),
        markdown_module.EXTENSIONS,
        sorted(sanitise.ALLOWED_TAGS),
        sorted((tag, sorted(attrs)) for tag, attrs in sanitise.ALLOWED_ATTRIBUTES.items()),
        sorted(sanitise.ALLOWED_STYLE_PROPERTIES),
        sorted(sanitise.ALLOWED_URL_SCHEMES),
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


SETTINGS_FINGERPRINT = _settings_fingerprint()


def cache_key(kind: str, source: str, **options) -> str:
    """``samspil:render:<kind>:<sha256>`` of the source, the options, the language and the settings."""
    parts = [SETTINGS_FINGERPRINT, get_language() or "", repr(sorted(options.items())), source]
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    return f"samspil:render:{kind}:{digest}"


def cached_render(kind: str, source: str, render: Callable[[], str], **options) -> str:
    """``render()``'s HTML for ``source``, from the cache when the same input was rendered before.

    ``options`` are whatever else ``render`` depends on besides the source and the language.
    """
    key = cache_key(kind, source, **options)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, CACHE_SECONDS)
    return html
