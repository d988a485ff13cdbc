"""Writes of joint case sessions: planning one, signing up, submitting an anonymised case, the
agenda (accept, decline with a reason, order), the minutes and their publication, and the
promotion of a case with its answer to an FAQ draft for editors.

Every text a person writes here (case, answer, minutes, decline reason) is refused whole if
it holds anything CPR-shaped (``anonymity.py``), and is otherwise stored exactly as written.
No patient belongs to a session, so nothing here writes the access log. ``PermissionDenied``
means the rules said no (views answer 404); ``ValidationError``s are Danish and raised before
anything is written.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organisation, User
from portal.accounts.roles import Role
from portal.accounts.selectors import memberships_for_user

from . import notifications
from .anonymity import refuse_cpr_shaped
from .models import (
    CASE_ANSWER_MAX_LENGTH,
    CASE_DECLINE_REASON_MAX_LENGTH,
    CASE_DESCRIPTION_MAX_LENGTH,
    CASE_QUESTION_MAX_LENGTH,
    CASE_SESSION_DEFAULT_MINUTES,
    CASE_SESSION_MINUTES_MAX_LENGTH,
    CASE_SESSION_TITLE_MAX_LENGTH,
    CaseSession,
    CaseSessionParticipant,
    SessionCase,
)
from .services import _name, _require_text


def _optional_text(value: str, *, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    return _require_text(value, field=field, label=label, max_length=max_length) if value else ""


def _anonymous_text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    checked = (_require_text if required else _optional_text)(
        value, field=field, label=label, max_length=max_length
    )
    refuse_cpr_shaped(checked, field=field, label=label)
    return checked


def _is_conference_specialist_of(user: User, department: Organisation) -> bool:
    return any(
        m.organisation_id == department.pk
        and m.role == Role.HOSPITAL_SPECIALIST
        and m.is_conference_specialist
        for m in memberships_for_user(user)
    )


def _locked_session(session: CaseSession) -> CaseSession:
    return CaseSession.objects.select_for_update().get(pk=session.pk)


# --- Planning and signing up ------------------------------------------------------------------


@transaction.atomic
def case_session_plan(
    *,
    organiser: User,
    department: Organisation,
    title: str,
    starts_at: datetime,
    video_url: str,
    duration_minutes: int = CASE_SESSION_DEFAULT_MINUTES,
    max_cases: int = 6,
    now: datetime | None = None,
) -> CaseSession:
    """Plan a session of ``department``'s specialty for the GPs of its hospital's area."""
    now = now or timezone.now()
    if not organiser.has_perm("conferences.add_casesession") or not _is_conference_specialist_of(
        organiser, department
    ):
        raise PermissionDenied("Only a conference specialist of the department plans its case sessions.")
    area = department.area
    if department.kind != Organisation.Kind.DEPARTMENT or department.specialty_id is None:
        raise ValidationError({"department": _("A case session belongs to a hospital department.")})
    if area is None:
        raise ValidationError({"department": _("The department's hospital has no health council area.")})
    if starts_at < now:
        raise ValidationError({"starts_at": _("A case session is planned ahead: the start has passed.")})
    _name(organiser)  # the GPs must know who leads the session
    session = CaseSession(
        organiser=organiser,
        department=department,
        specialty_id=department.specialty_id,
        health_council_area=area,
        title=_anonymous_text(
            title, field="title", label=_("Theme"), max_length=CASE_SESSION_TITLE_MAX_LENGTH
        ),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        video_url=(video_url or "").strip(),
        max_cases=max_cases,
        created_at=now,
    )
    session.full_clean(exclude=["public_id"])
    session.save()
    return session


def _sign_up(session: CaseSession, gp: User, now: datetime) -> CaseSessionParticipant:
    participant, _created = CaseSessionParticipant.objects.get_or_create(
        session=session, gp=gp, defaults={"signed_up_at": now}
    )
    return participant


@transaction.atomic
def case_session_sign_up(
    *, session: CaseSession, gp: User, now: datetime | None = None
) -> CaseSessionParticipant:
    """A GP of the area signs up before the start; signing up twice changes nothing."""
    if not gp.has_perm("conferences.attend_casesession", session):
        raise PermissionDenied("Not a GP of the session's area, or it has started.")
    return _sign_up(session, gp, now or timezone.now())


# --- Cases --------------------------------------------------------------------------------------


@transaction.atomic
def session_case_submit(
    *,
    session: CaseSession,
    gp: User,
    question: str,
    description: str,
    age_band: str = "",
    sex: str = "",
    now: datetime | None = None,
) -> SessionCase:
    """Submit an anonymised case ahead of the session; the submitter is signed up with it.

    Refused with nothing saved when the text holds anything CPR-shaped, or when the session
    already has as many cases waiting or on the agenda as its cap (declined ones do not count).
    """
    now = now or timezone.now()
    if not gp.has_perm("conferences.add_sessioncase", session):
        raise PermissionDenied("Not a GP of the session's area, or it has started.")
    case = SessionCase(
        session=session,
        submitter=gp,
        question=_anonymous_text(
            question, field="question", label=_("Question"), max_length=CASE_QUESTION_MAX_LENGTH
        ),
        description=_anonymous_text(
            description,
            field="description",
            label=_("Case description"),
            max_length=CASE_DESCRIPTION_MAX_LENGTH,
        ),
        age_band=age_band or "",
        sex=sex or "",
        submitted_at=now,
    )
    case.full_clean(exclude=["public_id", "session", "submitter"])
    session = _locked_session(session)  # the cap holds against two submissions at once
    taken = session.cases.exclude(status=SessionCase.Status.DECLINED).count()
    if taken >= session.max_cases:
        raise ValidationError(
            _("The session is full: it takes at most %(max)s cases. Bring your case to a later session.")
            % {"max": session.max_cases}
        )
    case.save()
    _sign_up(session, gp, now)
    return case


def _organised_case(case: SessionCase, actor: User) -> tuple[SessionCase, CaseSession]:
    session = _locked_session(case.session)
    if not actor.has_perm("conferences.change_casesession", session):
        raise PermissionDenied("Only the organiser builds the agenda.")
    case = SessionCase.objects.select_for_update().get(pk=case.pk)
    case.session = session
    return case, session


def _refuse_after_publication(session: CaseSession) -> None:
    if session.minutes_published:
        raise ValidationError(_("The minutes have been published; the session can no longer be changed."))


@transaction.atomic
def session_case_accept(*, case: SessionCase, actor: User, now: datetime | None = None) -> SessionCase:
    """Put a submitted (or earlier declined) case last on the agenda."""
    case, session = _organised_case(case, actor)
    _refuse_after_publication(session)
    if case.status == SessionCase.Status.ACCEPTED:
        return case
    last = session.cases.filter(status=SessionCase.Status.ACCEPTED).aggregate(last=Max("agenda_position"))
    case.status = SessionCase.Status.ACCEPTED
    case.agenda_position = (last["last"] or 0) + 1
    case.decline_reason = ""
    case.decided_at = now or timezone.now()
    case.save(update_fields=["status", "agenda_position", "decline_reason", "decided_at"])
    return case


@transaction.atomic
def session_case_decline(
    *, case: SessionCase, actor: User, reason: str, now: datetime | None = None
) -> SessionCase:
    """Decline a case with a reason the submitter reads (e.g. better as a conference)."""
    case, session = _organised_case(case, actor)
    _refuse_after_publication(session)
    reason = _anonymous_text(
        reason, field="reason", label=_("Reason"), max_length=CASE_DECLINE_REASON_MAX_LENGTH
    )
    was_on_agenda = case.status == SessionCase.Status.ACCEPTED
    case.status = SessionCase.Status.DECLINED
    case.agenda_position = None
    case.decline_reason = reason
    case.decided_at = now or timezone.now()
    case.save(update_fields=["status", "agenda_position", "decline_reason", "decided_at"])
    if was_on_agenda:
        _renumber(session)
    return case


def _renumber(session: CaseSession) -> None:
    """Agenda positions 1, 2, 3 … in their current order."""
    for position, item in enumerate(
        session.cases.filter(status=SessionCase.Status.ACCEPTED).order_by("agenda_position", "pk"), start=1
    ):
        if item.agenda_position != position:
            item.agenda_position = position
            item.save(update_fields=["agenda_position"])


@transaction.atomic
def session_case_move(*, case: SessionCase, actor: User, up: bool) -> SessionCase:
    """Swap a case on the agenda with the one before (``up``) or after it."""
    case, session = _organised_case(case, actor)
    _refuse_after_publication(session)
    if case.status != SessionCase.Status.ACCEPTED:
        raise ValidationError(_("Only a case on the agenda can be moved."))
    agenda = list(session.cases.filter(status=SessionCase.Status.ACCEPTED).order_by("agenda_position", "pk"))
    index = next(i for i, item in enumerate(agenda) if item.pk == case.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(agenda):
        agenda[index], agenda[other] = agenda[other], agenda[index]
    for position, item in enumerate(agenda, start=1):
        if item.agenda_position != position:
            item.agenda_position = position
            item.save(update_fields=["agenda_position"])
    case.refresh_from_db()
    return case


# --- Minutes ------------------------------------------------------------------------------------


@transaction.atomic
def case_session_minutes_save(
    *,
    session: CaseSession,
    actor: User,
    minutes: str,
    answers: dict[str, str],
    publish: bool = False,
    now: datetime | None = None,
) -> CaseSession:
    """Save the general minutes and an answer per case on the agenda; ``publish`` sends them.

    ``answers`` maps a case's public id (as text) to its answer. Everything is checked first,
    then written: one text with a CPR-shaped number saves nothing. Published minutes are final.
    On publication the participants (signed up, case submitters included) get an e-mail with a
    link and no clinical text.
    """
    now = now or timezone.now()
    session = _locked_session(session)
    if not actor.has_perm("conferences.change_casesession", session):
        raise PermissionDenied("Only the organiser writes the minutes.")
    _refuse_after_publication(session)
    if not session.has_started(now):
        raise ValidationError(_("The minutes are written after the session has started."))
    minutes = _anonymous_text(
        minutes,
        field="minutes",
        label=_("General minutes"),
        max_length=CASE_SESSION_MINUTES_MAX_LENGTH,
        required=publish,
    )
    agenda = list(session.cases.filter(status=SessionCase.Status.ACCEPTED).order_by("agenda_position", "pk"))
    written = {}
    for case in agenda:
        written[case.pk] = _anonymous_text(
            answers.get(str(case.public_id), ""),
            field=f"answer_{case.public_id}",
            label=_("The answer to case %(number)s") % {"number": case.agenda_position},
            max_length=CASE_ANSWER_MAX_LENGTH,
            required=False,
        )
    if publish and not minutes:
        raise ValidationError({"minutes": _("Write the general minutes before publishing.")})
    for case in agenda:
        if case.answer != written[case.pk]:
            case.answer = written[case.pk]
            case.save(update_fields=["answer"])
    session.minutes = minutes
    fields = ["minutes"]
    if publish:
        session.minutes_published_at = now
        fields.append("minutes_published_at")
    session.save(update_fields=fields)
    if publish:
        notifications.case_session_minutes_published(session)
    return session


# --- From case to FAQ draft ---------------------------------------------------------------------


@transaction.atomic
def session_case_promote_to_faq(*, case: SessionCase, actor: User):
    """Make an unpublished FAQ page of the case's question and answer, for editors to review.

    Never published here: the page is a draft in the Wagtail admin until an editor publishes it.
    The question and answer are checked for CPR-shaped text once more (the FAQ is public once
    published); the case description is not copied, only the question and the answer.
    """
    from content.services import faq_draft_create  # the page tree is content's to write

    case, session = _organised_case(case, actor)
    if not session.minutes_published:
        raise ValidationError(_("A case can be made into an FAQ draft once the minutes are published."))
    if case.status != SessionCase.Status.ACCEPTED or not case.answer:
        raise ValidationError(_("Only a case on the agenda with an answer can become an FAQ draft."))
    if case.faq_draft_page_id is not None:
        raise ValidationError(_("This case has already been made into an FAQ draft."))
    refuse_cpr_shaped(case.question, field="question", label=_("Question"))
    refuse_cpr_shaped(case.answer, field="answer", label=_("Answer"))
    page = faq_draft_create(
        title=case.question,
        question=case.question,
        answer_markdown=case.answer,
        summary=_("From the joint case session “%(title)s”, %(specialty)s.")
        % {"title": session.title, "specialty": session.specialty},
        owner=actor,
    )
    if page is None:
        raise ValidationError(_("The site has no FAQ section to put the draft in."))
    case.faq_draft_page_id = page.pk
    case.save(update_fields=["faq_draft_page_id"])
    return page
