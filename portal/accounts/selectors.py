"""Reads of people and organisations that every login module shares.

Memberships are read once per request and cached on the user object: rules are
evaluated many times per page (every row of an inbox, every button), and each
evaluation must not cost a query.
"""

from collections.abc import Iterable

from .models import CalendarFeedToken, Membership, Organisation, User
from .roles import CLINICIAN_ROLES

_CACHE_ATTRIBUTE = "_accounts_memberships"


def memberships_for_user(user) -> list[Membership]:
    """The user's memberships with their organisations; one query per request, then cached."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def user_has_role_in(user, organisation_id: int | None, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` in the organisation with ``organisation_id``."""
    roles = frozenset(roles)
    return organisation_id is not None and any(
        m.organisation_id == organisation_id and m.role in roles for m in memberships_for_user(user)
    )


def user_is_clinician(user) -> bool:
    return any(m.role in CLINICIAN_ROLES for m in memberships_for_user(user))


def user_clinician_organisations(user) -> list[Organisation]:
    """The practices and departments the user acts for as a clinician, each once."""
    seen, result = set(), []
    for membership in memberships_for_user(user):
        if membership.role in CLINICIAN_ROLES and membership.organisation_id not in seen:
            seen.add(membership.organisation_id)
            result.append(membership.organisation)
    return result


def calendar_feed_user(*, token: str, feed: str) -> User | None:
    """The active user a calendar link of this feed belongs to, or None (a token of another
    feed opens nothing here)."""
    if not token:
        return None
    found = (
        CalendarFeedToken.objects.filter(token=token, feed=feed, user__is_active=True)
        .select_related("user")
        .first()
    )
    return found.user if found else None


def calendar_feed_token_of(*, user: User, feed: str) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, feed=feed).first()
