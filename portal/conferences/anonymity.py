"""The guard that keeps CPR numbers out of anonymised cases, answers, minutes and FAQ drafts.

A case brought to a joint case session is anonymised: no patient link, and no CPR number in
the text. The text is never altered to make it so (clinical text is not silently changed):
text with anything CPR-shaped is refused whole, with a message saying why. What counts as
CPR-shaped is ``portal.patients.cpr_shape``'s to say.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.patients.cpr_shape import contains_cpr_shaped


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
