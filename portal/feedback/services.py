"""Writes of page feedback: send it to whoever answers for the page, answer it.

Each runs in one transaction with its e-mail queued in the outbox, so a refused or failed
call leaves nothing half-saved and a sent one always reaches its reader.
"""

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from portal.accounts.models import User
from portal.core.deadlines import reply_due
from portal.patients.cpr_shape import contains_cpr_shaped

from . import notifications
from .models import TEXT_MAX, PageFeedback
from .selectors import feedback_owner, variants_of

# Two working weeks: an owner is a clinician who edits beside her clinical work, and an answer
# may need a word with colleagues; sooner would turn the deadline into noise.
ANSWER_WORKING_DAYS = 10


def _clean_text(text: str, *, field: str) -> str:
    """The text as written (never altered), refused when empty, too long or with a CPR number."""
    if not (text or "").strip():
        raise ValidationError({field: _("Write your feedback before you send it.")}, code="required")
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {field: _("Keep it to %(max)d characters. Nothing has been saved.") % {"max": TEXT_MAX}},
            code="max_length",
        )
    if contains_cpr_shaped(text):
        raise ValidationError(
            {
                field: _(
                    "The text contains something that looks like a CPR number. Feedback on a "
                    "knowledge page is not about a patient: remove the number and try again. "
                    "Nothing has been saved."
                )
            },
            code="cpr_shaped",
        )
    return text


def feedback_send(
    *,
    sender: User,
    page: Page,
    variant: str,
    text: str,
    client_token: uuid.UUID | None = None,
    now: datetime | None = None,
) -> PageFeedback:
    """Feedback on a live knowledge page, routed to the owner of the variant it is about (see
    ``selectors.feedback_owner``), due in ``ANSWER_WORKING_DAYS`` working days. The same
    ``client_token`` twice returns the first feedback."""
    if not sender.has_perm("feedback.add_pagefeedback"):
        raise PermissionDenied
    if variant not in variants_of(page):
        raise ValidationError({"variant": _("Choose what your feedback is about.")}, code="invalid_choice")
    text = _clean_text(text, field="text")
    if client_token is not None:
        existing = PageFeedback.objects.filter(sender=sender, client_token=client_token).first()
        if existing is not None:
            return existing
    now = now or timezone.now()
    try:
        with transaction.atomic():
            feedback = PageFeedback.objects.create(
                page=page,
                page_title=page.title,
                variant=variant,
                sender=sender,
                owner=feedback_owner(page, variant),
                text=text,
                sent_at=now,
                due_at=reply_due(sent_at=now, working_days=ANSWER_WORKING_DAYS),
                client_token=client_token,
            )
            notifications.feedback_received(feedback)
    except IntegrityError:
        # The same form sent twice at once: the other request stored it.
        existing = PageFeedback.objects.filter(sender=sender, client_token=client_token).first()
        if client_token is None or existing is None:
            raise
        return existing
    return feedback


def feedback_answer(
    *, feedback: PageFeedback, actor: User, answer: str, now: datetime | None = None
) -> PageFeedback:
    """The owner's (or, where nobody is named, an editor's) answer; shown to the sender and
    e-mailed to her as a link. An answer is given once: a second is refused, not overwritten."""
    answer = _clean_text(answer, field="answer")
    with transaction.atomic():
        feedback = PageFeedback.objects.select_for_update().select_related("sender").get(pk=feedback.pk)
        if not actor.has_perm("feedback.view_pagefeedback", feedback):
            raise PermissionDenied
        if feedback.is_answered:
            raise ValidationError(_("This feedback has already been answered. Nothing has been changed."))
        if not actor.has_perm("feedback.answer_pagefeedback", feedback):
            raise PermissionDenied
        feedback.answer = answer
        feedback.answered_at = now or timezone.now()
        feedback.answered_by = actor
        feedback.save(update_fields=["answer", "answered_at", "answered_by"])
        notifications.feedback_answered(feedback)
    return feedback
