"""Kept for existing imports: the HTML allow-list lives in ``portal.core.sanitise``."""

from portal.core.sanitise import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_STYLE_PROPERTIES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    clean_html,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_STYLE_PROPERTIES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "clean_html",
]
