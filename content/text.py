"""Small text helpers that know Danish."""

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slug(text: str, max_length: int = 80) -> str:
    """``"Åndenød hos ældre"`` -> ``"aandenoed-hos-aeldre"``; Django's slugify drops ø."""
    return slugify(str(text).translate(_DANISH))[:max_length].strip("-")
