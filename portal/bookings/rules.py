"""Who may manage slots and see or change bookings. Deny by default; views answer 404 otherwise.

- Slots and resources are managed by the owning organisation's staff (clinicians and
  secretaries who are members of it).
- A booking is seen, cancelled and rebooked by the booker's organisation and the owning
  organisation, nobody else. No predicate looks at ``is_superuser``: ``User.has_perm`` asks
  these rules for superusers too, so an administrator outside both organisations gets 404.
"""

import rules

from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES
from portal.accounts.selectors import memberships_for_user

from .models import Booking, Resource, Slot

STAFF_ROLES = CLINICIAN_ROLES | DISTRIBUTOR_ROLES


def staff_organisation_ids(user) -> set[int]:
    """Organisations the user acts for as clinician or secretary (no query: memberships are cached)."""
    if not user.is_authenticated:
        return set()
    return {m.organisation_id for m in memberships_for_user(user) if m.role in STAFF_ROLES}


def _owner_id(obj) -> int | None:
    if isinstance(obj, Resource):
        return obj.organisation_id
    if isinstance(obj, Slot):
        return obj.resource.organisation_id
    if isinstance(obj, Booking):
        return obj.slot.resource.organisation_id
    return None


@rules.predicate
def is_owner_staff(user, obj) -> bool:
    owner = _owner_id(obj)
    return owner is not None and owner in staff_organisation_ids(user)


@rules.predicate
def is_booker_staff(user, booking) -> bool:
    return isinstance(booking, Booking) and booking.organisation_id in staff_organisation_ids(user)


@rules.predicate
def can_book_for(user, organisation) -> bool:
    """Staff book for their own organisation only (``organisation`` is the booker's)."""
    return organisation is not None and getattr(organisation, "pk", None) in staff_organisation_ids(user)


@rules.predicate
def slot_is_bookable(user, slot) -> bool:
    return isinstance(slot, Slot) and slot.resource.is_active


rules.add_perm("bookings.manage_resource", is_owner_staff)
rules.add_perm("bookings.book_for_organisation", can_book_for)
rules.add_perm("bookings.view_booking", is_owner_staff | is_booker_staff)
# Who may; whether the booking can still be changed (not cancelled, not over) is the service's
# to say, in Danish, rather than a 404 for a double-submitted form.
rules.add_perm("bookings.cancel_booking", is_owner_staff | is_booker_staff)
rules.add_perm("bookings.rebook_booking", is_owner_staff | is_booker_staff)
