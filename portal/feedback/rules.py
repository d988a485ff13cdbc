"""Who sees and answers page feedback. Deny by default; views answer 404 otherwise.

The sender sees her feedback and its answer; the owner it was routed to sees and answers it;
where nobody was named, the editors do. Nobody else, superusers included: feedback is a
colleague's words to a named person, not a public comment.
"""

import rules

from .models import PageFeedback
from .selectors import is_editor


@rules.predicate
def is_sender(user, feedback: PageFeedback) -> bool:
    return feedback is not None and feedback.sender_id == user.pk


@rules.predicate
def is_answerer(user, feedback: PageFeedback) -> bool:
    if feedback is None or not user.is_active:
        return False
    if feedback.owner_id is not None:
        return feedback.owner_id == user.pk
    return is_editor(user)


@rules.predicate
def is_unanswered(user, feedback: PageFeedback) -> bool:
    return feedback is not None and not feedback.is_answered


rules.add_perm("feedback.add_pagefeedback", rules.is_authenticated & rules.is_active)
rules.add_perm("feedback.view_pagefeedback", rules.is_authenticated & (is_sender | is_answerer))
rules.add_perm("feedback.answer_pagefeedback", rules.is_authenticated & is_answerer & is_unanswered)
