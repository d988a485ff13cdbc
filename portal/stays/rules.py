"""Who may see and act on focused stays. Deny by default; views answer 404 otherwise.

A trainee sees their own needs and, once published, their own stays. The GPs of a host
practice see its offer and, once published, the stays it hosts. A training coordinator sees
every need, offer, run and stay of their region(s). Nobody else sees anything, whatever their
role: no predicate here looks at ``is_superuser``, and ``User.has_perm`` asks these rules for
superusers too. A proposal is the coordinator's draft: neither side sees it before it is
published. The services check the state rules again.
"""

from datetime import timedelta

import rules
from django.utils import timezone

from .models import EVALUATION_WINDOW_DAYS, Assignment, HostOffer, MatchingRun, StayNeed
from .scope import coordinator_region_ids, gp_practice_ids, is_trainee


def _coordinates(user, region_id) -> bool:
    return region_id is not None and region_id in coordinator_region_ids(user)


@rules.predicate
def is_coordinator(user) -> bool:
    return user.is_authenticated and bool(coordinator_region_ids(user))


@rules.predicate
def is_trainee_anywhere(user) -> bool:
    return user.is_authenticated and is_trainee(user)


@rules.predicate
def is_gp_anywhere(user) -> bool:
    return user.is_authenticated and bool(gp_practice_ids(user))


@rules.predicate
def coordinates_object(user, obj) -> bool:
    if not user.is_authenticated or not isinstance(obj, StayNeed | HostOffer | MatchingRun | Assignment):
        return False
    region_id = obj.need.region_id if isinstance(obj, Assignment) else obj.region_id
    return _coordinates(user, region_id)


@rules.predicate
def owns_need(user, need) -> bool:
    return isinstance(need, StayNeed) and user.is_authenticated and need.trainee_id == user.pk


@rules.predicate
def need_is_open(user, need) -> bool:
    return isinstance(need, StayNeed) and need.state == StayNeed.State.OPEN


@rules.predicate
def is_offer_gp(user, offer) -> bool:
    if not isinstance(offer, HostOffer) or not user.is_authenticated:
        return False
    return offer.practice_id in gp_practice_ids(user)


def _shown_to_the_parties(assignment) -> bool:
    return assignment.state not in (Assignment.State.PROPOSED, Assignment.State.DISCARDED)


@rules.predicate
def is_stay_trainee(user, assignment) -> bool:
    return (
        isinstance(assignment, Assignment)
        and user.is_authenticated
        and _shown_to_the_parties(assignment)
        and assignment.need.trainee_id == user.pk
    )


@rules.predicate
def is_stay_host(user, assignment) -> bool:
    return (
        isinstance(assignment, Assignment)
        and user.is_authenticated
        and _shown_to_the_parties(assignment)
        and assignment.offer.practice_id in gp_practice_ids(user)
    )


@rules.predicate
def awaits_answer(user, assignment) -> bool:
    return isinstance(assignment, Assignment) and assignment.state == Assignment.State.PUBLISHED


@rules.predicate
def practice_not_confirmed(user, assignment) -> bool:
    return isinstance(assignment, Assignment) and assignment.practice_confirmed_at is None


@rules.predicate
def trainee_not_confirmed(user, assignment) -> bool:
    return isinstance(assignment, Assignment) and assignment.trainee_confirmed_at is None


@rules.predicate
def is_stay_supervisor(user, assignment) -> bool:
    """The supervising GP named on the offer, while still a GP of the practice."""
    return is_stay_host(user, assignment) and assignment.offer.supervisor_id == user.pk


@rules.predicate
def stay_has_ended(user, assignment) -> bool:
    return (
        isinstance(assignment, Assignment)
        and assignment.state == Assignment.State.CONFIRMED
        and assignment.ends_on < timezone.localdate()
    )


@rules.predicate
def evaluation_window_open(user, assignment) -> bool:
    return isinstance(assignment, Assignment) and timezone.localdate() <= assignment.ends_on + timedelta(
        days=EVALUATION_WINDOW_DAYS
    )


rules.add_perm("stays.add_stayneed", is_trainee_anywhere)
rules.add_perm("stays.view_stayneed", owns_need | coordinates_object)
rules.add_perm("stays.withdraw_stayneed", owns_need & need_is_open)
rules.add_perm("stays.add_hostoffer", is_gp_anywhere)
rules.add_perm("stays.view_hostoffer", is_offer_gp | coordinates_object)
rules.add_perm("stays.change_hostoffer", is_offer_gp)
rules.add_perm("stays.coordinate", is_coordinator)
# Objectives are national per specialty: any coordinator keeps them.
rules.add_perm("stays.change_learningobjective", is_coordinator)
rules.add_perm("stays.view_matchingrun", coordinates_object)
rules.add_perm("stays.view_assignment", is_stay_trainee | is_stay_host | coordinates_object)
rules.add_perm("stays.confirm_as_practice", is_stay_host & awaits_answer & practice_not_confirmed)
rules.add_perm("stays.confirm_as_trainee", is_stay_trainee & awaits_answer & trainee_not_confirmed)
rules.add_perm("stays.decline_assignment", (is_stay_host | is_stay_trainee) & awaits_answer)
# After a confirmed stay has ended, each side evaluates once (and may change it within the window).
rules.add_perm("stays.evaluate_practice", is_stay_trainee & stay_has_ended & evaluation_window_open)
rules.add_perm("stays.evaluate_stay", is_stay_supervisor & stay_has_ended & evaluation_window_open)
