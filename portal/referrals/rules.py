"""Who may see and act on a referral. Deny by default; views answer 404 otherwise.

Who sees a referral: the members of the referring practice, of the current destination
(the department, clinic or central visitation deciding it) and of the organisation that
holds the treatment responsibility. A department that re-routed a referral loses sight of
it, as a re-routed correspondence thread does (the patient's data goes where the patient
goes), unless it still holds the treatment responsibility: then it keeps seeing it until
the new holder acknowledges the handover. Nobody else sees it, whatever their role:
administrators included. No predicate here looks at ``is_superuser``, and
``User.has_perm`` asks these rules for superusers too.

Who acts: clinicians of the destination decide; clinicians (GPs) of the practice refer and
press the veto; a handover is proposed by a clinician of the holder and acknowledged by a
clinician of the receiving organisation. The services check the state rules again.
"""

import rules

from portal.accounts.roles import CLINICIAN_ROLES, Role
from portal.accounts.selectors import memberships_for_user, user_has_role_in

from .models import Referral


def member_of(user, organisation_id: int | None) -> bool:
    return organisation_id is not None and any(
        m.organisation_id == organisation_id for m in memberships_for_user(user)
    )


def can_see(user, referral) -> bool:
    if not isinstance(referral, Referral) or not user.is_authenticated:
        return False
    return any(
        member_of(user, org_id)
        for org_id in (referral.practice_id, referral.destination_id, referral.responsible_organisation_id)
    )


@rules.predicate
def can_see_referral(user, referral) -> bool:
    return can_see(user, referral)


@rules.predicate
def is_destination_clinician(user, referral) -> bool:
    return isinstance(referral, Referral) and user_has_role_in(user, referral.destination_id, CLINICIAN_ROLES)


@rules.predicate
def is_practice_gp(user, referral) -> bool:
    return isinstance(referral, Referral) and user_has_role_in(user, referral.practice_id, {Role.GP})


@rules.predicate
def referral_is_open(user, referral) -> bool:
    return isinstance(referral, Referral) and referral.is_open


@rules.predicate
def referral_not_vetoed(user, referral) -> bool:
    # Once pressed, a veto binds for the rest of the referral's life, whatever state follows.
    return isinstance(referral, Referral) and referral.vetoed_at is None


@rules.predicate
def is_responsible_clinician(user, referral) -> bool:
    return isinstance(referral, Referral) and user_has_role_in(
        user, referral.responsible_organisation_id, CLINICIAN_ROLES
    )


@rules.predicate
def is_gp_anywhere(user) -> bool:
    return user.is_authenticated and any(m.role == Role.GP for m in memberships_for_user(user))


rules.add_perm("referrals.add_referral", is_gp_anywhere)
rules.add_perm("referrals.view_referral", can_see_referral)
rules.add_perm("referrals.decide_referral", can_see_referral & is_destination_clinician & referral_is_open)
# Re-route and return are what a veto takes away from the receiving side.
rules.add_perm(
    "referrals.redirect_referral",
    can_see_referral & is_destination_clinician & referral_is_open & referral_not_vetoed,
)
rules.add_perm("referrals.veto_referral", can_see_referral & is_practice_gp & referral_not_vetoed)
rules.add_perm("referrals.propose_handover", can_see_referral & is_responsible_clinician)

# The investigation orders' and palliative handovers' rules register themselves when imported
# (autodiscovery loads this module).
from . import coordinator_rules, diagnostics_rules, palliative_rules  # noqa: E402, F401
