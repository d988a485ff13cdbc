"""Calendars of one's own stays (.ics) and the coordinator's CSV and XLSX of the region's stays."""

import io

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from portal.stays import services
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .factories import member, need, offer, proposal, published, world

pytestmark = pytest.mark.django_db


def _events(response) -> list:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return [c for c in Calendar.from_ical(response.content).walk("VEVENT")]


def test_each_side_downloads_its_own_stays_and_a_declined_one_is_cancelled(client):
    w = world()
    stay = published(w, need(w), offer(w))
    proposal(w, need(w), offer(w, practice=w.second_practice, gp=w.second_gp))  # a draft: in no calendar
    for user in (w.trainee, w.gp):
        verified_login(client, user)
        events = _events(client.get(reverse("stays:my_calendar")))
        assert [str(e["uid"]) for e in events] == [f"{stay.public_id}@ophold.samspil.dk"]
        assert "Fokuseret ophold" in str(events[0]["summary"]) and str(events[0]["status"]) == "CONFIRMED"
        assert events[0].decoded("dtstart").date() == stay.starts_on
    verified_login(client, w.second_gp)
    assert _events(client.get(reverse("stays:my_calendar"))) == []
    assert client.get(reverse("stays:stay_calendar", kwargs={"public_id": stay.public_id})).status_code == 404
    services.assignment_decline(actor=w.trainee, assignment=stay, side="trainee", reason="Syg")
    verified_login(client, w.gp)
    (event,) = _events(client.get(reverse("stays:stay_calendar", kwargs={"public_id": stay.public_id})))
    assert str(event["status"]) == "CANCELLED"


def test_the_coordinator_exports_the_region_and_formulas_stay_text(client):
    w = world()
    trainee = member(w.department, "trainee", first_name='=HYPERLINK("x")', last_name="Ø")
    published(w, need(w, trainee=trainee), offer(w))
    verified_login(client, w.coordinator)
    response = client.get(reverse("stays:export_csv", kwargs={"region": w.region.slug}))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffUddannelseslæge;Speciale;")
    assert "'=HYPERLINK" in text and "Pædiatri" in text
    response = client.get(reverse("stays:export_xlsx", kwargs={"region": w.region.slug}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Uddannelseslæge" and len(rows) == 2
    assert rows[1][0].startswith("'=HYPERLINK") and rows[1][3] == w.practice.name
    for user in (w.other_coordinator, w.gp, w.trainee, UserFactory(is_superuser=True, is_staff=True)):
        verified_login(client, user)
        for name in ("stays:export_csv", "stays:export_xlsx"):
            assert client.get(reverse(name, kwargs={"region": w.region.slug})).status_code == 404
