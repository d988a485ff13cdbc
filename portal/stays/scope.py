"""Who a user is in the focused stays, read once per request from their memberships.

Rules are evaluated for every row and button of a page, so these helpers cost no query
beyond the memberships (cached by ``portal.accounts.selectors``) and, for coordinators, one
query for their named regions, cached on the user object like the memberships.
"""

from portal.accounts.roles import Role
from portal.accounts.selectors import memberships_for_user

from .models import RegionCoordinator

_REGIONS_ATTRIBUTE = "_stays_coordinator_regions"


def coordinator_region_ids(user) -> frozenset[int]:
    """The regions a training coordinator plans stays for: those named for them and, for a
    coordinator in a hospital or department, that organisation's region."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _REGIONS_ATTRIBUTE, None)
    if cached is not None:
        return cached
    memberships = [m for m in memberships_for_user(user) if m.role == Role.TRAINING_COORDINATOR]
    regions: set[int] = set()
    if memberships:
        regions.update(RegionCoordinator.objects.filter(user=user).values_list("region_id", flat=True))
        for membership in memberships:
            area = _area_of(membership.organisation)
            if area is not None:
                regions.add(area.region_id)
    cached = frozenset(regions)
    setattr(user, _REGIONS_ATTRIBUTE, cached)
    return cached


def _area_of(organisation):
    # A department lies in its hospital's area; the secretariat lies in none.
    if organisation.health_council_area_id:
        return organisation.health_council_area
    if organisation.parent_id:
        return organisation.parent.health_council_area
    return None


def gp_practice_ids(user) -> frozenset[int]:
    """The practices in which the user is a GP: the practices whose offers and stays they see."""
    return frozenset(m.organisation_id for m in memberships_for_user(user) if m.role == Role.GP)


def trainee_departments(user) -> list:
    """The departments in which the user is a trainee, each once."""
    seen, result = set(), []
    for m in memberships_for_user(user):
        if m.role == Role.TRAINEE and m.organisation_id not in seen:
            seen.add(m.organisation_id)
            result.append(m.organisation)
    return result


def is_trainee(user) -> bool:
    return any(m.role == Role.TRAINEE for m in memberships_for_user(user))


def region_of(organisation):
    area = _area_of(organisation)
    return area.region if area is not None else None
