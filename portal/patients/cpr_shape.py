"""Anything in free text that is, or could be a mistyped, CPR number.

Free text leaving the patient's context (an anonymised case, an FAQ draft, feedback on a public
page) must hold no CPR number. CPR-shaped is deliberately wider than a valid CPR number: six
digits that read as a date (DDMMYY, day 01–31, month 01–12) and four more, with or without a
hyphen or a space between, not part of a longer run of digits. A number that fails
python-stdnum's checks (an impossible date such as 31 February, a future birth date) still
counts: a mistyped CPR number is still a CPR number, and the patient may be found from it.
Unicode digits (full-width, Arabic-Indic) count as digits for the same reason.

``portal.patients.cpr`` validates a CPR number typed into a CPR field; this module finds them
in text written for something else.
"""

import re
import unicodedata

from stdnum.dk import cpr as stdnum_cpr

# Hyphen-minus, the Unicode hyphens and dashes, a space or a no-break space between the parts.
_SEPARATORS = "-\u2010\u2011\u2012\u2013\u2014\u2212 \u00a0\u202f"
_CPR_SHAPED = re.compile(rf"(?<!\d)(\d{{6}})[{_SEPARATORS}]?(\d{{4}})(?!\d)")


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) for ch in text)


def _date_shaped(six: str) -> bool:
    day, month = int(six[0:2]), int(six[2:4])
    return 1 <= day <= 31 and 1 <= month <= 12


def _is_cpr_shaped(match: re.Match) -> bool:
    six, four = _ascii_digits(match.group(1)), _ascii_digits(match.group(2))
    # python-stdnum recognises every valid number (date, century rule); the shape test
    # catches the mistyped ones it rightly calls invalid.
    return stdnum_cpr.is_valid(six + four) or _date_shaped(six)


def contains_cpr_shaped(text: str) -> bool:
    """Whether ``text`` holds anything that is, or could be a mistyped, CPR number."""
    return any(_is_cpr_shaped(match) for match in _CPR_SHAPED.finditer(text or ""))


def replace_cpr_shaped(text: str, replacement: str) -> tuple[str, int]:
    """``text`` with every CPR-shaped number replaced, and how many were."""
    count = 0

    def _replace(match: re.Match) -> str:
        nonlocal count
        if not _is_cpr_shaped(match):
            return match.group(0)
        count += 1
        return replacement

    return _CPR_SHAPED.sub(_replace, text or ""), count
