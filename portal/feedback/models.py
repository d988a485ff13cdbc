"""Feedback on a knowledge page: a reader's remark, routed to the owner of what it is about.

Issue 15's knowledge loop: a clinician who finds a guideline wrong, unclear or out of step with
her sector says so on the page; the named owner of that sector's variant answers within a
deadline counted in working days; the answer is shown to the sender; feedback past its deadline
shows in the editors' report. Not a place for patient data (the form says so); the text is
still only shown to the sender, the owner and, where no owner is named, the editors.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 4000


class PageFeedback(models.Model):
    class Variant(models.TextChoices):
        PAGE = "side", _("The page as a whole")
        GENERAL_PRACTICE = "almen-praksis", _("The general practice variant")
        HOSPITAL = "sygehus", _("The hospital variant")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # SET_NULL with the title kept: a deleted page's feedback and its answer stay readable.
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("page")
    )
    page_title = models.CharField(_("page title"), max_length=255)
    variant = models.CharField(_("about"), max_length=20, choices=Variant.choices, default=Variant.PAGE)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="page_feedback_sent",
        verbose_name=_("sender"),
    )
    # None: nobody is named for the page, and the editors answer.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="page_feedback_to_answer",
        verbose_name=_("owner"),
    )
    text = models.TextField(_("feedback"), max_length=TEXT_MAX)
    sent_at = models.DateTimeField(_("sent"))
    due_at = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("answer"), max_length=TEXT_MAX, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("feedback on a page")
        verbose_name_plural = _("feedback on pages")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            # A double-submitted form stores one feedback.
            models.UniqueConstraint(
                fields=["sender", "client_token"],
                condition=Q(client_token__isnull=False),
                name="feedback_unique_client_token",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="feedback_answered_has_answer"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "answered_at", "due_at"], name="feedback_owner_open"),
            models.Index(fields=["sender", "sent_at"], name="feedback_sender"),
            models.Index(
                fields=["due_at"], condition=Q(answered_at__isnull=True), name="feedback_unanswered_due"
            ),
        ]

    def __str__(self) -> str:
        return self.page_title

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
