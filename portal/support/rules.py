"""Who may see and act on what general practice does for the hospital. Deny by default; views
answer 404 otherwise.

An acute slot note is seen by the acute reception's staff (clinicians and secretaries) and by
the practice's GPs and secretaries; nobody else, superusers included (no predicate looks at
``is_superuser``). The practice's staff book a yellow note's time when the patient calls.
"""

import rules

from portal.accounts.models import Organisation
from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES, Role
from portal.accounts.selectors import memberships_for_user, user_has_role_in

from .models import AcuteSlotNote, InpatientGpVisit, VideoConsultation

PRACTICE_ROLES = frozenset({Role.GP}) | DISTRIBUTOR_ROLES
DEPARTMENT_ROLES = CLINICIAN_ROLES | DISTRIBUTOR_ROLES


def acute_departments(user) -> list[Organisation]:
    """The hospital departments the user writes acute slot notes for (no query: cached memberships)."""
    return [
        m.organisation
        for m in memberships_for_user(user)
        if m.organisation.kind == Organisation.Kind.DEPARTMENT and m.role in DEPARTMENT_ROLES
    ]


def ward_clinician_departments(user) -> list[Organisation]:
    """Departments where the user is a clinician: those who book video consultations."""
    return [
        m.organisation
        for m in memberships_for_user(user)
        if m.organisation.kind == Organisation.Kind.DEPARTMENT and m.role in CLINICIAN_ROLES
    ]


def support_practices(user) -> list[Organisation]:
    return [
        m.organisation
        for m in memberships_for_user(user)
        if m.organisation.kind == Organisation.Kind.GENERAL_PRACTICE and m.role in PRACTICE_ROLES
    ]


def is_practice_staff(user, note) -> bool:
    return user_has_role_in(user, note.practice_id, PRACTICE_ROLES)


def can_see_note(user, note) -> bool:
    if not isinstance(note, AcuteSlotNote) or not user.is_authenticated:
        return False
    return is_practice_staff(user, note) or user_has_role_in(user, note.department_id, DEPARTMENT_ROLES)


@rules.predicate
def sees_note(user, note) -> bool:
    return can_see_note(user, note)


@rules.predicate
def practice_books_note(user, note) -> bool:
    return (
        isinstance(note, AcuteSlotNote)
        and note.colour == AcuteSlotNote.Colour.YELLOW
        and note.booking_id is None
        and is_practice_staff(user, note)
    )


rules.add_perm("support.view_acuteslotnote", sees_note)
rules.add_perm("support.book_acuteslotnote", sees_note & practice_books_note)


# --- Video consultations ------------------------------------------------------------------------


def can_see_video(user, consultation) -> bool:
    if not isinstance(consultation, VideoConsultation) or not user.is_authenticated:
        return False
    return user_has_role_in(user, consultation.practice_id, PRACTICE_ROLES) or user_has_role_in(
        user, consultation.department_id, DEPARTMENT_ROLES
    )


@rules.predicate
def sees_video(user, consultation) -> bool:
    return can_see_video(user, consultation)


rules.add_perm("support.view_videoconsultation", sees_video)


# --- Inpatients to their own GP -----------------------------------------------------------------


def can_see_visit(user, visit) -> bool:
    if not isinstance(visit, InpatientGpVisit) or not user.is_authenticated:
        return False
    return user_has_role_in(user, visit.practice_id, PRACTICE_ROLES) or user_has_role_in(
        user, visit.department_id, DEPARTMENT_ROLES
    )


@rules.predicate
def sees_visit(user, visit) -> bool:
    return can_see_visit(user, visit)


@rules.predicate
def practice_confirms_visit(user, visit) -> bool:
    return (
        isinstance(visit, InpatientGpVisit)
        and visit.state == InpatientGpVisit.State.BOOKED
        and visit.booking.is_active
        and user_has_role_in(user, visit.practice_id, PRACTICE_ROLES)
    )


rules.add_perm("support.view_inpatientgpvisit", sees_visit)
rules.add_perm("support.confirm_inpatientgpvisit", sees_visit & practice_confirms_visit)
