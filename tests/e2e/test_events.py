"""Meetings in Chromium: a reader finds the after-work meeting in the menu, reads its agenda for
both sectors, registers, and the organiser sees her on the participants' list and records her
attendance. axe-core checks each page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.events import services
from portal.events.models import Registration
from tests.e2e.test_correspondence import _logged_in, _shot
from tests.events.factories import EventPageFactory, agenda
from tests.events.test_events import gp


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_gp_registers_for_a_both_sector_meeting_and_the_organiser_records_attendance(
    chromium_browser, live_server, slow_expect, axe_check
):
    from portal.accounts.models import Membership
    from portal.accounts.roles import Role
    from tests.accounts.factories import KapUnitFactory, UserFactory

    organiser = UserFactory(first_name="Birgitte", last_name="Lund")  # the practice consultant
    Membership.objects.create(user=organiser, organisation=KapUnitFactory(), role=Role.PRACTICE_CONSULTANT)
    event = EventPageFactory(
        title="Fyraftensmøde om hjertesvigt",
        seats=2,
        agenda=agenda("almen-praksis", "sygehus", "begge"),
        starts_at=timezone.now() + timedelta(hours=1),
    )
    event.organisers.add(organiser)
    event.save_revision().publish()
    services.event_register(event=event, user=gp("Første"))
    reader = gp("Hanne")

    context, page = _logged_in(chromium_browser, live_server, reader, "/")
    # The meetings are in the main menu beside the knowledge sections.
    expect(page.locator('a.nav-link[href="/moeder/"]').first).to_have_count(1)
    page.goto(f"{live_server.url}/moeder/")
    page.locator("a", has_text="Fyraftensmøde om hjertesvigt").click()
    agenda_items = page.locator(".samspil-agenda-item")
    expect(agenda_items).to_have_count(3)
    expect(page.locator(".samspil-agenda-almen-praksis")).to_contain_text("Almen praksis")
    expect(page.locator(".samspil-agenda-sygehus")).to_contain_text("Sygehus")
    axe_check(page)
    _shot(page, "events-01-meeting")
    page.locator("a.samspil-event-signup").click()
    expect(page.locator(".samspil-event-seats")).to_contain_text("1 af 2 ledige")
    axe_check(page)
    page.locator("button.samspil-event-register").click()
    expect(page.locator(".samspil-event-mine")).to_have_text("Tilmeldt")
    expect(page.locator(".samspil-event-seats")).to_contain_text("0 af 2 ledige")
    _shot(page, "events-02-registered")
    assert Registration.objects.get(user=reader).status == Registration.Status.REGISTERED

    # The meeting starts; the organiser ticks who came.
    type(event).objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    org_context, org = _logged_in(
        chromium_browser, live_server, organiser, f"/tilmeldinger/{event.pk}/deltagere/"
    )
    rows = org.locator(".samspil-attendance-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Lægehuset Hanne")).to_have_count(1)
    axe_check(org)
    org.locator(f"#attended-{Registration.objects.get(user=reader).pk}").check()
    org.locator("button.samspil-attendance-save").click()
    expect(org.locator(".alert")).to_contain_text("1 til stede")
    expect(org).to_have_url(re.compile(rf"/tilmeldinger/{event.pk}/deltagere/$"))
    _shot(org, "events-03-attendance")
    assert Registration.objects.get(user=reader).attended is True
    context.close()
    org_context.close()
