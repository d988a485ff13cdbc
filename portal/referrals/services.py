"""Writes of referrals: refer, decide (accept, re-route, dialogue, pre-visitation, return),
veto, hand over treatment responsibility, and tell about overdue decisions.

Each function is one transaction: the change, its history event, its access-log entry
and its e-mails are saved together or not at all. Validation errors are
``ValidationError``s with Danish messages, raised before anything is written;
``PermissionDenied`` means the rules said no (views answer 404).

There is no "reject": the only way a referral goes back to the GP is
``referral_return``, and only after a dialogue in which the GP wrote. After a veto the
receiving side can neither re-route nor return.
"""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.accounts.roles import CLINICIAN_ROLES, Role
from portal.accounts.selectors import user_has_role_in
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.bookings import services as bookings
from portal.bookings.models import Booking, Resource, Slot
from portal.core.deadlines import reply_due
from portal.correspondence import services as correspondence
from portal.correspondence.selectors import thread_has_message_from
from portal.patients.services import patient_reference_get_or_create

from . import notifications
from .models import (
    CLINICAL_TEXT_MAX_LENGTH,
    DIAGNOSIS_TEXT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    VETO_REASON_MAX_LENGTH,
    Referral,
    ReferralEvent,
    ResponsibilityHandover,
    ResponsibilityPeriod,
    SymptomPackage,
)
from .rules import can_see

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_REFERRAL = "Henvisning af patienten"
PURPOSE_VETO = "Veto: patienten skal ses i fælles akutmodtagelse"
PURPOSE_EXPORT = "Udlevering af visitationsbeslutning som FHIR Task"

# Working days the receiving side has to decide: a subacute referral the next working day.
DECISION_WORKING_DAYS = {
    Referral.Urgency.SUBACUTE: 1,
    Referral.Urgency.URGENT: 2,
    Referral.Urgency.ROUTINE: 3,
}
DIALOGUE_CATEGORY = "regarding-referral"
# The subacute promise: the patient is seen within 72 hours of the referral.
SUBACUTE_WINDOW = timedelta(hours=72)
# Who changes a booked time for the practice or the department (as the booking core's rules).
BOOKING_ROLES = CLINICIAN_ROLES | {Role.MEDICAL_SECRETARY}


def _require_text(value: str, *, field: str, label: str, max_length: int) -> str:
    # Clinical text is kept as written (only surrounding blank lines trimmed), never stripped of "tags".
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


def _optional_text(value: str, *, field: str, label: str, max_length: int) -> str:
    return (
        _require_text(value, field=field, label=label, max_length=max_length) if (value or "").strip() else ""
    )


def _name(user: User) -> str:
    name = user.get_full_name().strip()
    if not name:
        raise ValidationError(_("Your user profile has no name; add your name first."))
    return name


def _decision_due(referral: Referral, now: datetime) -> datetime:
    return reply_due(sent_at=now, working_days=DECISION_WORKING_DAYS[referral.urgency])


def _event(referral: Referral, kind: str, *, at: datetime, actor: User | None, **fields) -> ReferralEvent:
    event = ReferralEvent(
        referral=referral,
        kind=kind,
        at=at,
        actor=actor,
        actor_name=actor.get_full_name() if actor else "System",
        **fields,
    )
    event.save()
    return event


def _log(referral: Referral, *, actor: User, action: str, purpose: str = PURPOSE_REFERRAL, request=None):
    access_log_record(
        actor=actor,
        patient_index=referral.patient.cpr_index,
        action=action,
        obj=referral,
        purpose=purpose,
        request=request,
    )


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("patient", "practice", "destination__parent", "responsible_organisation", "author")
        .get(pk=referral.pk)
    )


def _step(referral: Referral, now: datetime, fields: list[str]) -> None:
    # Values are checked by the caller and the database constraints; no full_clean round trips.
    referral.last_step_at = now
    referral.save(update_fields=[*fields, "last_step_at"])


# --- Referring ---------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    author: User,
    practice: Organisation,
    basis: str,
    urgency: str,
    clinical_text: str,
    patient_cpr: str,
    destination_kind: str = Referral.DestinationKind.DEPARTMENT,
    destination: Organisation | None = None,
    diagnosis_code: str = "",
    diagnosis_text: str = "",
    symptom_package: SymptomPackage | None = None,
    checklist_ticked=(),
    client_token: uuid.UUID | None = None,
    slot: Slot | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[Referral, bool]:
    """A GP refers a patient; returns (referral, created). The practice holds the responsibility.

    By diagnosis to a department or the area's central visitation; by package to the
    package's cross-disciplinary clinic. The same ``client_token`` twice: one referral.

    With ``slot`` (a subacute referral only) the GP books one of the destination's subacute
    outpatient times within 72 hours in the same transaction: a time just taken by someone
    else raises the booking core's Danish ValidationError and nothing is saved.
    """
    now = now or timezone.now()
    if client_token:
        existing = Referral.objects.filter(author=author, client_token=client_token).first()
        if existing:
            return existing, False
    if practice is None or not user_has_role_in(author, practice.pk, {Role.GP}):
        raise PermissionDenied("Only a GP of the practice refers from it.")
    _name(author)
    if urgency not in Referral.Urgency.values:
        raise ValidationError({"urgency": _("Choose an urgency from the list.")})
    clinical_text = _require_text(
        clinical_text,
        field="clinical_text",
        label=_("The clinical information"),
        max_length=CLINICAL_TEXT_MAX_LENGTH,
    )
    fields: dict = {"basis": basis}
    if basis == Referral.Basis.PACKAGE:
        if symptom_package is None or not symptom_package.active:
            raise ValidationError({"symptom_package": _("Choose a symptom package from the list.")})
        items = symptom_package.checklist_items
        ticked = [item for item in checklist_ticked if item in items]
        if len(ticked) != len(list(checklist_ticked)):
            raise ValidationError({"checklist": _("Tick only items of the package's checklist.")})
        fields |= {
            "symptom_package": symptom_package,
            "checklist_ticked": ticked,
            "destination_kind": Referral.DestinationKind.SUBACUTE_CLINIC,
            "destination": symptom_package.clinic,
        }
    elif basis == Referral.Basis.DIAGNOSIS:
        code = (diagnosis_code or "").strip().upper()
        if not code:
            raise ValidationError({"diagnosis_code": _("Write the ICD-10 code.")})
        text = _require_text(
            diagnosis_text,
            field="diagnosis_text",
            label=_("The diagnosis"),
            max_length=DIAGNOSIS_TEXT_MAX_LENGTH,
        )
        if destination_kind not in Referral.DestinationKind.values:
            raise ValidationError({"destination_kind": _("Choose where the referral goes.")})
        if destination is None or destination.kind != Organisation.Kind.DEPARTMENT:
            raise ValidationError({"destination": _("Choose a hospital department.")})
        fields |= {
            "diagnosis_code": code,
            "diagnosis_text": text,
            "destination_kind": destination_kind,
            "destination": destination,
        }
    else:
        raise ValidationError({"basis": _("Refer by diagnosis or by symptom package.")})
    if not patient_cpr:
        raise ValidationError({"cpr": _("A referral needs the patient's CPR number.")})
    patient, _created = patient_reference_get_or_create(
        cpr=patient_cpr, actor=author, purpose=PURPOSE_REFERRAL, request=request
    )
    referral = Referral(
        patient=patient,
        practice=practice,
        author=author,
        clinical_text=clinical_text,
        urgency=urgency,
        state=Referral.State.RECEIVED,
        responsible_organisation=practice,
        created_at=now,
        last_step_at=now,
        client_token=client_token,
        **fields,
    )
    referral.decision_due_at = _decision_due(referral, now)
    referral.full_clean(exclude=["public_id", "booking"])
    if slot is not None:
        subacute_slot_check(slot=slot, destination=referral.destination, urgency=urgency, now=now)
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        # The same form submitted twice at once: the other request won.
        return Referral.objects.get(author=author, client_token=client_token), False
    if slot is not None:
        # Inside this transaction: a lost race on the slot undoes the referral too.
        referral.booking = bookings.booking_create(slot=slot, user=author, organisation=practice, now=now)
        referral.save(update_fields=["booking"])
    ResponsibilityPeriod.objects.create(referral=referral, organisation=practice, started_at=now)
    _event(
        referral,
        ReferralEvent.Kind.REFERRED,
        at=now,
        actor=author,
        organisation=practice,
        to_organisation=referral.destination,
    )
    _log(referral, actor=author, action=AccessLogEntry.Action.CREATE, request=request)
    notifications.received(referral)
    return referral, True


def subacute_slot_check(*, slot: Slot, destination: Organisation, urgency: str, now: datetime) -> None:
    """A time booked with a referral is a subacute outpatient time of the destination itself,
    starting within 72 hours. The booking core then checks that a seat is free, under its lock."""
    if urgency != Referral.Urgency.SUBACUTE:
        raise ValidationError({"slot": _("A time can be booked with a subacute referral only.")})
    if slot.resource.kind != Resource.Kind.SUBACUTE_OUTPATIENT or not slot.resource.is_active:
        raise ValidationError({"slot": _("Choose one of the subacute outpatient times offered.")})
    if slot.resource.organisation_id != destination.pk:
        raise ValidationError(
            {"slot": _("The time belongs to another department than the one you refer to.")}
        )
    if slot.starts_at <= now:
        raise ValidationError({"slot": _("The time has passed. Choose another time.")})
    if slot.starts_at > now + SUBACUTE_WINDOW:
        raise ValidationError({"slot": _("Choose a time within 72 hours.")})


def _booking_party(referral: Referral, actor: User) -> None:
    """The practice and the department that owns the time change the booking; nobody else."""
    if not can_see(actor, referral) or referral.booking_id is None:
        raise PermissionDenied("Not a party to this referral's booking.")
    parties = (referral.practice_id, referral.booking.slot.resource.organisation_id)
    if not any(user_has_role_in(actor, org, BOOKING_ROLES) for org in parties):
        raise PermissionDenied("Only the practice and the department change the booked time.")


@transaction.atomic
def referral_booking_cancel(
    *, referral: Referral, actor: User, reason: str, request: HttpRequest | None = None, now=None
) -> Booking:
    """Cancel the time booked with the referral; the referral goes on and the department decides."""
    referral = _locked(referral)
    _booking_party(referral, actor)
    booking = bookings.booking_cancel(booking=referral.booking, actor=actor, reason=reason, now=now)
    _step(referral, now or timezone.now(), [])
    _log(referral, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    return booking


@transaction.atomic
def referral_booking_rebook(
    *,
    referral: Referral,
    actor: User,
    slot: Slot,
    reason: str = "",
    request: HttpRequest | None = None,
    now=None,
) -> Booking:
    """Move the booked time to another subacute time of the same department; the referral points
    at the new booking. Cancelled and booked in one transaction by the booking core."""
    now = now or timezone.now()
    referral = _locked(referral)
    _booking_party(referral, actor)
    if slot.resource.kind != Resource.Kind.SUBACUTE_OUTPATIENT:
        raise ValidationError({"slot": _("Choose one of the subacute outpatient times offered.")})
    booking = bookings.booking_rebook(
        booking=referral.booking, new_slot=slot, actor=actor, reason=reason, now=now
    )
    referral.booking = booking
    _step(referral, now, ["booking"])
    _log(referral, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    return booking


@transaction.atomic
def referral_read(*, referral: Referral, user: User, request: HttpRequest | None = None) -> None:
    """Every view of a referral is a view of its patient: one access-log entry."""
    if not can_see(user, referral):
        raise PermissionDenied("Not a party to this referral.")
    _log(referral, actor=user, action=AccessLogEntry.Action.VIEW, request=request)


# --- Deciding ----------------------------------------------------------------------------------


def _deciding(referral: Referral, actor: User, *, redirects: bool = False) -> Referral:
    """The referral locked, once the actor may decide it; ``redirects``: re-route or return."""
    referral = _locked(referral)
    if not user_has_role_in(actor, referral.destination_id, CLINICIAN_ROLES):
        raise PermissionDenied("Only a clinician of the receiving department decides.")
    if not referral.is_open:
        raise ValidationError(_("The referral has already been decided."))
    if redirects and referral.vetoed_at is not None:
        raise ValidationError(
            _("The GP has pressed the veto: the patient must be seen in the acute reception (FAM).")
        )
    _name(actor)
    return referral


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    actor: User,
    appointment_start: datetime,
    appointment_end: datetime | None = None,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Referral:
    """Accept with a time, or a time window (start and end)."""
    now = now or timezone.now()
    referral = _deciding(referral, actor)
    if appointment_start is None:
        raise ValidationError({"appointment_start": _("Give the time or the start of the window.")})
    if appointment_end is not None and appointment_end <= appointment_start:
        raise ValidationError({"appointment_end": _("The window ends after it starts.")})
    if (appointment_end or appointment_start) < now:
        raise ValidationError({"appointment_start": _("The time has passed; give a time to come.")})
    note = _optional_text(note, field="note", label=_("The note"), max_length=REASON_MAX_LENGTH)
    referral.state = Referral.State.ACCEPTED
    referral.appointment_start, referral.appointment_end = appointment_start, appointment_end
    referral.decided_at = now
    _step(referral, now, ["state", "appointment_start", "appointment_end", "decided_at"])
    _event(
        referral,
        ReferralEvent.Kind.ACCEPTED,
        at=now,
        actor=actor,
        organisation=referral.destination,
        text=note,
        appointment_start=appointment_start,
        appointment_end=appointment_end,
    )
    _log(referral, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    notifications.decided(referral, kind=ReferralEvent.Kind.ACCEPTED)
    return referral


def _withdraw_open_handover(referral: Referral, *, now: datetime, actor: User | None) -> None:
    handover = referral.handovers.filter(acknowledged_at__isnull=True, withdrawn_at__isnull=True).first()
    if handover is not None:
        handover.withdrawn_at = now
        handover.save(update_fields=["withdrawn_at"])
        _event(
            referral,
            ReferralEvent.Kind.HANDOVER_WITHDRAWN,
            at=now,
            actor=actor,
            organisation=handover.from_organisation,
            to_organisation=handover.to_organisation,
        )


def _propose(referral: Referral, *, to: Organisation, actor: User, now: datetime) -> ResponsibilityHandover:
    _withdraw_open_handover(referral, now=now, actor=actor)
    handover = ResponsibilityHandover.objects.create(
        referral=referral,
        from_organisation=referral.responsible_organisation,
        to_organisation=to,
        proposed_by=actor,
        proposed_at=now,
    )
    _event(
        referral,
        ReferralEvent.Kind.HANDOVER_PROPOSED,
        at=now,
        actor=actor,
        organisation=referral.responsible_organisation,
        to_organisation=to,
    )
    notifications.handover_proposed(referral, handover)
    return handover


@transaction.atomic
def referral_reroute(
    *,
    referral: Referral,
    actor: User,
    to_department: Organisation,
    reason_code: str,
    reason: str,
    alternative: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Referral:
    """Omvisitering: the referral moves to ``to_department`` with the reason and the alternative.

    The new department decides afresh (a new deadline). The GP is told at once. If the
    re-routing department held the treatment responsibility, it proposes the handover to
    the new department and keeps the responsibility (and sight of the referral) until that
    department acknowledges it.
    """
    now = now or timezone.now()
    referral = _deciding(referral, actor, redirects=True)
    if to_department is None or to_department.kind != Organisation.Kind.DEPARTMENT:
        raise ValidationError({"to_department": _("Choose the department the referral goes to.")})
    if to_department.pk == referral.destination_id:
        raise ValidationError({"to_department": _("Choose another department than your own.")})
    if reason_code not in ReferralEvent.Reason.values:
        raise ValidationError({"reason_code": _("Choose a reason from the list.")})
    reason = _require_text(reason, field="reason", label=_("The reason"), max_length=REASON_MAX_LENGTH)
    alternative = _optional_text(
        alternative, field="alternative", label=_("The alternative offered"), max_length=REASON_MAX_LENGTH
    )
    old = referral.destination
    referral.destination = to_department
    referral.destination_kind = Referral.DestinationKind.DEPARTMENT
    referral.state = Referral.State.REROUTED
    referral.decision_due_at = _decision_due(referral, now)
    referral.overdue_notified_at = None
    _step(
        referral, now, ["destination", "destination_kind", "state", "decision_due_at", "overdue_notified_at"]
    )
    _event(
        referral,
        ReferralEvent.Kind.REROUTED,
        at=now,
        actor=actor,
        organisation=old,
        to_organisation=to_department,
        reason_code=reason_code,
        text=reason,
        alternative=alternative,
    )
    open_handover = referral.handovers.filter(acknowledged_at__isnull=True, withdrawn_at__isnull=True).first()
    if referral.responsible_organisation_id == old.pk:
        _propose(referral, to=to_department, actor=actor, now=now)
    elif open_handover is not None and open_handover.to_organisation_id == old.pk:
        _withdraw_open_handover(referral, now=now, actor=actor)
    _log(referral, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    notifications.rerouted(referral, old=old)
    return referral


@transaction.atomic
def referral_dialogue_request(
    *,
    referral: Referral,
    actor: User,
    message: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Referral:
    """Ask the GP for a dialogue: a correspondence thread with the practice, linked to the referral.

    The thread is opened (or, if the referral's dialogue thread is still open, written in)
    through correspondence's services, which keep its deadlines, e-mails and access log.
    """
    now = now or timezone.now()
    referral = _deciding(referral, actor)
    message = _require_text(message, field="message", label=_("The message"), max_length=REASON_MAX_LENGTH)
    thread = referral.dialogue_thread
    if thread is not None and thread.is_open:
        correspondence.message_send(thread=thread, author=actor, body=message, request=request, now=now)
    else:
        thread, _created = correspondence.thread_open(
            author=actor,
            sender_organisation=referral.destination,
            recipient_organisation=referral.practice,
            subject=(_("Dialogue about a referral: %(subject)s") % {"subject": referral.subject})[:200],
            category=DIALOGUE_CATEGORY,
            body=message,
            patient=referral.patient,
            request=request,
            now=now,
        )
        referral.dialogue_thread = thread
    # After a veto the referral stays vetoed: a dialogue does not lift it.
    if referral.state != Referral.State.VETO:
        referral.state = Referral.State.DIALOGUE
    _step(referral, now, ["dialogue_thread", "state"])
    _event(
        referral,
        ReferralEvent.Kind.DIALOGUE,
        at=now,
        actor=actor,
        organisation=referral.destination,
        to_organisation=referral.practice,
        text=message,
    )
    _log(referral, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    return referral


@transaction.atomic
def referral_previsitation_note(
    *,
    referral: Referral,
    actor: User,
    note: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Referral:
    """The hospital called the patient about something unclear; the referral stays to be decided."""
    now = now or timezone.now()
    referral = _deciding(referral, actor)
    note = _require_text(note, field="note", label=_("The note"), max_length=REASON_MAX_LENGTH)
    if referral.state != Referral.State.VETO:
        referral.state = Referral.State.PREVISITATION
    _step(referral, now, ["state"])
    _event(
        referral,
        ReferralEvent.Kind.PREVISITATION,
        at=now,
        actor=actor,
        organisation=referral.destination,
        text=note,
    )
    _log(referral, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    notifications.decided(referral, kind=ReferralEvent.Kind.PREVISITATION)
    return referral


def gp_took_part_in_dialogue(referral: Referral) -> bool:
    """The linked thread holds a message written by the referring practice."""
    return bool(referral.dialogue_thread_id) and thread_has_message_from(
        thread_id=referral.dialogue_thread_id, organisation_id=referral.practice_id
    )


@transaction.atomic
def referral_return(
    *,
    referral: Referral,
    actor: User,
    reason_code: str,
    reason: str,
    advice: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Referral:
    """Return the referral to the GP: only after a dialogue in which the GP wrote, never after a veto.

    If the department holds the treatment responsibility, it proposes handing it back to
    the practice, and keeps it until the practice acknowledges.
    """
    now = now or timezone.now()
    referral = _deciding(referral, actor, redirects=True)
    if not gp_took_part_in_dialogue(referral):
        raise ValidationError(
            _("A referral goes back to the GP only after a dialogue in which the GP has answered.")
        )
    if reason_code not in ReferralEvent.Reason.values:
        raise ValidationError({"reason_code": _("Choose a reason from the list.")})
    reason = _require_text(reason, field="reason", label=_("The reason"), max_length=REASON_MAX_LENGTH)
    advice = _optional_text(advice, field="alternative", label=_("The advice"), max_length=REASON_MAX_LENGTH)
    referral.state = Referral.State.RETURNED
    referral.decided_at = now
    _step(referral, now, ["state", "decided_at"])
    _event(
        referral,
        ReferralEvent.Kind.RETURNED,
        at=now,
        actor=actor,
        organisation=referral.destination,
        to_organisation=referral.practice,
        reason_code=reason_code,
        text=reason,
        alternative=advice,
    )
    if referral.responsible_organisation_id != referral.practice_id:
        _propose(referral, to=referral.practice, actor=actor, now=now)
    _log(referral, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    notifications.decided(referral, kind=ReferralEvent.Kind.RETURNED)
    return referral


# --- The veto ----------------------------------------------------------------------------------


@transaction.atomic
def referral_veto(
    *,
    referral: Referral,
    actor: User,
    reason: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Referral:
    """The GP's veto: the patient must be seen in the acute reception (FAM), whatever the department.

    The receiving side cannot refuse it: from now on it can neither re-route nor return the
    referral, only accept (the time in FAM), note a pre-visitation call or ask for a dialogue.
    Audited as a history event and in the access log with its own purpose.
    """
    now = now or timezone.now()
    referral = _locked(referral)
    if not user_has_role_in(actor, referral.practice_id, {Role.GP}):
        raise PermissionDenied("Only a GP of the referring practice presses the veto.")
    if referral.vetoed_at is not None:
        raise ValidationError(_("The veto has already been pressed for this referral."))
    _name(actor)
    reason = _require_text(reason, field="reason", label=_("The reason"), max_length=VETO_REASON_MAX_LENGTH)
    referral.state = Referral.State.VETO
    referral.vetoed_at = now
    referral.decided_at = None
    referral.decision_due_at = now  # the acute reception acts now, not in working days
    referral.overdue_notified_at = None
    _step(referral, now, ["state", "vetoed_at", "decided_at", "decision_due_at", "overdue_notified_at"])
    _event(
        referral,
        ReferralEvent.Kind.VETO,
        at=now,
        actor=actor,
        organisation=referral.practice,
        to_organisation=referral.destination,
        text=reason,
    )
    _log(referral, actor=actor, action=AccessLogEntry.Action.CHANGE, purpose=PURPOSE_VETO, request=request)
    notifications.vetoed(referral)
    return referral


# --- Treatment responsibility ------------------------------------------------------------------


def handover_targets(referral: Referral) -> list[Organisation]:
    """Where the holder may hand the responsibility: the practice or the current destination."""
    return [
        org
        for org in (referral.practice, referral.destination)
        if org.pk != referral.responsible_organisation_id
    ]


@transaction.atomic
def handover_propose(
    *, referral: Referral, actor: User, to_organisation: Organisation, now: datetime | None = None
) -> ResponsibilityHandover:
    """The holder proposes handing the treatment responsibility over; it keeps it until acknowledged."""
    now = now or timezone.now()
    referral = _locked(referral)
    if not user_has_role_in(actor, referral.responsible_organisation_id, CLINICIAN_ROLES):
        raise PermissionDenied("Only a clinician of the holder proposes a handover.")
    _name(actor)
    if to_organisation is None or to_organisation.pk not in {o.pk for o in handover_targets(referral)}:
        raise ValidationError(
            {"to_organisation": _("Hand over to the practice or the receiving department.")}
        )
    handover = _propose(referral, to=to_organisation, actor=actor, now=now)
    _step(referral, now, [])
    return handover


@transaction.atomic
def handover_acknowledge(*, referral: Referral, actor: User, now: datetime | None = None) -> Referral:
    """The receiving side takes over: the one current holder changes in one transaction."""
    now = now or timezone.now()
    referral = _locked(referral)
    handover = (
        ResponsibilityHandover.objects.select_for_update()
        .filter(referral=referral, acknowledged_at__isnull=True, withdrawn_at__isnull=True)
        .first()
    )
    if handover is None:
        raise ValidationError(_("There is no handover to acknowledge."))
    if not user_has_role_in(actor, handover.to_organisation_id, CLINICIAN_ROLES):
        raise PermissionDenied("Only a clinician of the receiving organisation acknowledges.")
    _name(actor)
    handover.acknowledged_at, handover.acknowledged_by = now, actor
    handover.save(update_fields=["acknowledged_at", "acknowledged_by"])
    ResponsibilityPeriod.objects.filter(referral=referral, ended_at__isnull=True).update(ended_at=now)
    ResponsibilityPeriod.objects.create(
        referral=referral, organisation=handover.to_organisation, started_at=now
    )
    referral.responsible_organisation = handover.to_organisation
    _step(referral, now, ["responsible_organisation"])
    _event(
        referral,
        ReferralEvent.Kind.HANDOVER_ACKNOWLEDGED,
        at=now,
        actor=actor,
        organisation=handover.from_organisation,
        to_organisation=handover.to_organisation,
    )
    return referral


# --- Overdue decisions -------------------------------------------------------------------------


def overdue_referrals_notify(*, now: datetime | None = None) -> int:
    """Tell the destination's responsible person about each newly overdue decision, once.

    The same pattern as correspondence's ``overdue_threads_notify``: one transaction per
    referral, so one bad address does not hold back the others. Run every few minutes
    (``manage.py referrals_overdue``).
    """
    from .selectors import overdue_referrals

    now = now or timezone.now()
    told = 0
    for referral_id in overdue_referrals(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(of=("self",))
                .select_related("destination__parent", "practice")
                .filter(
                    pk=referral_id,
                    overdue_notified_at__isnull=True,
                    state__in=Referral.AWAITING_DECISION,
                    decision_due_at__lt=now,
                )
                .first()
            )
            if referral is None:
                continue
            referral.overdue_notified_at = now
            referral.save(update_fields=["overdue_notified_at"])
            people = notifications.overdue(referral)
            _event(
                referral,
                ReferralEvent.Kind.OVERDUE,
                at=now,
                actor=None,
                organisation=referral.destination,
                text=", ".join(p.get_full_name() for p in people)[:REASON_MAX_LENGTH],
            )
            told += 1
    return told


# --- Reminders ---------------------------------------------------------------------------------


def handover_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the receiving side of each handover proposal it has left unacknowledged, once per
    ``HANDOVER_REMINDER_WORKING_DAYS``; returns how many were reminded.

    Like ``overdue_referrals_notify``: one transaction per proposal, re-checked under a lock, so
    two runs at once, or twice in the same round, send one e-mail. Run every few minutes
    (``manage.py referrals_remind``).
    """
    from .selectors import HANDOVER_REMINDER_WORKING_DAYS, handovers_due_a_reminder, reminder_round

    now = now or timezone.now()
    every = HANDOVER_REMINDER_WORKING_DAYS
    told = 0
    for handover_id in handovers_due_a_reminder(now=now):
        with transaction.atomic():
            handover = (
                ResponsibilityHandover.objects.select_for_update(of=("self",))
                .select_related("referral", "from_organisation__parent", "to_organisation__parent")
                .filter(pk=handover_id, acknowledged_at__isnull=True, withdrawn_at__isnull=True)
                .first()
            )
            if handover is None:
                continue
            round_ = reminder_round(since=handover.proposed_at, at=now, every=every)
            if round_ <= reminder_round(since=handover.proposed_at, at=handover.reminded_at, every=every):
                continue
            handover.reminded_at = now
            handover.save(update_fields=["reminded_at"])
            notifications.handover_reminder(handover, round_=round_)
            told += 1
    return told
