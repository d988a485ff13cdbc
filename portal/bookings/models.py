"""The booking core: bookable resources of an organisation, their slots, holds and bookings.

Generic on purpose: it knows nothing of referrals, patients or video. Referrals book a
subacute outpatient time or an investigation; later modules book a GP's acute slot or a
video consultation. They point at a ``Booking`` with their own foreign key.

Double booking is impossible in two layers. Every write that takes a seat locks the slot
row first (``select_for_update``; on SQLite the IMMEDIATE transaction does the same), so
counting and taking are one step. Under the lock a booking or hold takes the lowest free
*seat number* (1 .. capacity), and the database refuses two active bookings with one seat
(``booking_one_active_per_seat``) and two holds with one seat: even code that forgot the
lock could not put two people on one seat.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation

SLOT_MAX_CAPACITY = 100
SLOT_MAX_MINUTES = 12 * 60
NAME_MAX_LENGTH = 200
REASON_MAX_LENGTH = 500


class Resource(models.Model):
    """Something an organisation lets others book: an outpatient clinic's subacute times, a Holter
    recorder, a GP's acute slots, a video consultation line."""

    class Kind(models.TextChoices):
        # Add a kind here (and its Danish name in the catalogue); nothing else keys on the list.
        SUBACUTE_OUTPATIENT = "subacute_outpatient", _("Subacute outpatient time")
        INVESTIGATION = "investigation", _("Investigation")
        ACUTE_SLOT = "acute_slot", _("Acute slot")
        VIDEO_CONSULTATION = "video_consultation", _("Video consultation")
        GP_CONSULTATION = "gp_consultation", _("Consultation in general practice")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="booking_resources",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    location = models.CharField(
        _("where"), max_length=NAME_MAX_LENGTH, blank=True, help_text=_("Where the booked party shows up.")
    )
    is_active = models.BooleanField(_("bookable"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bookable resource")
        verbose_name_plural = _("bookable resources")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "name"], name="resource_unique_name"),
        ]

    def __str__(self):
        return self.name


class Slot(models.Model):
    """A bookable time of a resource; ``capacity`` people can book it (one for most kinds)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=SLOT_MAX_CAPACITY), name="slot_capacity_range"
            ),
            # A series published twice finds its slots instead of doubling them.
            models.UniqueConstraint(fields=["resource", "starts_at"], name="slot_unique_start"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="slot_starts_at")]

    def __str__(self):
        return f"Slot {self.pk}"


class Hold(models.Model):
    """A seat kept for a booker for a few minutes while they fill in the form
    (``BOOKING_HOLD_MINUTES``). Confirming turns it into a booking on the same seat; an expired
    hold counts for nothing and is deleted by ``bookings_expire_holds`` or the next booking."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="holds")
    seat = models.PositiveSmallIntegerField()
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        constraints = [
            models.UniqueConstraint(fields=["slot", "seat"], name="hold_one_per_seat"),
            models.CheckConstraint(condition=Q(seat__gte=1), name="hold_seat_positive"),
        ]
        indexes = [models.Index(fields=["expires_at"], name="hold_expires_at")]

    def __str__(self):
        return f"Hold {self.pk}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())


class Booking(models.Model):
    """A seat on a slot booked by a user for their organisation.

    Holds no patient data: a module that books for a patient (a referral) keeps the patient
    on its own row and points here. A rebooking cancels this booking and makes a new one
    whose ``rebooked_from`` is this.
    """

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    seat = models.PositiveSmallIntegerField()
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked for")
    )
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    rebooked_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rebooked_as"
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "seat"], condition=Q(status="booked"), name="booking_one_active_per_seat"
            ),
            models.CheckConstraint(condition=Q(seat__gte=1), name="booking_seat_positive"),
            models.CheckConstraint(
                condition=Q(status="booked", cancelled_at__isnull=True)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="booking_cancelled_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["booked_by", "status"], name="booking_booked_by"),
            models.Index(fields=["organisation", "status"], name="booking_organisation"),
        ]

    def __str__(self):
        return f"Booking {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED
