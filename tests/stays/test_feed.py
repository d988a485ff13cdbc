"""The stays calendar subscription: a secret link per user that works without login, shows only
the user's own stays, stops working when renewed, and never opens another module's feed."""

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from portal.accounts import services as accounts_services
from portal.accounts.models import CalendarFeedToken
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .factories import member, need, offer, published, world

pytestmark = pytest.mark.django_db


def _feed_url(token: str) -> str:
    return reverse("stays:feed", kwargs={"token": token})


def _events(response) -> list:
    return [e for e in Calendar.from_ical(response.content).walk("VEVENT")]


def test_trainee_and_practice_subscribe_without_login_and_renewing_ends_the_old_link(client):
    w = world()
    stay = published(w, need(w), offer(w))
    other = published(
        w,
        need(w, trainee=member(w.department, "trainee")),
        offer(w, practice=w.second_practice, gp=w.second_gp),
    )
    for user in (w.trainee, w.gp):
        verified_login(client, user)
        assert client.post(reverse("stays:calendar_link")).status_code == 302
        page = client.get(reverse("stays:calendar_link")).content.decode()
        token = CalendarFeedToken.objects.get(user=user, feed="stays").token
        assert _feed_url(token) in page
        response = Client().get(_feed_url(token))  # a calendar program: no session
        assert response.status_code == 200 and response["Referrer-Policy"] == "no-referrer"
        events = _events(response)
        assert [str(e["UID"]) for e in events] == [f"{stay.public_id}@ophold.samspil.dk"]
        assert str(other.public_id) not in response.content.decode()
        assert "cpr" not in response.content.decode().lower()
        client.post(reverse("stays:calendar_link"), {"action": "renew"})
        assert Client().get(_feed_url(token)).status_code == 404
        renewed = CalendarFeedToken.objects.get(user=user, feed="stays").token
        assert renewed != token and Client().get(_feed_url(renewed)).status_code == 200


def test_unknown_foreign_and_inactive_tokens_are_404(client):
    w = world()
    published(w, need(w), offer(w))
    bookings = accounts_services.calendar_feed_token_get_or_create(user=w.trainee, feed="bookings")
    assert Client().get(_feed_url(bookings.token)).status_code == 404
    assert Client().get(_feed_url("x" * 43)).status_code == 404
    stays = accounts_services.calendar_feed_token_get_or_create(user=w.trainee, feed="stays")
    w.trainee.is_active = False
    w.trainee.save()
    assert Client().get(_feed_url(stays.token)).status_code == 404


def test_only_trainees_and_gps_get_a_link():
    w = world()
    for user, expected in (
        (w.trainee, 200),
        (w.gp, 200),
        (w.coordinator, 404),
        (UserFactory(), 404),
        (UserFactory(is_superuser=True, is_staff=True), 404),
    ):
        client = Client()
        verified_login(client, user)
        assert client.get(reverse("stays:calendar_link")).status_code == expected
        assert client.post(reverse("stays:calendar_link")).status_code == (302 if expected == 200 else 404)
    assert set(CalendarFeedToken.objects.values_list("user_id", flat=True)) == {w.trainee.pk, w.gp.pk}
