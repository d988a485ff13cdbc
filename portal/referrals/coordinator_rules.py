"""Who may see and act on a patient's coordinating GP (tovholder). Deny by default; views answer
404 otherwise.

The row and its history are seen by the staff (clinicians and secretaries) of the practice
holding the role and of the departments involved; a proposal by the staff of its two sides.
Nobody else, superusers included (no predicate looks at ``is_superuser``). Only a clinician of
the holding practice proposes to hand the role on; only a GP of the receiving practice
acknowledges; a clinician of the proposing side withdraws an open proposal; the staff of the
holder and of the departments involved add departments.
"""

import rules

from portal.accounts.roles import CLINICIAN_ROLES
from portal.accounts.selectors import memberships_for_user, user_has_role_in

from .models import CareCoordinator, ResponsibilityHandover
from .palliative_rules import STAFF_ROLES


def _staff_organisation_ids(user) -> set[int]:
    return {m.organisation_id for m in memberships_for_user(user) if m.role in STAFF_ROLES}


def can_see_coordinator(user, coordinator) -> bool:
    if not isinstance(coordinator, CareCoordinator) or not user.is_authenticated:
        return False
    mine = _staff_organisation_ids(user)
    if coordinator.practice_id in mine:
        return True
    # ``departments.all()`` is prefetched by the selectors: no query per check.
    return any(d.pk in mine for d in coordinator.departments.all())


def can_see_coordinator_handover(user, handover) -> bool:
    if (
        not isinstance(handover, ResponsibilityHandover)
        or handover.kind != ResponsibilityHandover.Kind.COORDINATOR
        or not user.is_authenticated
    ):
        return False
    mine = _staff_organisation_ids(user)
    return handover.from_organisation_id in mine or handover.to_organisation_id in mine


@rules.predicate
def sees_coordinator(user, coordinator) -> bool:
    return can_see_coordinator(user, coordinator)


@rules.predicate
def is_holding_clinician(user, coordinator) -> bool:
    return isinstance(coordinator, CareCoordinator) and user_has_role_in(
        user, coordinator.practice_id, CLINICIAN_ROLES
    )


@rules.predicate
def sees_coordinator_handover(user, handover) -> bool:
    return can_see_coordinator_handover(user, handover)


@rules.predicate
def is_receiving_gp(user, handover) -> bool:
    return isinstance(handover, ResponsibilityHandover) and user_has_role_in(
        user, handover.to_organisation_id, CLINICIAN_ROLES
    )


@rules.predicate
def is_proposing_clinician(user, handover) -> bool:
    return isinstance(handover, ResponsibilityHandover) and user_has_role_in(
        user, handover.from_organisation_id, CLINICIAN_ROLES
    )


@rules.predicate
def coordinator_handover_is_open(user, handover) -> bool:
    return isinstance(handover, ResponsibilityHandover) and handover.is_open


rules.add_perm("referrals.view_care_coordinator", sees_coordinator)
rules.add_perm("referrals.add_coordinator_department", sees_coordinator)
rules.add_perm("referrals.hand_over_care_coordinator", sees_coordinator & is_holding_clinician)
rules.add_perm("referrals.view_coordinator_handover", sees_coordinator_handover)
rules.add_perm(
    "referrals.acknowledge_coordinator_handover",
    sees_coordinator_handover & is_receiving_gp & coordinator_handover_is_open,
)
rules.add_perm(
    "referrals.withdraw_coordinator_handover",
    sees_coordinator_handover & is_proposing_clinician & coordinator_handover_is_open,
)
