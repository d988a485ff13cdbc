"""For tests of anonymised text: whether a secret is still there."""

import re


def shows(text: str, secret: str) -> bool:
    """Whether ``secret`` stands in ``text`` as itself, not inside a longer number: a date moved
    by the anonymiser may contain the old one ("3.4.2026" moved by 20 days is "23.4.2026")."""
    return re.search(rf"(?<![\d.]){re.escape(secret)}(?!\d)", text) is not None
