"""One outgoing e-mail, from the transaction that asked for it until the SMTP server accepts it.

Status moves pending → sending → sent, or back to pending after a failed attempt, or to
failed after ``OUTBOX_MAX_ATTEMPTS``. A row in "sending" carries a lease (``claimed_until``):
while it runs no other worker may send it; once it has expired the worker is presumed dead
and the row is due again.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, now):
        """Waiting for its next attempt, or held by a worker whose lease has run out."""
        return self.filter(
            Q(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxEmail.Status.SENDING, claimed_until__lte=now)
        )


class OutboxEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up")

    # Chosen by the caller from its own data ("correspondence.message:42:to:7"), so that
    # asking twice for the same notification finds the first row instead of adding one.
    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.JSONField(help_text="A list of addresses.")
    from_email = models.CharField(max_length=254, blank=True, help_text="Empty: DEFAULT_FROM_EMAIL.")
    subject = models.CharField(max_length=255)
    body = models.TextField()
    html_body = models.TextField(blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # The exception's class and message, cut short; never the e-mail itself.
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        # The two halves of OutboxEmailQuerySet.due; sent rows, the bulk, are in neither.
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_pending_due_idx",
            ),
            models.Index(
                fields=["claimed_until"],
                condition=Q(status="sending"),
                name="outbox_lease_expiry_idx",
            ),
        ]

    def __str__(self) -> str:
        # The key, not the subject: this string reaches logs and admin titles.
        return self.key
