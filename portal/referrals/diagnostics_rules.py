"""Who may see and act on an investigation order. Deny by default; views answer 404 otherwise.

An order is seen by the ordering practice's GPs and secretaries and by the performing
department's staff (clinicians and secretaries). Nobody else, superusers included: no
predicate looks at ``is_superuser``. The department's staff record that the investigation
took place; its clinicians give the result notice; the practice's GPs acknowledge it. The
services check the state rules again under a row lock.
"""

import rules

from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES, Role
from portal.accounts.selectors import user_has_role_in

from .models import InvestigationOrder

PRACTICE_ROLES = frozenset({Role.GP}) | DISTRIBUTOR_ROLES
DEPARTMENT_ROLES = CLINICIAN_ROLES | DISTRIBUTOR_ROLES


def can_see_order(user, order) -> bool:
    if not isinstance(order, InvestigationOrder) or not user.is_authenticated:
        return False
    return user_has_role_in(user, order.practice_id, PRACTICE_ROLES) or user_has_role_in(
        user, order.department_id, DEPARTMENT_ROLES
    )


@rules.predicate
def sees_order(user, order) -> bool:
    return can_see_order(user, order)


@rules.predicate
def is_department_staff(user, order) -> bool:
    return isinstance(order, InvestigationOrder) and user_has_role_in(
        user, order.department_id, DEPARTMENT_ROLES
    )


@rules.predicate
def is_department_clinician(user, order) -> bool:
    return isinstance(order, InvestigationOrder) and user_has_role_in(
        user, order.department_id, CLINICIAN_ROLES
    )


@rules.predicate
def is_ordering_practice_gp(user, order) -> bool:
    return isinstance(order, InvestigationOrder) and user_has_role_in(user, order.practice_id, {Role.GP})


@rules.predicate
def awaits_performance(user, order) -> bool:
    return isinstance(order, InvestigationOrder) and order.state in (
        InvestigationOrder.State.ORDERED,
        InvestigationOrder.State.BOOKED,
    )


@rules.predicate
def awaits_result(user, order) -> bool:
    return isinstance(order, InvestigationOrder) and order.state == InvestigationOrder.State.PERFORMED


@rules.predicate
def awaits_acknowledgement(user, order) -> bool:
    return isinstance(order, InvestigationOrder) and order.state == InvestigationOrder.State.RESULT_AVAILABLE


rules.add_perm("referrals.view_investigationorder", sees_order)
rules.add_perm(
    "referrals.record_investigation_performed", sees_order & is_department_staff & awaits_performance
)
rules.add_perm("referrals.record_investigation_result", sees_order & is_department_clinician & awaits_result)
rules.add_perm(
    "referrals.acknowledge_investigation_result",
    sees_order & is_ordering_practice_gp & awaits_acknowledgement,
)
