"""Which of the portal's modules a user works in, by the roles she holds.

The header, Mit overblik and the badge show a module only to those it is for: a training
coordinator has no use for a practice's referral list, an editor none for the correspondence
inbox. The object rules still decide every read; this only decides what is offered.
"""

from django.utils.functional import SimpleLazyObject

from .roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES, Role
from .selectors import memberships_for_user

CORRESPONDENCE, CONFERENCES, REFERRALS, BOOKINGS = "correspondence", "conferences", "referrals", "bookings"
STAYS, SUPPORT, OUTREACH = "stays", "support", "outreach"

MODULE_ROLES: dict[str, frozenset[str]] = {
    CORRESPONDENCE: CLINICIAN_ROLES | DISTRIBUTOR_ROLES,  # secretaries distribute the inbox
    CONFERENCES: CLINICIAN_ROLES,
    REFERRALS: CLINICIAN_ROLES | DISTRIBUTOR_ROLES,  # secretaries visitate and re-route
    BOOKINGS: CLINICIAN_ROLES | DISTRIBUTOR_ROLES,  # secretaries publish and book times
    # Trainees ask for a stay, GPs' practices host one, coordinators match them.
    STAYS: frozenset({Role.TRAINEE, Role.GP, Role.TRAINING_COORDINATOR}),
    # Practices receive acute slot notes; acute receptions (clinicians, secretaries) send them.
    SUPPORT: CLINICIAN_ROLES | DISTRIBUTOR_ROLES,
    # Clinicians order the hospital's outreach services, their staff (clinicians and secretaries)
    # receive the orders. The equal-access report's readers (administrators, practice consultants)
    # reach it from the public directory: it is not work waiting for them.
    OUTREACH: CLINICIAN_ROLES | DISTRIBUTOR_ROLES,
}


def user_modules(user) -> frozenset[str]:
    """The modules the user's roles work in; none for a visitor or a user without roles."""
    roles = {m.role for m in memberships_for_user(user)}
    return frozenset(module for module, allowed in MODULE_ROLES.items() if roles & allowed)


def modules(request) -> dict:
    """Context processor: ``modules``, read only when a template asks (the memberships are
    cached on the user for the request)."""
    return {"modules": SimpleLazyObject(lambda: user_modules(request.user))}
