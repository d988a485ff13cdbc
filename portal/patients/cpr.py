"""The Danish CPR number: strict format, a real birth date, modulus 11 only as a hint.

A CPR number is DDMMYY-SSSS. The birth date is in the first six digits; the
7th digit together with the two-digit year gives the century. Modulus 11 used
to hold for every number, but the CPR office ran out of such numbers and has
issued numbers without it since 1 October 2007, so a failed check is never a
reason to refuse a number: it is shown as a possible typo, because the
typical typos (one wrong digit, two neighbours swapped) turn a number that
passes into one that fails.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cpr as stdnum_cpr

# re.ASCII: without it \d also accepts Arabic-Indic, full-width and other
# Unicode digits, which int() would silently turn into a different number.
_CPR_RE = re.compile(r"(\d{6})-?(\d{4})", re.ASCII)

MESSAGES = {
    "cpr_format": _(
        "Enter the CPR number as ten digits, with or without a hyphen after the sixth (DDMMYY-SSSS)."
    ),
    "cpr_date": _("The first six digits of the CPR number are not a real date."),
    "cpr_future": _("The date of birth in the CPR number is in the future."),
}
POSSIBLE_TYPO_HINT = _(
    "Check the CPR number: it does not pass the modulus 11 check. That is allowed for numbers "
    "issued since 2007, but it is also what a typo looks like."
)


@dataclass(frozen=True)
class CprCheck:
    """The result of a successful validation.

    ``cpr`` is left out of the repr so that a CprCheck in a traceback or a log
    line never shows the number.
    """

    cpr: str = field(repr=False)
    birth_date: datetime.date
    possible_typo: bool


def normalise_cpr(text: str) -> str:
    """Ten ASCII digits without the hyphen, or a ValidationError.

    Only surrounding whitespace is forgiven (a number pasted from a record
    system often carries some); anything else that is not exactly the two
    accepted shapes is refused rather than guessed at.
    """
    if not isinstance(text, str):
        raise ValidationError(MESSAGES["cpr_format"], code="cpr_format")
    match = _CPR_RE.fullmatch(text.strip())
    if not match:
        raise ValidationError(MESSAGES["cpr_format"], code="cpr_format")
    return match.group(1) + match.group(2)


def birth_year(two_digit_year: int, seventh_digit: int) -> int:
    """The century rule of the CPR office (the 7th digit decides).

    0-3: 1900s. 4 and 9: 2000s up to year 36, else 1900s. 5-8: 2000s up to
    year 57, else 1800s. Written out here rather than borrowed, so that the
    rule the portal relies on is visible and tested on its own.
    """
    if seventh_digit <= 3:
        return 1900 + two_digit_year
    if seventh_digit in (4, 9):
        return (2000 if two_digit_year <= 36 else 1900) + two_digit_year
    return (2000 if two_digit_year <= 57 else 1800) + two_digit_year


def validate_cpr(text: str, *, today: datetime.date | None = None) -> CprCheck:
    """Validate a CPR number strictly; modulus 11 only sets ``possible_typo``."""
    cpr = normalise_cpr(text)
    year = birth_year(int(cpr[4:6]), int(cpr[6]))
    try:
        born = datetime.date(year, int(cpr[2:4]), int(cpr[0:2]))
    except ValueError:
        raise ValidationError(MESSAGES["cpr_date"], code="cpr_date") from None
    if born > (today or timezone.localdate()):
        raise ValidationError(MESSAGES["cpr_future"], code="cpr_future")
    return CprCheck(cpr=cpr, birth_date=born, possible_typo=stdnum_cpr.checksum(cpr) != 0)


def mask_cpr(cpr: str) -> str:
    """DDMMYY-XXXX: the form in which the portal shows a CPR number."""
    return f"{normalise_cpr(cpr)[:6]}-XXXX"
