"""Who may see and act on an outreach order, and who reads the equal-access report.

An order is seen by the ordering organisation's GPs (or, for a hospital doctor's order, the
ordering department's clinicians) and secretaries, and by the staff of the service's
organisation (clinicians and secretaries). Nobody else, superusers included: no predicate looks
at ``is_superuser``. The service's staff acknowledge an order; the service re-checks the state
under a row lock. The directory itself is public information and needs no rule.
"""

import rules

from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES, Role
from portal.accounts.rules import is_administrator
from portal.accounts.selectors import memberships_for_user, user_has_role_in

from .models import OutreachOrder

ORDERING_ROLES = CLINICIAN_ROLES | DISTRIBUTOR_ROLES
STAFF_ROLES = CLINICIAN_ROLES | DISTRIBUTOR_ROLES


def is_service_staff(user, order) -> bool:
    return isinstance(order, OutreachOrder) and user_has_role_in(user, order.owner_id, STAFF_ROLES)


def is_orderer_side(user, order) -> bool:
    return isinstance(order, OutreachOrder) and user_has_role_in(
        user, order.ordering_organisation_id, ORDERING_ROLES
    )


def can_see_order(user, order) -> bool:
    if not isinstance(order, OutreachOrder) or not user.is_authenticated:
        return False
    return is_orderer_side(user, order) or is_service_staff(user, order)


@rules.predicate
def sees_order(user, order) -> bool:
    return can_see_order(user, order)


@rules.predicate
def staffs_the_service(user, order) -> bool:
    return is_service_staff(user, order)


@rules.predicate
def awaits_acknowledgement(user, order) -> bool:
    return isinstance(order, OutreachOrder) and order.state == OutreachOrder.State.ORDERED


@rules.predicate
def is_practice_consultant(user) -> bool:
    return any(m.role == Role.PRACTICE_CONSULTANT for m in memberships_for_user(user))


rules.add_perm("outreach.view_outreachorder", sees_order)
rules.add_perm("outreach.acknowledge_outreachorder", sees_order & staffs_the_service & awaits_acknowledgement)
# Equal access: the administrators who keep the directory, and the practice consultants (PKO),
# who carry the cross-sector quality work to the health council areas. No patient data in it.
rules.add_perm("outreach.view_equal_access", is_administrator | is_practice_consultant)
