"""Focused stays on Mit overblik and in the header badge: stays awaiting my confirmation, and
for a coordinator the needs awaiting a practice per region."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.stays import services
from tests.accounts.factories import PracticeFactory, UserFactory
from tests.accounts.login import verified_login

from .factories import member, need, offer, published, world

pytestmark = pytest.mark.django_db


def _section(html: str) -> str:
    start = html.index('id="overblik-ophold"')
    return html[start : html.index("\n</div>", start)]


def test_a_published_stay_awaits_both_sides_until_each_confirms(client):
    w = world()
    stay = published(w, need(w), offer(w))
    for user, side in ((w.gp, "practice"), (w.trainee, "trainee")):
        verified_login(client, user)
        section = _section(client.get("/overblik/").content.decode())
        assert w.practice.name in section and "(1)" in section
        assert client.get("/overblik/antal/").json()["count"] == 1
        services.assignment_confirm(actor=user, assignment=stay, side=side)
        assert client.get("/overblik/antal/").json()["count"] == 0
    verified_login(client, w.second_gp)
    assert 'id="overblik-ophold"' not in client.get("/overblik/").content.decode()


def test_the_coordinator_sees_the_needs_awaiting_a_practice_per_region(client):
    w = world()
    need(w)
    need(w, trainee=member(w.department, "trainee"))
    verified_login(client, w.coordinator)
    section = _section(client.get("/overblik/").content.decode())
    assert w.region.name in section and "(2)" in section
    verified_login(client, UserFactory())
    assert 'id="overblik-ophold"' not in client.get("/overblik/").content.decode()


def test_the_same_queries_for_one_or_many_stays_awaiting(client):
    w = world()
    published(w, need(w), offer(w))
    verified_login(client, w.trainee)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/overblik/")
        return len(captured)

    queries()
    one = queries()
    for _ in range(7):
        practice = PracticeFactory(health_council_area=w.area)
        published(w, need(w), offer(w, practice=practice, gp=member(practice, "gp")))
    assert queries() == one
