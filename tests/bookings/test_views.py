"""The booking pages: the owner publishes and sees bookings, the booker chooses, holds, confirms,
cancels and downloads the .ics; hostile input is a Danish 400 with nothing saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portal.bookings import services
from portal.bookings.models import Booking, Hold, Resource, Slot
from tests.accounts.login import verified_login

from .factories import future, slot, world

pytestmark = pytest.mark.django_db


def login(client, user):
    verified_login(client, user)
    return client


def resource_url(w, name="resource"):
    return reverse(f"bookings:{name}", kwargs={"public_id": w.resource.public_id})


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_owner_publishes_a_slot_and_sees_it_with_its_bookings(client):
    w = world()
    login(client, w.secretary)
    starts = future(30)
    response = client.post(
        resource_url(w, "slot_new"),
        {"starts_at": local(starts), "ends_at": local(starts + timedelta(minutes=45)), "capacity": 2},
    )
    assert response.status_code == 302
    s = Slot.objects.get()
    assert (s.capacity, s.ends_at - s.starts_at, s.created_by) == (2, timedelta(minutes=45), w.secretary)
    services.booking_create(slot=s, user=w.gp, organisation=w.practice)
    page = client.get(resource_url(w)).content.decode()
    assert "samspil-owner-slot" in page and str(w.practice) in page and "Booket" in page


def test_the_owner_publishes_a_series(client):
    w = world()
    login(client, w.specialist)
    first = timezone.localdate() + timedelta(days=7)
    response = client.post(
        resource_url(w, "series_new"),
        {
            "first_day": first.isoformat(),
            "last_day": (first + timedelta(days=6)).isoformat(),
            "day_start": "08:00",
            "day_end": "09:00",
            "slot_minutes": 30,
            "capacity": 1,
        },
    )
    assert response.status_code == 302
    assert 0 < Slot.objects.count() <= 10
    assert Slot.objects.count() % 2 == 0


HOSTILE_SLOTS = [
    ({"ends_at_minutes": -30}, "Tiden skal slutte efter, at den begynder."),
    ({"capacity": 0}, "Denne værdi skal være større end eller lig 1."),
    ({"capacity": 10**9}, "Denne værdi skal være mindre end eller lig 100."),
    ({"hours": -2}, "En tid offentliggøres på forhånd: starttidspunktet er passeret."),
    ({"starts_at": "x" * 100_000}, "Indtast gyldig dato/tid."),
]


@pytest.mark.parametrize(("change", "message"), HOSTILE_SLOTS)
def test_hostile_slot_input_is_a_danish_400_and_saves_nothing(client, change, message):
    w = world()
    login(client, w.specialist)
    starts = future(change.get("hours", 24))
    data = {
        "starts_at": change.get("starts_at", local(starts)),
        "ends_at": local(starts + timedelta(minutes=change.get("ends_at_minutes", 30))),
        "capacity": change.get("capacity", 1),
    }
    response = client.post(resource_url(w, "slot_new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Slot.objects.exists()


def test_hostile_series_and_resource_input_is_a_danish_400(client):
    w = world()
    login(client, w.specialist)
    today = timezone.localdate()
    response = client.post(
        resource_url(w, "series_new"),
        {
            "first_day": today.isoformat(),
            "last_day": (today + timedelta(days=3650)).isoformat(),
            "day_start": "08:00",
            "day_end": "16:00",
            "slot_minutes": 5,
            "capacity": 1,
        },
    )
    assert response.status_code == 400
    assert "En serie kan højst strække sig over et halvt år." in response.content.decode()
    response = client.post(reverse("bookings:resources"), {"kind": "nonsense", "name": "y" * 5000})
    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    assert Slot.objects.count() == 0 and Resource.objects.count() == 1


def test_unknown_ids_are_404_and_a_foreign_organisation_in_the_form_is_a_400(client):
    w = world()
    s = slot(w)
    login(client, w.gp)
    assert client.get("/tider/booking/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/tider/booking/123/").status_code == 404
    assert client.post("/tider/tid/00000000-0000-0000-0000-000000000000/reserver/").status_code == 404
    url = reverse("bookings:hold_new", kwargs={"public_id": s.public_id})
    for organisation in (w.other_practice.pk, "abc", 10**12):
        response = client.post(url, {"organisation": organisation})
        assert response.status_code == 400
        assert "Vælg en af dine egne organisationer." in response.content.decode()
    assert not Hold.objects.exists()


def test_the_booker_chooses_holds_confirms_and_sees_the_booking(client):
    w = world()
    s = slot(w)
    login(client, w.gp)
    page = client.get(reverse("bookings:free")).content.decode()
    assert "Subakut tid" in page and str(s.public_id) in page
    response = client.post(
        reverse("bookings:hold_new", kwargs={"public_id": s.public_id}), {"organisation": w.practice.pk}
    )
    assert response.status_code == 302
    hold_page = client.get(response["Location"]).content.decode()
    assert "Tiden holdes til dig indtil" in hold_page
    confirmed = client.post(response["Location"], {"action": "confirm"})
    booking = Booking.objects.get()
    assert confirmed["Location"] == reverse("bookings:booking", kwargs={"public_id": booking.public_id})
    assert "Subakut tid" in client.get(reverse("bookings:mine")).content.decode()
    # The slot is full now: it is no longer offered.
    assert str(s.public_id) not in client.get(reverse("bookings:free")).content.decode()


def test_an_expired_hold_is_refused_in_danish(client):
    w = world()
    hold = services.hold_place(
        slot=slot(w), user=w.gp, organisation=w.practice, now=timezone.now() - timedelta(minutes=11)
    )
    login(client, w.gp)
    url = reverse("bookings:hold", kwargs={"public_id": hold.public_id})
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 400
    assert "Din reservation er udløbet. Vælg tiden igen." in response.content.decode()
    assert not Booking.objects.exists()
    login(client, w.gp_colleague)
    assert client.get(url).status_code == 404


def test_cancel_needs_a_reason_and_the_owner_sees_it(client):
    w = world()
    booking = services.booking_create(slot=slot(w), user=w.gp, organisation=w.practice)
    login(client, w.gp)
    url = reverse("bookings:cancel", kwargs={"public_id": booking.public_id})
    response = client.post(url, {"reason": "  "})
    assert (
        response.status_code == 400 and "Skriv en begrundelse for aflysningen." in response.content.decode()
    )
    response = client.post(url, {"reason": "x" * 501})
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.status == "booked"
    assert client.post(url, {"reason": "Patienten er indlagt"}).status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancellation_reason) == ("cancelled", "Patienten er indlagt")
    response = client.post(url, {"reason": "Igen"})
    assert response.status_code == 400 and "Bookingen er allerede aflyst." in response.content.decode()
    login(client, w.secretary)
    page = client.get(reverse("bookings:booking", kwargs={"public_id": booking.public_id})).content.decode()
    assert "Patienten er indlagt" in page


def test_the_ics_of_a_booking_has_the_time_and_place_and_no_patient_data(client):
    w = world()
    s = slot(w)
    booking = services.booking_create(slot=s, user=w.gp, organisation=w.practice)
    login(client, w.gp)
    response = client.get(reverse("bookings:booking_ics", kwargs={"public_id": booking.public_id}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["uid"]) == f"{booking.public_id}@booking.samspil.dk"
    assert event.decoded("dtstart") == s.starts_at and event.decoded("dtend") == s.ends_at
    assert str(event["location"]) == "Indgang J"
    assert str(event["summary"]) == "Subakut ambulant tid: Subakut tid"
    text = response.content.decode()
    assert "Hanne" not in text  # not even the booker's name, let alone a patient's
    login(client, w.other_gp)
    assert (
        client.get(reverse("bookings:booking_ics", kwargs={"public_id": booking.public_id})).status_code
        == 404
    )


def test_the_calendar_feed_is_found_by_token_only_and_shows_cancellations(client):
    w = world()
    kept = services.booking_create(slot=slot(w), user=w.gp, organisation=w.practice)
    cancelled = services.booking_create(slot=slot(w, hours=30), user=w.gp, organisation=w.practice)
    services.booking_cancel(booking=cancelled, actor=w.specialist, reason="Lægen er syg")
    services.booking_create(slot=slot(w, hours=40), user=w.gp_colleague, organisation=w.practice)
    login(client, w.gp)
    client.post(reverse("bookings:calendar_links"))
    page = client.get(reverse("bookings:calendar_links")).content.decode()
    token = services.calendar_token_get_or_create(user=w.gp).token
    url = reverse("bookings:feed", kwargs={"token": token})
    assert url in page
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and response["Referrer-Policy"] == "no-referrer"
    events = {str(e["uid"]).split("@")[0]: e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert set(events) == {str(kept.public_id), str(cancelled.public_id)}
    assert str(events[str(cancelled.public_id)]["status"]) == "CANCELLED"
    assert client.get(reverse("bookings:feed", kwargs={"token": "wrong"})).status_code == 404
    services.calendar_token_renew(user=w.gp)
    assert client.get(url).status_code == 404
