"""Who may see and do what in a conference. Deny by default; views answer 404 otherwise.

Only the two people in a conference see it: the GP and the hospital specialist
(the one asked, then the one who accepted). A hospital-initiated request is
addressed to a practice, so until one of its GPs accepts, the practice's GPs see
it too. Nobody else, whatever their role: colleagues, secretaries and
administrators included. No predicate here looks at ``is_superuser``, and
``User.has_perm`` asks these rules for superusers too (portal/accounts/models.py).
"""

import rules

from portal.accounts.roles import Role
from portal.accounts.selectors import memberships_for_user, user_has_role_in, user_is_clinician

from .models import (
    CaseSession,
    CaseSessionParticipant,
    Conference,
    DropInAttendance,
    DropInHour,
    DutyPeriod,
    PatientOverview,
    PracticeVisit,
    SessionCase,
)


def is_practice_gp(user, practice_id: int | None) -> bool:
    return user_has_role_in(user, practice_id, {Role.GP})


def _addressed_practice_gp(user, conference: Conference) -> bool:
    """A GP of the practice a hospital-initiated request is addressed to, before anyone accepted."""
    return (
        conference.initiated_by == Conference.Initiator.HOSPITAL
        and conference.is_requested
        and conference.gp_id is None
        and is_practice_gp(user, conference.practice_id)
    )


def is_participant(user, conference: Conference | None) -> bool:
    if conference is None or not user.is_authenticated:
        return False
    return user.pk in (conference.gp_id, conference.specialist_id) or _addressed_practice_gp(user, conference)


@rules.predicate
def can_see_conference(user, conference) -> bool:
    return is_participant(user, conference)


@rules.predicate
def can_accept_conference(user, conference) -> bool:
    if conference is None or not conference.is_requested or not user.is_authenticated:
        return False
    if conference.initiated_by == Conference.Initiator.PRACTICE:
        return conference.specialist_id == user.pk
    return _addressed_practice_gp(user, conference)


@rules.predicate
def conference_is_open(user, conference) -> bool:
    return conference is not None and conference.is_open


@rules.predicate
def is_conference_specialist_of(user, conference) -> bool:
    return (
        conference is not None
        and user.is_authenticated
        and not conference.is_requested
        and conference.specialist_id == user.pk
    )


@rules.predicate
def is_conference_gp_of(user, conference) -> bool:
    return (
        conference is not None
        and user.is_authenticated
        and not conference.is_requested
        and conference.gp_id == user.pk
    )


@rules.predicate
def can_request_conference(user) -> bool:
    return user.is_authenticated and user_is_clinician(user)


@rules.predicate
def can_see_overview(user, overview) -> bool:
    if not isinstance(overview, PatientOverview):
        return False
    conference = overview.conference
    return conference.is_open and conference.patient_id is not None and is_participant(user, conference)


@rules.predicate
def can_see_duty_period(user, period) -> bool:
    """The roster is for clinicians, who call the specialist on it."""
    return isinstance(period, DutyPeriod) and user.is_authenticated and user_is_clinician(user)


@rules.predicate
def is_own_duty_period(user, period) -> bool:
    return isinstance(period, DutyPeriod) and user.is_authenticated and period.specialist_id == user.pk


rules.add_perm("conferences.add_conference", can_request_conference)


@rules.predicate
def conference_is_closed(user, conference) -> bool:
    return conference is not None and conference.is_closed


rules.add_perm("conferences.view_conference", can_see_conference)
# A closed conference may be proposed as an anonymised FAQ draft by its participants (issue 15).
rules.add_perm("conferences.propose_faq_conference", can_see_conference & conference_is_closed)
rules.add_perm("conferences.accept_conference", can_see_conference & can_accept_conference)
rules.add_perm("conferences.close_conference", can_see_conference & conference_is_open)
rules.add_perm("conferences.write_note", can_see_conference & is_conference_specialist_of)
rules.add_perm("conferences.write_resume", can_see_conference & is_conference_gp_of)
rules.add_perm("conferences.view_patientoverview", can_see_overview)
rules.add_perm("conferences.change_patientoverview", can_see_overview)
rules.add_perm("conferences.view_dutyperiod", can_see_duty_period)
rules.add_perm("conferences.change_dutyperiod", is_own_duty_period)


# --- Drop-in hours ---------------------------------------------------------------------------
# A drop-in hour holds no patient data: the GPs of its area see it, and its host. Who is there
# (names) is for the people in the session: the host and the GPs who signed up or joined.


def gp_area_ids(user) -> set[int]:
    """The health council areas of the practices the user is a GP in (no query: memberships are cached)."""
    return {
        m.organisation.health_council_area_id
        for m in memberships_for_user(user)
        if m.role == Role.GP and m.organisation.health_council_area_id is not None
    }


def _is_host(user, drop_in) -> bool:
    return isinstance(drop_in, DropInHour) and user.is_authenticated and drop_in.host_id == user.pk


@rules.predicate
def is_drop_in_host(user, drop_in) -> bool:
    return _is_host(user, drop_in)


@rules.predicate
def is_area_gp(user, drop_in) -> bool:
    return (
        isinstance(drop_in, DropInHour)
        and user.is_authenticated
        and drop_in.health_council_area_id in gp_area_ids(user)
    )


@rules.predicate
def drop_in_not_over(user, drop_in) -> bool:
    return isinstance(drop_in, DropInHour) and not drop_in.is_over()


@rules.predicate
def is_drop_in_participant(user, drop_in) -> bool:
    """Signed up or joined. Views that list attendances pass them in (``_attendee_ids``) to save a query."""
    if not isinstance(drop_in, DropInHour) or not user.is_authenticated:
        return False
    attendee_ids = getattr(drop_in, "_attendee_ids", None)
    if attendee_ids is not None:
        return user.pk in attendee_ids
    return DropInAttendance.objects.filter(drop_in=drop_in, gp=user).exists()


@rules.predicate
def can_publish_drop_in(user) -> bool:
    return user.is_authenticated and any(
        m.role == Role.HOSPITAL_SPECIALIST for m in memberships_for_user(user)
    )


rules.add_perm("conferences.add_dropinhour", can_publish_drop_in)
rules.add_perm("conferences.view_dropinhour", is_drop_in_host | is_area_gp)
rules.add_perm("conferences.attend_dropinhour", is_area_gp & drop_in_not_over)
rules.add_perm("conferences.view_dropinattendance", is_drop_in_host | (is_area_gp & is_drop_in_participant))


# --- Practice visits -----------------------------------------------------------------------------
# The visiting specialist and the GPs of the visited practice; nobody else.


@rules.predicate
def is_visit_participant(user, visit) -> bool:
    return (
        isinstance(visit, PracticeVisit)
        and user.is_authenticated
        and (visit.specialist_id == user.pk or is_practice_gp(user, visit.practice_id))
    )


@rules.predicate
def visit_is_planned(user, visit) -> bool:
    return isinstance(visit, PracticeVisit) and visit.status == PracticeVisit.Status.PLANNED


rules.add_perm("conferences.add_practicevisit", can_publish_drop_in)  # a hospital specialist
rules.add_perm("conferences.view_practicevisit", is_visit_participant)
rules.add_perm("conferences.change_practicevisit", is_visit_participant & visit_is_planned)


# --- Joint case sessions ---------------------------------------------------------------------------
# The session (time, theme, organiser) is for its organiser, the GPs of its area and those signed
# up. Case text is clinical, even anonymised: the organiser, the submitter, and the participants
# once the organiser has put the case on the agenda. The minutes (answers per case) go to the
# organiser, and to the participants once published.


def _is_organiser(user, session) -> bool:
    return isinstance(session, CaseSession) and user.is_authenticated and session.organiser_id == user.pk


def _is_session_participant(user, session) -> bool:
    """Signed up. Views pass the participants in (``_participant_ids``) to save a query."""
    if not isinstance(session, CaseSession) or not user.is_authenticated:
        return False
    participant_ids = getattr(session, "_participant_ids", None)
    if participant_ids is not None:
        return user.pk in participant_ids
    return CaseSessionParticipant.objects.filter(session=session, gp=user).exists()


@rules.predicate
def is_case_session_organiser(user, session) -> bool:
    return _is_organiser(user, session)


@rules.predicate
def is_case_session_area_gp(user, session) -> bool:
    return (
        isinstance(session, CaseSession)
        and user.is_authenticated
        and session.health_council_area_id in gp_area_ids(user)
    )


@rules.predicate
def is_case_session_participant(user, session) -> bool:
    return _is_session_participant(user, session)


@rules.predicate
def case_session_not_started(user, session) -> bool:
    return isinstance(session, CaseSession) and not session.has_started()


@rules.predicate
def case_session_minutes_published(user, session) -> bool:
    return isinstance(session, CaseSession) and session.minutes_published


@rules.predicate
def can_plan_case_session(user) -> bool:
    """A hospital specialist with the conference-specialist flag in some department."""
    return user.is_authenticated and any(
        m.role == Role.HOSPITAL_SPECIALIST and m.is_conference_specialist for m in memberships_for_user(user)
    )


@rules.predicate
def can_see_session_case(user, case) -> bool:
    if not isinstance(case, SessionCase) or not user.is_authenticated:
        return False
    session = case.session
    return (
        case.submitter_id == user.pk
        or _is_organiser(user, session)
        or (case.status == SessionCase.Status.ACCEPTED and _is_session_participant(user, session))
    )


rules.add_perm("conferences.add_casesession", can_plan_case_session)
rules.add_perm(
    "conferences.view_casesession",
    is_case_session_organiser | is_case_session_area_gp | is_case_session_participant,
)
rules.add_perm("conferences.attend_casesession", is_case_session_area_gp & case_session_not_started)
rules.add_perm("conferences.add_sessioncase", is_case_session_area_gp & case_session_not_started)
rules.add_perm("conferences.change_casesession", is_case_session_organiser)
rules.add_perm(
    "conferences.view_casesession_minutes",
    is_case_session_organiser | (is_case_session_participant & case_session_minutes_published),
)
rules.add_perm("conferences.view_sessioncase", can_see_session_case)
