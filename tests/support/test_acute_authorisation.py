"""Acute slot notes in the authorisation matrix, by rule and over HTTP.

The acute reception's staff and the practice's GPs and secretaries see a note; the practice's
staff book a yellow note's time. Everyone else gets 404: another practice, another department,
a superuser, a user without a membership.
"""

import pytest
from django.test import Client
from django.urls import reverse

from portal.bookings.models import Booking
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.authz import assert_authorisation_matrix, http_ok, perm

from .factories import note, with_other_specialist, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def arranged():
    w = with_other_specialist(world())
    users = {
        "acute_doctor": w.acute_doctor,
        "acute_secretary": w.acute_secretary,
        "gp": w.gp,
        "practice_secretary": w.practice_secretary,
        "other_gp": w.other_gp,
        "other_specialist": w.other_specialist,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "no_membership": UserFactory(),
    }
    return w, users, {"red": note(w, colour="red"), "yellow": note(w, colour="yellow")}


VIEWERS = {"acute_doctor", "acute_secretary", "gp", "practice_secretary"}


def test_the_matrix_by_rule(arranged):
    _w, users, objects = arranged
    allowed = {(r, name, "view") for r in VIEWERS for name in objects}
    allowed |= {(r, "yellow", "book") for r in ("gp", "practice_secretary")}
    actions = {"view": perm("support.view_acuteslotnote"), "book": perm("support.book_acuteslotnote")}
    assert assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed) == 32


def test_the_matrix_over_http(arranged):
    _w, users, objects = arranged
    allowed = {(r, name, "page") for r in VIEWERS for name in objects}
    actions = {
        "page": http_ok(Client, lambda o: reverse("support:acute_note", kwargs={"public_id": o.public_id}))
    }
    assert_authorisation_matrix(users=users, objects=objects, actions=actions, allowed=allowed)


def test_posts_outside_ones_reach_are_404_and_change_nothing(arranged, client):
    _w, users, objects = arranged
    for name in ("other_gp", "other_specialist", "superuser", "acute_doctor", "acute_secretary"):
        verified_login(client, users[name])
        for o in objects.values():
            assert client.post(reverse("support:acute_note_book", args=[o.public_id])).status_code == 404
    assert Booking.objects.count() == 1


def test_the_overview_shows_only_ones_own_notes(arranged, client):
    _w, users, _objects = arranged
    verified_login(client, users["other_gp"])
    assert "Faldet hjemme" not in client.get(reverse("support:home")).content.decode()
    verified_login(client, users["other_specialist"])
    assert "Faldet hjemme" not in client.get(reverse("support:home")).content.decode()
    for name in ("superuser", "no_membership"):
        verified_login(client, users[name])
        assert client.get(reverse("support:home")).status_code == 404
        assert client.get(reverse("support:acute_note_new")).status_code == 404
