"""Reads cost a fixed number of queries whatever the number of slots and bookings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.bookings import selectors, services
from tests.accounts.login import verified_login

from .factories import slot, world

pytestmark = pytest.mark.django_db


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _add(w, n, start_hours):
    """n slots with a booking and a hold, a free seat left on every other one."""
    for i in range(n):
        s = slot(w, hours=start_hours + i, capacity=2 + i % 2)
        services.booking_create(slot=s, user=w.gp, organisation=w.practice)
        services.hold_place(slot=s, user=w.other_gp, organisation=w.other_practice)


def test_free_slots_and_my_bookings_cost_a_fixed_number_of_queries():
    w = world()
    _add(w, 2, 24)
    few = (
        _queries(lambda: selectors.free_slots(kind="subacute_outpatient")),
        _queries(lambda: selectors.bookings_for_user(w.gp)),
    )
    _add(w, 8, 48)
    many = (
        _queries(lambda: selectors.free_slots(kind="subacute_outpatient")),
        _queries(lambda: selectors.bookings_for_user(w.gp)),
    )
    assert few == many == (2, 1)  # free slots: the resources, then their slots with seats counted
    rows = selectors.resource_slots(
        w.resource, starts_after=slot(w, hours=1).starts_at, starts_before=slot(w, hours=500).starts_at
    )
    assert [(s.booked, s.held, s.remaining) for s in rows if s.booked][:2] == [(1, 1, 0), (1, 1, 1)]


def test_the_pages_cost_the_same_with_more_rows(client):
    w = world()
    _add(w, 2, 24)
    verified_login(client, w.specialist)
    urls = [reverse("bookings:resource", kwargs={"public_id": w.resource.public_id})]
    gp_client = client.__class__()
    verified_login(gp_client, w.gp)
    gp_urls = [reverse("bookings:mine"), reverse("bookings:free")]

    def count():
        return [_queries(lambda u=u: client.get(u)) for u in urls] + [
            _queries(lambda u=u: gp_client.get(u)) for u in gp_urls
        ]

    count()  # warm the sessions and the menus' cache
    before = count()
    _add(w, 8, 48)
    assert count() == before
    assert gp_client.get(reverse("bookings:free")).content.decode().count('samspil-free-slot"') == 5


def test_my_bookings_are_capped_at_a_page():
    w = world()
    for i in range(3):
        services.booking_create(slot=slot(w, hours=24 + i), user=w.gp, organisation=w.practice)
    rows = selectors.bookings_for_user(w.gp, limit=2)
    assert [b.slot.starts_at for b in rows] == sorted(b.slot.starts_at for b in rows)
    assert len(rows) == 2
