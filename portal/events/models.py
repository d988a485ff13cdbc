"""Registrations for meetings (content.EventPage): a seat, or a place on the waiting list.

A registration is a person's own: only she and the meeting's organisers see it. Cancelled
registrations are kept (status and time) so that the organisers' list shows who withdrew.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        "content.EventPage", on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    registered_at = models.DateTimeField(_("registered"))
    # The waiting list's order: the moment the person joined it (a cancelled seat goes to the first).
    queued_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One registration a person a meeting; cancelling and registering again reuses it.
            models.UniqueConstraint(fields=["event", "user"], name="events_one_registration_per_person"),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(queued_at__isnull=False), name="events_waiting_has_place"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="events_registration_queue")]

    def __str__(self) -> str:
        return f"{self.user} – {self.event_id}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED
