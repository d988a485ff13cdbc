"""For tests of anonymised text: whether a secret is still there."""

import re


def shows(text: str, secret: str) -> bool:
    """Whether ``secret`` is in ``text``, but not as the tail of a longer number: a date moved by
    the anonymiser may end in the old one ("3.4.2026" moved by 20 days is "23.4.2026"). What
    follows is not looked at, so a CPR number's first six digits are found in the whole number."""
    return re.search(rf"(?<![\d.]){re.escape(secret)}", text) is not None
