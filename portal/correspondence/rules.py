"""Who may see and do what in a thread. Deny by default; callers use ``object_for_user_or_404``.

A user stands on a side of a thread when they are a participant on it, or a
member of that side's organisation and the organisation shares its inbox with
its members (secretaries, who distribute the inbox, always see it).
"""

import rules

from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES
from portal.accounts.selectors import memberships_for_user, user_has_role_in, user_is_clinician

from .models import Side, Thread
from .selectors import sees_inbox_of


def sides_of(user, thread: Thread) -> set[str]:
    """The sides of ``thread`` that ``user`` sees it from (empty: no access)."""
    if not user.is_authenticated or thread is None:
        return set()
    sides = {p.side for p in _participations(user, thread)}
    for membership in memberships_for_user(user):
        if not sees_inbox_of(user, membership):
            continue
        for side in (Side.SENDER, Side.RECIPIENT):
            if membership.organisation_id == _organisation_id(thread, side):
                sides.add(side)
    return sides


def writing_side(user, thread: Thread) -> str | None:
    """The side ``user`` writes from: they must be a clinician in that side's organisation,
    or a participant of it (a clinician who has since moved on still answers their own thread)."""
    if not user.is_authenticated or thread is None:
        return None
    for participant in _participations(user, thread):
        return participant.side
    for side in (Side.RECIPIENT, Side.SENDER):
        if side in sides_of(user, thread) and user_has_role_in(
            user, _organisation_id(thread, side), CLINICIAN_ROLES
        ):
            return side
    return None


def _participations(user, thread):
    cache = getattr(thread, "_participants_by_user", None)
    if cache is None:
        cache = {}
        for participant in thread.participants.all():
            cache.setdefault(participant.user_id, []).append(participant)
        thread._participants_by_user = cache
    return cache.get(user.pk, [])


def _organisation_id(thread: Thread, side: str) -> int:
    return thread.sender_organisation_id if side == Side.SENDER else thread.recipient_organisation_id


@rules.predicate
def can_see_thread(user, thread) -> bool:
    return bool(sides_of(user, thread))


@rules.predicate
def thread_is_open(user, thread) -> bool:
    return thread is not None and thread.is_open


@rules.predicate
def thread_is_closed(user, thread) -> bool:
    return thread is not None and not thread.is_open


@rules.predicate
def is_thread_participant(user, thread) -> bool:
    """A person in the thread (opened, claimed, wrote): not merely a member of a side's organisation."""
    return thread is not None and user.is_authenticated and bool(_participations(user, thread))


@rules.predicate
def can_write_in_thread(user, thread) -> bool:
    return writing_side(user, thread) is not None


@rules.predicate
def can_claim_thread(user, thread) -> bool:
    return (
        thread is not None
        and thread.assignee_id is None
        and user_has_role_in(user, thread.recipient_organisation_id, CLINICIAN_ROLES)
    )


@rules.predicate
def distributes_recipient_inbox(user, thread) -> bool:
    """Secretaries and clinicians of the receiving organisation assign and re-route."""
    return thread is not None and user_has_role_in(
        user, thread.recipient_organisation_id, CLINICIAN_ROLES | DISTRIBUTOR_ROLES
    )


@rules.predicate
def can_open_threads(user) -> bool:
    return user.is_authenticated and user_is_clinician(user)


@rules.predicate
def can_see_message_thread(user, message) -> bool:
    return message is not None and can_see_thread(user, message.thread)


@rules.predicate
def can_see_attachment_thread(user, attachment) -> bool:
    return attachment is not None and can_see_thread(user, attachment.message.thread)


rules.add_perm("correspondence.add_thread", can_open_threads)
# Looking a patient up by CPR number is for clinicians, who treat patients.
rules.add_perm("correspondence.filter_by_patient", can_open_threads)
rules.add_perm("correspondence.view_thread", can_see_thread)
rules.add_perm("correspondence.reply_thread", can_see_thread & thread_is_open & can_write_in_thread)
rules.add_perm("correspondence.claim_thread", can_see_thread & thread_is_open & can_claim_thread)
rules.add_perm("correspondence.assign_thread", can_see_thread & thread_is_open & distributes_recipient_inbox)
rules.add_perm("correspondence.reroute_thread", can_see_thread & thread_is_open & distributes_recipient_inbox)
rules.add_perm("correspondence.close_thread", can_see_thread & thread_is_open & can_write_in_thread)
# The full CPR number is for the clinicians who write in the thread (secretaries
# distribute the inbox, they do not treat); every reveal is logged.
rules.add_perm("correspondence.reveal_cpr_thread", can_see_thread & can_write_in_thread)
# A closed thread may be proposed as an anonymised FAQ draft by the people who were in it: they
# know what in it identifies the patient (issue 15).
rules.add_perm("correspondence.propose_faq_thread", can_see_thread & thread_is_closed & is_thread_participant)
rules.add_perm("correspondence.view_message", can_see_message_thread)
rules.add_perm("correspondence.view_attachment", can_see_attachment_thread)
