"""The guard that keeps CPR numbers out of anonymised cases, answers, minutes and FAQ drafts.

A case brought to a joint case session is anonymised: no patient link, and no CPR number in
the text. The text is never altered to make it so (clinical text is not silently changed):
text with anything CPR-shaped is refused whole, with a message saying why.

CPR-shaped is deliberately wider than a valid CPR number: six digits that read as a date
(DDMMYY, day 01–31, month 01–12) and four more, with or without a hyphen or a space between,
not part of a longer run of digits. A number that fails python-stdnum's checks (an impossible
date such as 31 February, a future birth date) is still refused: a mistyped CPR number is
still a CPR number, and the patient may be found from it. Unicode digits (full-width,
Arabic-Indic) count as digits for the same reason.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.dk import cpr as stdnum_cpr

# Hyphen-minus, the Unicode hyphens and dashes, a space or a no-break space between the parts.
_SEPARATORS = "-\u2010\u2011\u2012\u2013\u2014\u2212 \u00a0\u202f"
_CPR_SHAPED = re.compile(rf"(?<!\d)(\d{{6}})[{_SEPARATORS}]?(\d{{4}})(?!\d)")


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) for ch in text)


def _date_shaped(six: str) -> bool:
    day, month = int(six[0:2]), int(six[2:4])
    return 1 <= day <= 31 and 1 <= month <= 12


def contains_cpr_shaped(text: str) -> bool:
    """Whether ``text`` holds anything that is, or could be a mistyped, CPR number."""
    for match in _CPR_SHAPED.finditer(text or ""):
        six, four = _ascii_digits(match.group(1)), _ascii_digits(match.group(2))
        # python-stdnum recognises every valid number (date, century rule); the shape test
        # below catches the mistyped ones it rightly calls invalid.
        if stdnum_cpr.is_valid(six + four) or _date_shaped(six):
            return True
    return False


def refuse_cpr_shaped(text: str, *, field: str, label: str) -> None:
    """A ValidationError on ``field`` (in Danish) if ``text`` holds something CPR-shaped."""
    if contains_cpr_shaped(text):
        raise ValidationError(
            {
                field: _(
                    "%(label)s contains something that looks like a CPR number. A case must be "
                    "anonymised: remove the number (and anything else that identifies the patient) "
                    "and try again. Nothing has been saved."
                )
                % {"label": label}
            },
            code="cpr_shaped",
        )
