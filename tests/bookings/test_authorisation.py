"""Bookings and resources in the authorisation matrix, by rule and over HTTP.

A booking is for the booker's organisation and the owning organisation; a resource's slots are
managed by the owner's staff. Everyone else gets 404: another practice, another department,
someone with no membership, and a superuser.
"""

import pytest
from django.test import Client
from django.urls import reverse

from portal.bookings import services
from tests.accounts.factories import UserFactory
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .factories import slot, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def arranged():
    w = world()
    active = services.booking_create(slot=slot(w), user=w.gp, organisation=w.practice)
    cancelled = services.booking_create(slot=slot(w, hours=30), user=w.gp_colleague, organisation=w.practice)
    services.booking_cancel(booking=cancelled, actor=w.gp_colleague, reason="Ikke nødvendig")
    users = {
        "gp": w.gp,
        "gp_colleague": w.gp_colleague,
        "other_gp": w.other_gp,
        "specialist": w.specialist,
        "secretary": w.secretary,
        "other_specialist": w.other_specialist,
        "no_membership": UserFactory(),
    }
    return w, users, {"active": active, "cancelled": cancelled}


BOOKING_SEERS = {"gp", "gp_colleague", "specialist", "secretary"}


def booking_url(booking):
    return reverse("bookings:booking", kwargs={"public_id": booking.public_id})


def test_bookings_by_rule_and_over_http(arranged):
    _w, users, bookings = arranged
    allowed = {
        (role, name, action)
        for role in BOOKING_SEERS
        for name in bookings
        for action in ("view", "cancel", "rebook", "open", "ics")
    }
    cells = assert_authorisation_matrix(
        users=users,
        objects=bookings,
        actions={
            "view": perm("bookings.view_booking"),
            "cancel": perm("bookings.cancel_booking"),
            "rebook": perm("bookings.rebook_booking"),
            "open": http_ok(Client, booking_url),
            "ics": http_ok(
                Client, lambda b: reverse("bookings:booking_ics", kwargs={"public_id": b.public_id})
            ),
        },
        allowed=allowed,
    )
    assert cells == 8 * 2 * 5


def test_resources_by_rule_and_over_http(arranged):
    w, users, _bookings = arranged
    other = services.resource_create(
        actor=w.other_specialist, organisation=w.other_department, kind="investigation", name="Holter"
    )
    objects = {"resource": w.resource, "other_resource": other}
    allowed = {
        (role, "resource", action) for role in ("specialist", "secretary") for action in ("manage", "open")
    }
    allowed |= {("other_specialist", "other_resource", action) for action in ("manage", "open")}
    assert_authorisation_matrix(
        users=users,
        objects=objects,
        actions={
            "manage": perm("bookings.manage_resource"),
            "open": http_ok(
                Client, lambda r: reverse("bookings:resource", kwargs={"public_id": r.public_id})
            ),
        },
        allowed=allowed,
    )


def test_a_superuser_cannot_cancel_or_publish_through_the_services(arranged):
    from django.core.exceptions import PermissionDenied

    w, _users, bookings = arranged
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=bookings["active"], actor=admin, reason="Fordi")
    with pytest.raises(PermissionDenied):
        services.slot_publish(
            actor=admin,
            resource=w.resource,
            starts_at=bookings["active"].slot.starts_at.replace(year=2099),
            ends_at=bookings["active"].slot.ends_at.replace(year=2099),
        )
