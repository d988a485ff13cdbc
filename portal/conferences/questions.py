"""The short template of each hospital-initiated kind of conference: two or three questions.

The answers are stored as structured data on the conference (``template_answers``,
question key → answer), so that a later quality view can ask "how often was the
treatment consequence stated?" without parsing free text. Keys are stable; the
wording may change.
"""

from django.utils.translation import gettext_lazy as _

ANSWER_MAX_LENGTH = 1_000

# kind → [(key, question)]
QUESTIONS = {
    "vulnerable": [
        ("planned", _("Which investigation or treatment is planned?")),
        (
            "consequence",
            _("What is the treatment consequence of the planned investigation for this patient?"),
        ),
        ("wishes", _("What do the patient and relatives want, and what is the treatment level?")),
    ],
    "discharge": [
        ("plan", _("What is the plan after discharge?")),
        ("gp_tasks", _("What must the practice do, and can the practice's reality meet the plan?")),
        ("follow_up", _("Which follow-up is agreed, with whom and when?")),
    ],
    "palliative": [
        ("situation", _("The current situation and the expected course")),
        ("handover", _("What is handed over: symptoms, medication, home care, aids?")),
        ("contacts", _("Whom do the patient and relatives call, day and night?")),
    ],
}


def questions_for(kind: str) -> list[tuple[str, str]]:
    return QUESTIONS.get(kind, [])
