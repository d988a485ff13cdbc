"""Writes of the support module: acute slot notes (send, read, book a yellow note's time).

Each function is one transaction: the note, the booking, the access-log entry and the e-mails
are saved together or not at all. Bookings go through ``portal.bookings.services``, whose slot
lock makes two acute receptions racing for a practice's last acute time end in one booking and
one Danish refusal. Validation errors are Danish ``ValidationError``s; ``PermissionDenied``
means the rules said no (views answer 404).
"""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.accounts.roles import CLINICIAN_ROLES
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.bookings.models import Resource, Slot
from portal.bookings.services import booking_create
from portal.patients.services import patient_reference_get_or_create

from . import notifications
from .models import (
    PURPOSE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    VIDEO_URL_MAX_LENGTH,
    AcuteSlotNote,
    InpatientGpVisit,
    VideoConsultation,
)
from .rules import (
    DEPARTMENT_ROLES,
    can_see_note,
    can_see_video,
    can_see_visit,
    is_practice_staff,
    user_has_role_in,
)

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_ACUTE_NOTE = "Akuttid hos egen læge efter epikrise fra akutmodtagelsen"
# "Next-day" acute slots: an acute reception offers the practice's times of the next two days,
# so that a patient sent home in the evening or before a weekend day still gets one.
ACUTE_SLOT_WINDOW = timedelta(hours=48)


def text_checked(value: str, *, field: str, label: str, max_length: int) -> str:
    """Clinical text kept as written (only surrounding blank lines trimmed), never stripped of "tags"."""
    value = (value or "").strip("\r\n")
    if not value.strip():
        raise ValidationError({field: _("%(label)s must be filled in.") % {"label": label}})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("%(label)s can be at most %(max)s characters (it is %(length)s).")
                % {"label": label, "max": max_length, "length": len(value)}
            }
        )
    if "\x00" in value:
        raise ValidationError(
            {field: _("%(label)s contains characters that cannot be saved.") % {"label": label}}
        )
    return value


def _named(user: User) -> None:
    if not user.get_full_name().strip():
        raise ValidationError(_("Your user profile has no name; add your name first."))


def _log(note: AcuteSlotNote, *, actor: User, action: str, request=None) -> None:
    access_log_record(
        actor=actor,
        patient_index=note.patient.cpr_index,
        action=action,
        obj=note,
        purpose=PURPOSE_ACUTE_NOTE,
        request=request,
    )


def _practice_slot_of(slot_id, *, kind: str, now: datetime, window, unknown: str, too_late: str) -> Slot:
    """A general practice's active slot of ``kind`` starting within ``window`` from ``now``; a
    Danish ValidationError on ``slot`` for an unknown id, a past time or one too far ahead."""
    try:
        slot_uuid = uuid.UUID(str(slot_id))
    except (TypeError, ValueError, AttributeError):
        slot_uuid = None
    slot = (
        Slot.objects.select_related("resource__organisation")
        .filter(
            public_id=slot_uuid,
            resource__kind=kind,
            resource__is_active=True,
            resource__organisation__kind=Organisation.Kind.GENERAL_PRACTICE,
        )
        .first()
        if slot_uuid
        else None
    )
    if slot is None:
        raise ValidationError({"slot": unknown})
    if slot.starts_at <= now:
        raise ValidationError({"slot": _("The time has passed. Choose another time.")})
    if slot.starts_at > now + window:
        raise ValidationError({"slot": too_late})
    return slot


def acute_slot_of(slot_id, *, now: datetime) -> Slot:
    """The chosen acute time: a practice's active acute slot within the window, else unknown."""
    return _practice_slot_of(
        slot_id,
        kind=Resource.Kind.ACUTE_SLOT,
        now=now,
        window=ACUTE_SLOT_WINDOW,
        unknown=_("Choose one of the practices' free acute times."),
        too_late=_("Choose an acute time within the next two days."),
    )


@transaction.atomic
def acute_note_send(
    *,
    author: User,
    department: Organisation,
    patient_cpr: str,
    colour: str,
    reason: str,
    slot_id,
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[AcuteSlotNote, bool]:
    """The acute reception sends the patient to the practice's acute time: red books it at once
    (for the acute reception, through the booking core), yellow suggests it.

    Returns (note, created); the same ``client_token`` twice gives the first note.
    """
    now = now or timezone.now()
    if client_token:
        existing = AcuteSlotNote.objects.filter(author=author, client_token=client_token).first()
        if existing:
            return existing, False
    if (
        department is None
        or department.kind != Organisation.Kind.DEPARTMENT
        or not user_has_role_in(author, department.pk, DEPARTMENT_ROLES)
    ):
        raise PermissionDenied("Only the acute reception's staff send its notes.")
    _named(author)
    if colour not in AcuteSlotNote.Colour.values:
        raise ValidationError({"colour": _("Choose a yellow or a red discharge note.")})
    reason = text_checked(
        reason, field="reason", label=_("Why the patient comes"), max_length=REASON_MAX_LENGTH
    )
    slot = acute_slot_of(slot_id, now=now)
    if not patient_cpr:
        raise ValidationError({"cpr": _("The note needs the patient's CPR number.")})
    patient, _created = patient_reference_get_or_create(
        cpr=patient_cpr, actor=author, purpose=PURPOSE_ACUTE_NOTE, request=request
    )
    note = AcuteSlotNote(
        patient=patient,
        department=department,
        practice=slot.resource.organisation,
        author=author,
        colour=colour,
        reason=reason,
        slot=slot,
        created_at=now,
        client_token=client_token,
    )
    if colour == AcuteSlotNote.Colour.RED:
        # Raises the booking core's Danish refusal (passed, just taken) and rolls everything back.
        note.booking = booking_create(slot=slot, user=author, organisation=department, now=now)
        note.booked_by = author
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        # The same form submitted twice at once: the other request won; this booking rolls back.
        raise ValidationError(_("The note was sent twice; see the list of notes.")) from None
    _log(note, actor=author, action=AccessLogEntry.Action.CREATE, request=request)
    notifications.acute_note_sent(note)
    return note, True


@transaction.atomic
def acute_note_read(*, note: AcuteSlotNote, user: User, request: HttpRequest | None = None) -> None:
    """Every view of a note is a view of its patient: one access-log entry."""
    if not can_see_note(user, note):
        raise PermissionDenied("Not a party to this note.")
    _log(note, actor=user, action=AccessLogEntry.Action.VIEW, request=request)


@transaction.atomic
def acute_note_book(
    *, note: AcuteSlotNote, actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> AcuteSlotNote:
    """The patient with a yellow note called: the practice books the suggested acute time for them."""
    now = now or timezone.now()
    note = AcuteSlotNote.objects.select_for_update(of=("self",)).select_related("patient").get(pk=note.pk)
    if not actor.has_perm("support.view_acuteslotnote", note) or not is_practice_staff(actor, note):
        raise PermissionDenied("Only the practice books a yellow note's time.")
    if note.booking_id is not None:
        raise ValidationError(_("The time is already booked."))
    if not actor.has_perm("support.book_acuteslotnote", note):
        raise PermissionDenied("Only a yellow note's time is booked by the practice.")
    note.booking = booking_create(slot=note.slot, user=actor, organisation=note.practice, now=now)
    note.booked_by = actor
    note.save(update_fields=["booking", "booked_by"])
    _log(note, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    return note


# --- Video consultations ------------------------------------------------------------------------

PURPOSE_VIDEO = "Videokonsultation mellem hospitalslæge, indlagt patient og egen læge"
# How far ahead a ward may book a GP's video time.
VIDEO_WINDOW = timedelta(days=14)


def video_url_checked(value: str) -> str:
    value = (value or "").strip()
    try:
        URLValidator(schemes=["https"])(value)
    except ValidationError:
        raise ValidationError(
            {"video_url": _("Give the video room's address, beginning with https://.")}
        ) from None
    if len(value) > VIDEO_URL_MAX_LENGTH:
        raise ValidationError({"video_url": _("The video link may be at most 500 characters.")})
    return value


def video_slot_of(slot_id, *, now: datetime) -> Slot:
    """The chosen time: a practice's active video time within the window, else unknown."""
    return _practice_slot_of(
        slot_id,
        kind=Resource.Kind.VIDEO_CONSULTATION,
        now=now,
        window=VIDEO_WINDOW,
        unknown=_("Choose one of the GP's free video times."),
        too_late=_("Choose a video time within the next two weeks."),
    )


@transaction.atomic
def video_consultation_book(
    *,
    actor: User,
    department: Organisation,
    patient_cpr: str,
    purpose: str,
    video_url: str,
    slot_id,
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[VideoConsultation, bool]:
    """A hospital clinician books the GP's free video time for a talk with the admitted patient;
    returns (consultation, created), the same ``client_token`` twice giving the first."""
    now = now or timezone.now()
    if client_token:
        existing = VideoConsultation.objects.filter(hospital_doctor=actor, client_token=client_token).first()
        if existing:
            return existing, False
    if (
        department is None
        or department.kind != Organisation.Kind.DEPARTMENT
        or not user_has_role_in(actor, department.pk, CLINICIAN_ROLES)
    ):
        raise PermissionDenied("Only a clinician of the ward books its video consultations.")
    _named(actor)
    purpose = text_checked(
        purpose, field="purpose", label=_("What to talk about"), max_length=PURPOSE_MAX_LENGTH
    )
    video_url = video_url_checked(video_url)
    slot = video_slot_of(slot_id, now=now)
    if not patient_cpr:
        raise ValidationError({"cpr": _("The video consultation needs the patient's CPR number.")})
    patient, _created = patient_reference_get_or_create(
        cpr=patient_cpr, actor=actor, purpose=PURPOSE_VIDEO, request=request
    )
    consultation = VideoConsultation(
        patient=patient,
        department=department,
        practice=slot.resource.organisation,
        hospital_doctor=actor,
        purpose=purpose,
        video_url=video_url,
        created_at=now,
        client_token=client_token,
    )
    # Raises the booking core's Danish refusal (passed, just taken) and rolls everything back.
    consultation.booking = booking_create(slot=slot, user=actor, organisation=department, now=now)
    try:
        with transaction.atomic():
            consultation.save()
    except IntegrityError:
        raise ValidationError(_("The video consultation was booked twice; see the list.")) from None
    access_log_record(
        actor=actor,
        patient_index=patient.cpr_index,
        action=AccessLogEntry.Action.CREATE,
        obj=consultation,
        purpose=PURPOSE_VIDEO,
        request=request,
    )
    notifications.video_booked(consultation)
    return consultation, True


@transaction.atomic
def video_consultation_read(
    *, consultation: VideoConsultation, user: User, request: HttpRequest | None = None
) -> None:
    """Every view of the consultation is a view of its patient: one access-log entry."""
    if not can_see_video(user, consultation):
        raise PermissionDenied("Not a party to this video consultation.")
    access_log_record(
        actor=user,
        patient_index=consultation.patient.cpr_index,
        action=AccessLogEntry.Action.VIEW,
        obj=consultation,
        purpose=PURPOSE_VIDEO,
        request=request,
    )


# --- Inpatients to their own GP -----------------------------------------------------------------

PURPOSE_VISIT = "Konsultation hos egen læge under længere indlæggelse"
# A long admission plans ahead: the GP's consultation times of the next four weeks.
VISIT_WINDOW = timedelta(days=28)


def consultation_slot_of(slot_id, *, now: datetime) -> Slot:
    """The chosen time: a practice's active consultation time within the window, else unknown."""
    return _practice_slot_of(
        slot_id,
        kind=Resource.Kind.GP_CONSULTATION,
        now=now,
        window=VISIT_WINDOW,
        unknown=_("Choose one of the GP's free consultation times."),
        too_late=_("Choose a consultation time within the next four weeks."),
    )


@transaction.atomic
def inpatient_visit_book(
    *,
    actor: User,
    department: Organisation,
    patient_cpr: str,
    reason: str,
    slot_id,
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[InpatientGpVisit, bool]:
    """The ward (clinician or secretary) books the GP's consultation time for an admitted patient;
    the practice is told and confirms. Returns (visit, created), idempotent by ``client_token``."""
    now = now or timezone.now()
    if client_token:
        existing = InpatientGpVisit.objects.filter(booked_by=actor, client_token=client_token).first()
        if existing:
            return existing, False
    if (
        department is None
        or department.kind != Organisation.Kind.DEPARTMENT
        or not user_has_role_in(actor, department.pk, DEPARTMENT_ROLES)
    ):
        raise PermissionDenied("Only the ward's staff book for its patients.")
    _named(actor)
    reason = text_checked(
        reason, field="reason", label=_("Why the patient comes"), max_length=REASON_MAX_LENGTH
    )
    slot = consultation_slot_of(slot_id, now=now)
    if not patient_cpr:
        raise ValidationError({"cpr": _("The booking needs the patient's CPR number.")})
    patient, _created = patient_reference_get_or_create(
        cpr=patient_cpr, actor=actor, purpose=PURPOSE_VISIT, request=request
    )
    visit = InpatientGpVisit(
        patient=patient,
        department=department,
        practice=slot.resource.organisation,
        booked_by=actor,
        reason=reason,
        created_at=now,
        client_token=client_token,
    )
    visit.booking = booking_create(slot=slot, user=actor, organisation=department, now=now)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        raise ValidationError(_("The consultation was booked twice; see the list.")) from None
    _visit_log(visit, actor=actor, action=AccessLogEntry.Action.CREATE, request=request)
    notifications.inpatient_visit_booked(visit)
    return visit, True


def _visit_log(visit: InpatientGpVisit, *, actor: User, action: str, request=None) -> None:
    access_log_record(
        actor=actor,
        patient_index=visit.patient.cpr_index,
        action=action,
        obj=visit,
        purpose=PURPOSE_VISIT,
        request=request,
    )


@transaction.atomic
def inpatient_visit_read(*, visit: InpatientGpVisit, user: User, request: HttpRequest | None = None) -> None:
    if not can_see_visit(user, visit):
        raise PermissionDenied("Not a party to this consultation.")
    _visit_log(visit, actor=user, action=AccessLogEntry.Action.VIEW, request=request)


@transaction.atomic
def inpatient_visit_confirm(
    *, visit: InpatientGpVisit, actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> InpatientGpVisit:
    """The practice confirms the booked consultation; the ward sees it confirmed."""
    now = now or timezone.now()
    visit = (
        InpatientGpVisit.objects.select_for_update(of=("self",))
        .select_related("patient", "booking")
        .get(pk=visit.pk)
    )
    if not can_see_visit(actor, visit) or not is_practice_staff(actor, visit):
        raise PermissionDenied("Only the practice confirms.")
    if visit.state == InpatientGpVisit.State.CONFIRMED:
        raise ValidationError(_("The consultation is already confirmed."))
    if not visit.booking.is_active:
        raise ValidationError(_("The booking is cancelled and cannot be confirmed."))
    visit.state, visit.confirmed_by, visit.confirmed_at = InpatientGpVisit.State.CONFIRMED, actor, now
    visit.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    _visit_log(visit, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    return visit
