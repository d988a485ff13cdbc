"""Who may see and accept a palliative handover. Deny by default; views answer 404 otherwise.

Seen by the proposing department's staff and the receiving practice's GPs and secretaries;
nobody else, superusers included (no predicate looks at ``is_superuser``). A GP of the
practice accepts it while it is open.
"""

import rules

from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES
from portal.accounts.selectors import user_has_role_in

from .models import ResponsibilityHandover

STAFF_ROLES = CLINICIAN_ROLES | DISTRIBUTOR_ROLES


def _palliative(handover) -> bool:
    return (
        isinstance(handover, ResponsibilityHandover)
        and handover.kind == ResponsibilityHandover.Kind.PALLIATIVE
    )


def can_see_palliative(user, handover) -> bool:
    if not _palliative(handover) or not user.is_authenticated:
        return False
    return user_has_role_in(user, handover.from_organisation_id, STAFF_ROLES) or user_has_role_in(
        user, handover.to_organisation_id, STAFF_ROLES
    )


@rules.predicate
def sees_palliative(user, handover) -> bool:
    return can_see_palliative(user, handover)


@rules.predicate
def is_receiving_clinician(user, handover) -> bool:
    return _palliative(handover) and user_has_role_in(user, handover.to_organisation_id, CLINICIAN_ROLES)


@rules.predicate
def palliative_is_open(user, handover) -> bool:
    return _palliative(handover) and handover.is_open


rules.add_perm("referrals.view_palliative_handover", sees_palliative)
rules.add_perm(
    "referrals.accept_palliative_handover", sees_palliative & is_receiving_clinician & palliative_is_open
)
