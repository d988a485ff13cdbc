"""General practice supporting the hospital (the memo's fifth vision).

A module of its own rather than an extension of ``portal.bookings``: the booking core knows
nothing of patients on purpose, and what is built here is always about a named patient (the
reason the patient comes, the colour of the discharge note). As referrals do, the patient is
kept on this module's row, which points at the booking core's ``Slot`` and ``Booking``.

**Acute slots for patients "turned at the door".** A GP practice publishes next-day acute
slots (a ``bookings.Resource`` of kind *acute slot* that the practice owns). When the acute
reception sends a patient home with a yellow or red discharge note (epikrise), it records an
``AcuteSlotNote``: yellow names the practice and suggests one of its free acute slots, and the
patient books it by calling the practice (the practice then books it here); red is booked at
once by the acute reception (its secretary) for the patient. The practice sees why the patient
comes: the note's reason.

**Video consultations** (``VideoConsultation``): a ward books one of the GP's free video
times for a conversation between the hospital doctor, the admitted patient and the GP.

**Inpatients to their own GP** (``InpatientGpVisit``): a psychiatric ward books a patient in a
long admission into the GP's consultation (skin problems, blood-pressure follow-up, the broader
health talk); the practice confirms it.

URLs carry ``public_id`` (a random UUID), never the primary key and never the CPR.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation
from portal.patients.models import PatientReference

REASON_MAX_LENGTH = 1_000


class AcuteSlotNote(models.Model):
    """An acute reception's yellow or red discharge note that sends the patient to the own GP's
    acute slot the next day. Red: booked by the acute reception; yellow: a suggestion."""

    class Colour(models.TextChoices):
        YELLOW = "yellow", _("Yellow: the patient books the suggested time")
        RED = "red", _("Red: the acute reception books the time")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        PatientReference, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient")
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("acute reception")
    )
    # The slot's owner when the note was written: the patient's own practice.
    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("practice")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    colour = models.CharField(_("discharge note"), max_length=10, choices=Colour.choices)
    reason = models.TextField(_("why the patient comes"), max_length=REASON_MAX_LENGTH)
    # The suggested (yellow) or booked (red) acute slot of the practice.
    slot = models.ForeignKey(
        "bookings.Slot", on_delete=models.PROTECT, related_name="+", verbose_name=_("acute time")
    )
    # PROTECT: bookings are cancelled, never deleted (see portal.bookings).
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("booked time"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("acute slot note")
        verbose_name_plural = _("acute slot notes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A red note is never without its booked time: booking and note are one transaction.
            models.CheckConstraint(
                condition=~Q(colour="red") | Q(booking__isnull=False), name="acute_note_red_is_booked"
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=True) | Q(booked_by__isnull=False), name="acute_note_booked_by"
            ),
            models.UniqueConstraint(
                fields=["author", "client_token"],
                condition=Q(client_token__isnull=False),
                name="acute_note_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "-created_at"], name="acute_note_practice_idx"),
            models.Index(fields=["department", "-created_at"], name="acute_note_department_idx"),
        ]

    def __str__(self):
        # Never the patient: str() ends up in logs.
        return f"AcuteSlotNote {self.public_id}"


VIDEO_URL_MAX_LENGTH = 500
PURPOSE_MAX_LENGTH = 2_000


class VideoConsultation(models.Model):
    """A video consultation between a hospital doctor, an admitted patient and the patient's GP,
    booked by the hospital on one of the GP practice's free video times (a ``bookings.Resource``
    of kind *video consultation* the practice owns), with the video room's link. Both sides get
    it as an ``.ics``; neither the e-mails nor the calendar file carry the patient."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        PatientReference, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient")
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward")
    )
    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("practice")
    )
    hospital_doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hospital doctor"),
    )
    purpose = models.TextField(_("what to talk about"), max_length=PURPOSE_MAX_LENGTH)
    video_url = models.URLField(_("video link"), max_length=VIDEO_URL_MAX_LENGTH)
    # PROTECT: bookings are cancelled, never deleted (see portal.bookings).
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, related_name="+", verbose_name=_("booked time")
    )
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("video consultation")
        verbose_name_plural = _("video consultations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(video_url__startswith="https://"), name="video_url_is_https"),
            models.UniqueConstraint(
                fields=["hospital_doctor", "client_token"],
                condition=Q(client_token__isnull=False),
                name="video_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "-created_at"], name="video_practice_idx"),
            models.Index(fields=["department", "-created_at"], name="video_department_idx"),
        ]

    def __str__(self):
        # Never the patient: str() ends up in logs.
        return f"VideoConsultation {self.public_id}"


class InpatientGpVisit(models.Model):
    """A patient in a long (psychiatric) admission booked by the ward into one of the own GP's
    consultation times (a ``bookings.Resource`` of kind *consultation in general practice*); the
    practice confirms, or cancels the booking with a reason (the booking core's cancel)."""

    class State(models.TextChoices):
        BOOKED = "booked", _("Booked, awaiting the practice's confirmation")
        CONFIRMED = "confirmed", _("Confirmed by the practice")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        PatientReference, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient")
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("ward")
    )
    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("practice")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    reason = models.TextField(_("why the patient comes"), max_length=REASON_MAX_LENGTH)
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, related_name="+", verbose_name=_("booked time")
    )
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default=State.BOOKED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inpatient GP consultation")
        verbose_name_plural = _("inpatient GP consultations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="inpatient_visit_confirmed_has_who",
            ),
            models.UniqueConstraint(
                fields=["booked_by", "client_token"],
                condition=Q(client_token__isnull=False),
                name="inpatient_visit_unique_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "state"], name="inpatient_visit_practice_idx"),
            models.Index(fields=["department", "-created_at"], name="inpatient_visit_ward_idx"),
        ]

    def __str__(self):
        # Never the patient: str() ends up in logs.
        return f"InpatientGpVisit {self.public_id}"
