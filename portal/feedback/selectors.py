"""Reads of page feedback: who answers it, a user's lists, the overdue report. Fixed queries each."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.accounts.selectors import memberships_for_user

from .models import PageFeedback

LIST_LIMIT = 50


def knowledge_page(page_id: int) -> Page | None:
    """The live, public knowledge page feedback may be given on, as its specific type, or None."""
    from content.models import KNOWLEDGE_PAGE_MODELS

    page = Page.objects.live().public().filter(pk=page_id).select_related("owner").first()
    if page is None:
        return None
    page = page.specific
    return page if isinstance(page, KNOWLEDGE_PAGE_MODELS) else None


def variants_of(page: Page) -> list[str]:
    """What feedback on ``page`` can be about: a guideline's two sector variants, or the page."""
    variants = [PageFeedback.Variant.PAGE]
    if hasattr(page, "general_practice_owner_account"):
        variants += [PageFeedback.Variant.GENERAL_PRACTICE, PageFeedback.Variant.HOSPITAL]
    return variants


def feedback_owner(page: Page, variant: str) -> User | None:
    """Who answers: the named owner of the sector variant, else the page's owner in Wagtail,
    else nobody (the editors answer). Only an active user answers anything."""
    named = {
        PageFeedback.Variant.GENERAL_PRACTICE: getattr(page, "general_practice_owner_account", None),
        PageFeedback.Variant.HOSPITAL: getattr(page, "hospital_owner_account", None),
    }.get(variant)
    for candidate in (named, page.owner):
        if candidate is not None and candidate.is_active:
            return candidate
    return None


def is_editor(user) -> bool:
    return any(m.role == Role.EDITOR for m in memberships_for_user(user))


def editors() -> list[User]:
    """Who answers feedback nobody is named for: the active editors."""
    return list(User.objects.filter(is_active=True, memberships__role=Role.EDITOR).distinct().order_by("pk"))


def feedback_for_view() -> QuerySet[PageFeedback]:
    return PageFeedback.objects.select_related("sender", "owner", "answered_by")


def _answerable_by(user) -> Q:
    mine = Q(owner=user)
    return mine | Q(owner__isnull=True) if is_editor(user) else mine


@dataclass
class FeedbackLists:
    to_answer: list[PageFeedback]  # unanswered, the earliest deadline first
    sent: list[PageFeedback]  # mine, newest first
    answered_by_me: list[PageFeedback]


def feedback_lists(user) -> FeedbackLists:
    """A user's feedback page: three queries whatever the numbers."""
    base = feedback_for_view()
    return FeedbackLists(
        to_answer=list(
            base.filter(_answerable_by(user), answered_at__isnull=True).order_by("due_at", "pk")[:LIST_LIMIT]
        ),
        sent=list(base.filter(sender=user).order_by("-sent_at", "-pk")[:LIST_LIMIT]),
        answered_by_me=list(base.filter(answered_by=user).order_by("-answered_at", "-pk")[:LIST_LIMIT]),
    )


def feedback_to_answer_count(user) -> int:
    """For Mit overblik: one query."""
    if not user.is_authenticated:
        return 0
    return PageFeedback.objects.filter(_answerable_by(user), answered_at__isnull=True).count()


def feedback_overdue(*, now: datetime | None = None) -> QuerySet[PageFeedback]:
    """Unanswered feedback past its deadline, the longest overdue first: the editors' report."""
    now = now or timezone.now()
    return (
        PageFeedback.objects.filter(answered_at__isnull=True, due_at__lt=now)
        .select_related("owner")
        .order_by("due_at", "pk")
    )
