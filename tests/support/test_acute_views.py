"""The acute slot pages: the acute reception sends a red or yellow note from the free acute
times, the practice sees why the patient comes and books a yellow note's time; hostile input is
a Danish 400 with nothing saved; a note page is logged; the lists cost constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AccessLogEntry
from portal.bookings.models import Booking
from portal.bookings.services import slot_publish
from portal.patients.models import PatientReference
from portal.support.models import AcuteSlotNote
from tests.accounts.login import verified_login

from .factories import REASON, note, world

pytestmark = pytest.mark.django_db

NEW = reverse("support:acute_note_new")


def _post(client, w, **fields):
    data = {
        "department": w.acute.pk,
        "cpr": "070761-4285",
        "colour": "red",
        "reason": REASON,
        "slot": str(w.slots[0].public_id),
        "client_token": "5b0b9b0e-4c5c-4a4e-9a57-9a1f3f6d2a11",
    }
    return client.post(NEW, data | fields)


def test_the_acute_secretary_books_a_red_note_and_the_practice_sees_why_the_patient_comes(client):
    w = world()
    verified_login(client, w.acute_secretary)
    form = client.get(NEW).content.decode()
    assert str(w.slots[0].public_id) in form and "Lægerne i Trøjborg" in form
    response = _post(client, w)
    made = AcuteSlotNote.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "support:acute_note", args=[made.public_id]
    )
    assert made.booking.is_active
    assert "0707614285" not in response.url
    verified_login(client, w.practice_secretary)
    listing = client.get(reverse("support:home")).content.decode()
    assert "Faldet hjemme. CRP 45 &lt;ingen feber&gt;" in listing  # escaped, never stripped
    page = client.get(response.url).content.decode()
    assert "070761-XXXX" in page and "0707614285" not in page and "070761-4285" not in page
    assert "Faldet hjemme. CRP 45 &lt;ingen feber&gt;. Ses i morgen: sår &amp; smerter?" in page
    assert "Booket" in page
    assert (
        AccessLogEntry.objects.filter(
            action="view", object_type="support.acuteslotnote", actor=w.practice_secretary
        ).count()
        == 1
    )


def test_submitting_twice_gives_one_note(client):
    w = world()
    verified_login(client, w.acute_secretary)
    assert _post(client, w).status_code == 302
    assert _post(client, w, slot=str(w.slots[1].public_id)).status_code == 302
    assert AcuteSlotNote.objects.count() == 1 and Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "Dette felt er påkrævet"),
        ({"reason": "x" * 1001}, "1000"),
        ({"cpr": "32130012"}, "CPR"),
        ({"colour": "blue"}, "gyldig"),
        ({"slot": "not-a-slot"}, "Vælg en af praksissernes ledige akuttider"),
        ({"department": "999999"}, "gyldig"),
        ({"department": "abc"}, "gyldig"),
    ],
)
def test_bad_input_is_a_danish_400_with_nothing_saved(client, fields, message):
    w = world()
    verified_login(client, w.acute_secretary)
    response = _post(client, w, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AcuteSlotNote.objects.exists() and not Booking.objects.exists()
    assert not PatientReference.objects.exists()


def test_a_time_taken_meanwhile_is_a_danish_400_and_the_form_shows_the_times_still_free(client):
    w = world(slots=2)
    note(w, slot=w.slots[0])
    verified_login(client, w.acute_secretary)
    response = _post(client, w, client_token="")
    page = response.content.decode()
    assert response.status_code == 400 and "netop booket af en anden" in page
    assert str(w.slots[1].public_id) in page and str(w.slots[0].public_id) not in page
    assert AcuteSlotNote.objects.count() == 1


def test_the_practice_books_a_yellow_note_when_the_patient_calls(client):
    w = world()
    made = note(w, colour="yellow")
    verified_login(client, w.gp)
    url = reverse("support:acute_note", args=[made.public_id])
    assert "Patienten har ringet: book den foreslåede tid" in client.get(url).content.decode()
    response = client.post(reverse("support:acute_note_book", args=[made.public_id]))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.booking.organisation == w.practice
    again = client.post(reverse("support:acute_note_book", args=[made.public_id]), follow=True)
    assert "Tiden er allerede booket" in again.content.decode()  # a double submit, said calmly
    assert Booking.objects.count() == 1


def test_who_reaches_the_form_and_the_overview(client):
    w = world()
    verified_login(client, w.gp)
    assert client.get(NEW).status_code == 404
    assert client.get(reverse("support:home")).status_code == 200
    verified_login(client, w.acute_doctor)
    assert client.get(NEW).status_code == 200


def test_a_day_with_no_free_acute_time_says_so(client):
    w = world(slots=0)
    verified_login(client, w.acute_secretary)
    assert "Ingen praksis har en ledig akuttid" in client.get(NEW).content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["practice_secretary", "acute_secretary"])
def test_the_overview_and_the_form_cost_constant_queries(client, who):
    w = world(slots=25)
    note(w)
    verified_login(client, getattr(w, who))
    urls = [reverse("support:home")] + ([NEW] if who == "acute_secretary" else [])
    for url in urls:
        client.get(url)  # the session's first request sets it up
    before = {url: _count(client, url) for url in urls}
    for _ in range(15):
        note(w, colour="yellow")
    start = timezone.now() + timedelta(hours=20)
    slot_publish(actor=w.gp, resource=w.resource, starts_at=start, ends_at=start + timedelta(minutes=10))
    assert {url: _count(client, url) for url in urls} == before
