"""Double booking is impossible under concurrency: many bookers race for the last seats.

On PostgreSQL the bookers are threads, each with its own database connection, released
together by a barrier; the slot row lock serialises them and the per-seat unique constraint
stands behind it. SQLite's in-memory test database cannot serve concurrent writers, so there
the same bookers run one after another (the assertions are the same); CI runs PostgreSQL.
"""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.accounts.roles import Role
from portal.bookings import services
from portal.bookings.models import Booking, Hold
from tests.accounts.login import verified_login
from tests.concurrency import race

from .factories import member, slot, world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BOOKERS = 20


def test_twenty_bookers_racing_for_the_last_seat_give_exactly_one_booking():
    w = world()
    s = slot(w, capacity=3)
    services.booking_create(slot=s, user=w.gp, organisation=w.practice)
    services.booking_create(slot=s, user=w.gp_colleague, organisation=w.practice)
    bookers = [member(w.other_practice, Role.GP) for _ in range(BOOKERS)]

    def book(i):
        with translation.override("da"):
            try:
                services.booking_create(slot=s, user=bookers[i], organisation=w.other_practice)
                return "booked"
            except ValidationError as error:
                return error.messages[0]

    outcomes = Counter(race(book, BOOKERS))
    assert outcomes == {"booked": 1, "Tiden er netop booket af en anden. Vælg en anden tid.": BOOKERS - 1}
    assert Booking.objects.filter(slot=s, status="booked").count() == 3
    assert sorted(Booking.objects.filter(slot=s).values_list("seat", flat=True)) == [1, 2, 3]


def test_twenty_bookers_for_five_seats_through_holds_give_five_bookings():
    w = world()
    s = slot(w, capacity=5)
    bookers = [member(w.other_practice, Role.GP) for _ in range(BOOKERS)]

    def hold_and_confirm(i):
        try:
            hold = services.hold_place(slot=s, user=bookers[i], organisation=w.other_practice)
        except ValidationError:
            return "full"
        services.hold_confirm(hold=hold, user=bookers[i])
        return "booked"

    assert Counter(race(hold_and_confirm, BOOKERS)) == {"booked": 5, "full": BOOKERS - 5}
    assert Booking.objects.filter(slot=s, status="booked").count() == 5
    assert not Hold.objects.exists()


def test_twenty_clients_choosing_the_last_seat_over_http_give_one_hold_and_clean_danish_refusals():
    w = world()
    s = slot(w, capacity=1)
    bookers = [member(w.other_practice, Role.GP) for _ in range(BOOKERS)]
    clients = []
    for user in bookers:
        client = Client()
        verified_login(client, user)
        clients.append(client)
    url = reverse("bookings:hold_new", kwargs={"public_id": s.public_id})

    def choose(i):
        response = clients[i].post(url, {"organisation": w.other_practice.pk})
        if response.status_code == 302:
            confirm = clients[i].post(response["Location"], {"action": "confirm"})
            return ("booked", confirm.status_code)
        return (response.status_code, "netop booket af en anden" in response.content.decode())

    outcomes = Counter(race(choose, BOOKERS))
    assert outcomes == {("booked", 302): 1, (400, True): BOOKERS - 1}
    assert Booking.objects.filter(slot=s, status="booked").count() == 1
