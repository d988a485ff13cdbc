"""E-mails about page feedback, queued in the outbox inside the caller's transaction.

The page title and a link: never the feedback's or the answer's words, which may say more
than an e-mail should carry.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.core.links import absolute_reverse
from portal.outbox.services import outbox_email_enqueue

from .models import PageFeedback
from .selectors import editors


def _link(feedback: PageFeedback) -> str:
    return absolute_reverse("feedback:detail", public_id=feedback.public_id)


def _send(*, key: str, users, subject: str, lines: list[str], link: str) -> int:
    sent = 0
    for user in {u.pk: u for u in users if u is not None and u.is_active and u.email}.values():
        outbox_email_enqueue(
            key=f"feedback.{key}:to:{user.pk}",
            to=[user.email],
            subject=subject,
            body="\n\n".join([*lines, link, _("— Samspil")]),
        )
        sent += 1
    return sent


def feedback_received(feedback: PageFeedback) -> int:
    """To the owner it was routed to, or to every editor where nobody is named."""
    due = date_format(timezone.localtime(feedback.due_at), "DATETIME_FORMAT")
    return _send(
        key=f"received:{feedback.pk}",
        users=[feedback.owner] if feedback.owner_id else editors(),
        subject=_("Feedback on “%(title)s”") % {"title": feedback.page_title},
        lines=[
            _("A colleague has given feedback on the knowledge page “%(title)s” (%(variant)s).")
            % {"title": feedback.page_title, "variant": feedback.get_variant_display().lower()},
            _("Please answer by %(due)s. Read it and answer here:") % {"due": due},
        ],
        link=_link(feedback),
    )


def feedback_answered(feedback: PageFeedback) -> int:
    """To the sender: her feedback has an answer."""
    return _send(
        key=f"answered:{feedback.pk}",
        users=[feedback.sender],
        subject=_("Your feedback on “%(title)s” has been answered") % {"title": feedback.page_title},
        lines=[
            _("Your feedback on the knowledge page “%(title)s” has been answered.")
            % {"title": feedback.page_title}
        ],
        link=_link(feedback),
    )
