"""Writes of conferences: rosters, requests, accepting, escalating, closing, notes, the overview.

Each function is one transaction: the change, its history event, its access-log
entries and its e-mails are saved together or not at all. Validation errors are
``ValidationError``s with Danish messages, raised before anything is written;
``PermissionDenied`` means the rules said no (views answer 404).
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, Specialty, User
from portal.accounts.roles import Role
from portal.accounts.selectors import user_has_role_in
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.patients.services import patient_reference_get_or_create

from . import notifications
from .models import (
    DIAGNOSES_MAX,
    NOTE_MAX_LENGTH,
    OVERVIEW_TEXT_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    Conference,
    ConferenceEvent,
    ConferenceNote,
    DutyPeriod,
    OverviewDiagnosis,
    PatientOverview,
)
from .questions import ANSWER_MAX_LENGTH, questions_for
from .selectors import due_for_escalation, on_duty

# Recorded evidence in the access log, in Danish whatever the interface language.
PURPOSE_CONFERENCE = "Konference om patienten"
PURPOSE_FAQ_PROPOSAL = "Konference om patienten: anonymiseres som forslag til FAQ"


def escalation_delay() -> timedelta:
    return timedelta(minutes=settings.CONFERENCE_ESCALATION_MINUTES)


def _require_text(value: str, *, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
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


def _name(user: User) -> str:
    name = user.get_full_name().strip()
    if not name:
        # The other side must know who they confer with: a person, never "the department".
        raise ValidationError(_("Your user profile has no name; add your name first."))
    return name


def _event(
    conference: Conference, kind: str, *, at: datetime, actor: User | None = None, specialist=None
) -> None:
    ConferenceEvent.objects.create(
        conference=conference,
        kind=kind,
        at=at,
        actor=actor,
        actor_name=actor.get_full_name() if actor else "",
        specialist=specialist,
    )


def _log_patient(
    conference: Conference, obj, *, actor: User, action: str, request: HttpRequest | None
) -> None:
    if conference.patient_id:
        access_log_record(
            actor=actor,
            patient_index=conference.patient.cpr_index,
            action=action,
            obj=obj,
            purpose=PURPOSE_CONFERENCE,
            request=request,
        )


def _locked(conference: Conference) -> Conference:
    return (
        Conference.objects.select_for_update(of=("self",))
        .select_related("practice", "department__parent", "patient", "requester", "gp", "specialist")
        .get(pk=conference.pk)
    )


# --- Rosters -------------------------------------------------------------------------------


@transaction.atomic
def duty_period_create(
    *,
    specialist: User,
    department: Organisation,
    starts_at: datetime,
    ends_at: datetime,
    phone: str = "",
    video_url: str = "",
) -> DutyPeriod:
    """Put a conference specialist of ``department`` on duty; specialty and area come from it."""
    area = department.area
    period = DutyPeriod(
        specialist=specialist,
        department=department,
        specialty_id=department.specialty_id,
        health_council_area=area,
        starts_at=starts_at,
        ends_at=ends_at,
        phone=(phone or specialist.phone or department.phone or "").strip(),
        video_url=(video_url or "").strip(),
    )
    if area is None:
        raise ValidationError({"department": _("The department's hospital has no health council area.")})
    period.full_clean()
    period.save()
    return period


# --- Requesting ----------------------------------------------------------------------------


def _answers(kind: str, answers: dict | None) -> dict:
    answers = answers or {}
    cleaned = {}
    for key, question in questions_for(kind):
        cleaned[key] = _require_text(
            answers.get(key, ""), field=f"answer_{key}", label=str(question), max_length=ANSWER_MAX_LENGTH
        )
    return cleaned


def _patient(*, cpr: str, actor: User, request) -> object | None:
    if not cpr:
        return None
    patient, _created = patient_reference_get_or_create(
        cpr=cpr, actor=actor, purpose=PURPOSE_CONFERENCE, request=request
    )
    return patient


@transaction.atomic
def conference_request(
    *,
    requester: User,
    topic: str,
    urgency: str,
    mode: str,
    kind: str = Conference.Kind.DIRECT,
    practice: Organisation,
    specialty: Specialty | None = None,
    department: Organisation | None = None,
    template_answers: dict | None = None,
    patient_cpr: str = "",
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[Conference, bool]:
    """Ask for a conference; returns (conference, created).

    From a GP (``kind`` direct, ``practice`` is the GP's): to the specialist on duty for
    ``specialty`` in the practice's health council area, escalating if nobody accepts.
    From a hospital doctor (``kind`` vulnerable, discharge or palliative, ``department``
    is the doctor's): to the GPs of ``practice``, with the kind's template answered.
    The same ``client_token`` twice returns the first conference.
    """
    now = now or timezone.now()
    if client_token:
        existing = Conference.objects.filter(requester=requester, client_token=client_token).first()
        if existing:
            return existing, False
    topic = _require_text(topic, field="topic", label=_("The topic"), max_length=TOPIC_MAX_LENGTH)
    if urgency not in Conference.Urgency.values:
        raise ValidationError({"urgency": _("Choose an urgency from the list.")})
    if mode not in Conference.Mode.values:
        raise ValidationError({"mode": _("Choose a form from the list.")})
    if practice is None or practice.kind != Organisation.Kind.GENERAL_PRACTICE:
        raise ValidationError({"practice": _("Choose a general practice.")})
    name = _name(requester)
    fields = {}
    if kind == Conference.Kind.DIRECT:
        if not user_has_role_in(requester, practice.pk, {Role.GP}):
            raise PermissionDenied("Only a GP of the practice asks for a conference from it.")
        if specialty is None:
            raise ValidationError({"specialty": _("Choose a specialty.")})
        area = practice.health_council_area
        if area is None:
            raise ValidationError({"practice": _("Your practice has no health council area.")})
        period = on_duty(specialty=specialty, area=area, at=now).first()
        if period is None:
            raise ValidationError(
                {
                    "specialty": _("Nobody is on duty in %(specialty)s in your area now.")
                    % {"specialty": specialty}
                }
            )
        fields = {
            "initiated_by": Conference.Initiator.PRACTICE,
            "gp": requester,
            "specialist": period.specialist,
            "department": period.department,
            "duty_period": period,
            "specialty": specialty,
            "health_council_area": area,
            "escalate_at": now + escalation_delay(),
        }
        answers = {}
    elif kind in Conference.HOSPITAL_KINDS:
        if department is None or not user_has_role_in(requester, department.pk, {Role.HOSPITAL_SPECIALIST}):
            raise PermissionDenied("Only a hospital specialist of the department asks from it.")
        if not patient_cpr:
            raise ValidationError({"cpr": _("A conference about a patient needs the patient's CPR number.")})
        answers = _answers(kind, template_answers)
        area = department.area
        if area is None:
            raise ValidationError({"department": _("Your hospital has no health council area.")})
        fields = {
            "initiated_by": Conference.Initiator.HOSPITAL,
            "specialist": requester,
            "department": department,
            "specialty_id": department.specialty_id,
            "health_council_area": area,
        }
    else:
        raise ValidationError({"kind": _("Choose a kind of conference from the list.")})

    patient = _patient(cpr=patient_cpr, actor=requester, request=request)
    conference = Conference(
        kind=kind,
        topic=topic,
        template_answers=answers,
        patient=patient,
        urgency=urgency,
        mode=mode,
        practice=practice,
        requester=requester,
        requested_at=now,
        client_token=client_token,
        **fields,
    )
    conference.full_clean(exclude=["public_id", "duty_period"])
    try:
        with transaction.atomic():
            conference.save()
    except IntegrityError:
        # The same form submitted twice at once: the other request won.
        return Conference.objects.get(requester=requester, client_token=client_token), False
    ConferenceEvent.objects.create(
        conference=conference, kind=ConferenceEvent.Kind.REQUESTED, at=now, actor=requester, actor_name=name
    )
    if conference.initiated_by == Conference.Initiator.PRACTICE:
        _event(conference, ConferenceEvent.Kind.OFFERED, at=now, specialist=conference.specialist)
    _log_patient(
        conference, conference, actor=requester, action=AccessLogEntry.Action.CREATE, request=request
    )
    notifications.requested(conference, offer_number=1)
    return conference, True


@transaction.atomic
def conference_accept(*, conference: Conference, user: User, now: datetime | None = None) -> Conference:
    """The specialist asked (or, for a hospital's request, a GP of the practice) accepts: it opens."""
    now = now or timezone.now()
    conference = _locked(conference)
    if not conference.is_requested:
        raise ValidationError(_("The conference has already been accepted."))
    if not user.has_perm("conferences.accept_conference", conference):
        raise PermissionDenied("Cannot accept this conference.")
    _name(user)
    if conference.initiated_by == Conference.Initiator.HOSPITAL:
        conference.gp = user
    conference.status = Conference.Status.OPEN
    conference.accepted_at = now
    conference.escalate_at = None
    conference.full_clean(exclude=["public_id", "duty_period"])
    conference.save(update_fields=["gp", "status", "accepted_at", "escalate_at"])
    _event(conference, ConferenceEvent.Kind.ACCEPTED, at=now, actor=user)
    if conference.patient_id:
        PatientOverview.objects.get_or_create(
            conference=conference, defaults={"updated_at": now, "updated_by_name": ""}
        )
    notifications.accepted(conference)
    return conference


def conference_escalate_due(*, now: datetime | None = None) -> dict[str, int]:
    """Pass every request nobody accepted in time to the next specialist on duty.

    The next one is on duty now for the same specialty and area and has not been asked
    yet. With nobody left, the requester is told and offered written correspondence;
    the specialist last asked can still accept. One transaction per conference, so one
    failure does not hold back the others. Run every minute (``manage.py conferences_escalate``).
    """
    now = now or timezone.now()
    result = {"escalated": 0, "unanswered": 0}
    for conference_id in due_for_escalation(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            conference = (
                Conference.objects.select_for_update(of=("self",))
                .select_related("practice", "department__parent", "requester", "specialist", "gp")
                .filter(pk=conference_id, status=Conference.Status.REQUESTED, escalate_at__lte=now)
                .first()
            )
            if conference is None:
                continue  # accepted or escalated meanwhile
            asked = set(
                conference.events.filter(
                    kind__in=[ConferenceEvent.Kind.OFFERED, ConferenceEvent.Kind.ESCALATED]
                ).values_list("specialist_id", flat=True)
            )
            candidates = on_duty(specialty=conference.specialty, area=conference.health_council_area, at=now)
            period = candidates.exclude(specialist_id__in=asked).first()
            if period is None:
                conference.escalate_at = None
                conference.unanswered_at = now
                conference.save(update_fields=["escalate_at", "unanswered_at"])
                _event(conference, ConferenceEvent.Kind.UNANSWERED, at=now)
                notifications.unanswered(conference)
                result["unanswered"] += 1
                continue
            conference.specialist = period.specialist
            conference.department = period.department
            conference.duty_period = period
            conference.escalate_at = now + escalation_delay()
            conference.save(update_fields=["specialist", "department", "duty_period", "escalate_at"])
            _event(conference, ConferenceEvent.Kind.ESCALATED, at=now, specialist=period.specialist)
            offer_number = len(asked) + 1
            notifications.requested(conference, offer_number=offer_number)
            notifications.escalated(conference, offer_number=offer_number)
            result["escalated"] += 1
    return result


@transaction.atomic
def conference_close(*, conference: Conference, actor: User, now: datetime | None = None) -> Conference:
    """Close the conference; its shared overview is deleted in the same transaction (not hidden)."""
    now = now or timezone.now()
    conference = _locked(conference)
    if not conference.is_open:
        raise ValidationError(_("Only an open conference can be closed."))
    if not actor.has_perm("conferences.close_conference", conference):
        raise PermissionDenied("Cannot close this conference.")
    conference.status = Conference.Status.CLOSED
    conference.closed_at = now
    conference.save(update_fields=["status", "closed_at"])
    # Deleted, rows and all: the overview exists only while the conference is open.
    PatientOverview.objects.filter(conference=conference).delete()
    _event(conference, ConferenceEvent.Kind.CLOSED, at=now, actor=actor)
    return conference


# --- Notes -----------------------------------------------------------------------------------


def _note_write(
    *, conference: Conference, author: User, text: str, kind: str, perm: str, request, now
) -> ConferenceNote:
    now = now or timezone.now()
    conference = _locked(conference)
    if not author.has_perm(perm, conference):
        raise PermissionDenied("Cannot write this note.")
    label = _("The note") if kind == ConferenceNote.Kind.SPECIALIST_NOTE else _("The résumé")
    text = _require_text(text, field="text", label=label, max_length=NOTE_MAX_LENGTH)
    if ConferenceNote.objects.filter(conference=conference, kind=kind).exists():
        raise ValidationError(_("%(label)s has already been written.") % {"label": label})
    note = ConferenceNote(
        conference=conference, kind=kind, author=author, author_name=_name(author), text=text, written_at=now
    )
    note.full_clean()
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        raise ValidationError(_("%(label)s has already been written.") % {"label": label}) from None
    _event(
        conference,
        ConferenceEvent.Kind.NOTE
        if kind == ConferenceNote.Kind.SPECIALIST_NOTE
        else ConferenceEvent.Kind.RESUME,
        at=now,
        actor=author,
    )
    _log_patient(conference, note, actor=author, action=AccessLogEntry.Action.CREATE, request=request)
    return note


@transaction.atomic
def conference_note_write(
    *, conference: Conference, author: User, text: str, request: HttpRequest | None = None, now=None
) -> ConferenceNote:
    """The specialist's note after the conference; it goes to the practice (e-mail with a link)."""
    note = _note_write(
        conference=conference,
        author=author,
        text=text,
        kind=ConferenceNote.Kind.SPECIALIST_NOTE,
        perm="conferences.write_note",
        request=request,
        now=now,
    )
    notifications.note_written(note.conference)
    return note


@transaction.atomic
def conference_resume_write(
    *, conference: Conference, author: User, text: str, request: HttpRequest | None = None, now=None
) -> ConferenceNote:
    """The GP's short résumé of the conference, for the patient's journal."""
    return _note_write(
        conference=conference,
        author=author,
        text=text,
        kind=ConferenceNote.Kind.GP_RESUME,
        perm="conferences.write_resume",
        request=request,
        now=now,
    )


# --- Reading with a trace, and the overview ----------------------------------------------------


@transaction.atomic
def conference_read(*, conference: Conference, user: User, request: HttpRequest | None = None) -> None:
    """A view of a conference page: with a patient, one access-log entry."""
    if not user.has_perm("conferences.view_conference", conference):
        raise PermissionDenied("Not allowed to see this conference.")
    _log_patient(conference, conference, actor=user, action=AccessLogEntry.Action.VIEW, request=request)


@transaction.atomic
def overview_read(*, overview: PatientOverview, user: User, request: HttpRequest | None = None) -> None:
    """A view of the shared overview: one access-log entry, every time."""
    if not user.has_perm("conferences.view_patientoverview", overview):
        raise PermissionDenied("Not allowed to see this overview.")
    _log_patient(
        overview.conference, overview, actor=user, action=AccessLogEntry.Action.VIEW, request=request
    )


@transaction.atomic
def overview_update(
    *,
    conference: Conference,
    actor: User,
    diagnoses: list[tuple[str, str]],
    treatment_level: str = "",
    frailty_score: int | None = None,
    medication: str = "",
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> PatientOverview:
    """Replace what the overview holds; either participant, only while the conference is open."""
    now = now or timezone.now()
    conference = _locked(conference)
    if not conference.is_open or conference.patient_id is None:
        raise ValidationError(_("The overview exists only while a conference about a patient is open."))
    overview, _created = PatientOverview.objects.get_or_create(
        conference=conference, defaults={"updated_at": now}
    )
    overview.conference = conference
    if not actor.has_perm("conferences.change_patientoverview", overview):
        raise PermissionDenied("Cannot change this overview.")
    if len(diagnoses) > DIAGNOSES_MAX:
        raise ValidationError(_("At most %(max)s diagnoses.") % {"max": DIAGNOSES_MAX})
    for value, field in ((medication, "medication"), (note, "note")):
        if len(value or "") > OVERVIEW_TEXT_MAX_LENGTH:
            raise ValidationError(
                {field: _("At most %(max)s characters.") % {"max": OVERVIEW_TEXT_MAX_LENGTH}}
            )
    overview.treatment_level = treatment_level or ""
    overview.frailty_score = frailty_score
    overview.medication = (medication or "").strip()
    overview.note = (note or "").strip()
    overview.updated_at = now
    overview.updated_by_name = _name(actor)
    overview.full_clean()
    rows = []
    for code, text in diagnoses:
        row = OverviewDiagnosis(
            overview=overview, code=(code or "").strip().upper(), text=(text or "").strip()
        )
        row.full_clean()
        rows.append(row)
    overview.save()
    overview.diagnoses.all().delete()
    OverviewDiagnosis.objects.bulk_create(rows)
    _log_patient(conference, overview, actor=actor, action=AccessLogEntry.Action.CHANGE, request=request)
    return overview


# --- An anonymised FAQ draft from a closed conference (issue 15) --------------------------------


def conference_faq_source_read(*, conference: Conference, user: User, request: HttpRequest | None = None):
    """The conference's text for a participant's FAQ proposal: a read of patient data, logged."""
    from .selectors import conference_faq_source

    if not user.has_perm("conferences.propose_faq_conference", conference):
        raise PermissionDenied("Cannot propose this conference as an FAQ.")
    source = conference_faq_source(conference)
    if conference.patient_id:
        access_log_record(
            actor=user,
            patient_index=conference.patient.cpr_index,
            action=AccessLogEntry.Action.VIEW,
            obj=conference,
            purpose=PURPOSE_FAQ_PROPOSAL,
            request=request,
        )
    return source


@transaction.atomic
def conference_faq_propose(*, conference: Conference, user: User, question: str, answer: str):
    """The participant's reviewed, anonymised text as an unpublished FAQ draft for the editors;
    nothing of the conference (no id, no patient) goes along."""
    from portal.patients.anonymise import faq_proposal_submit

    if not user.has_perm("conferences.propose_faq_conference", conference):
        raise PermissionDenied("Cannot propose this conference as an FAQ.")
    return faq_proposal_submit(question=question, answer=answer, owner=user)
