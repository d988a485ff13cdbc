"""Meetings in Chromium: a reader finds the after-work meeting in the menu, reads its agenda for
both sectors, registers, and the organiser sees her on the participants' list and records her
attendance; an organiser writes an after-work meeting in the Wagtail admin, is stopped once by
the both-sector rule, a colleague approves and so publishes it, and a GP finds it under /moeder/
and registers. axe-core checks each page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.events import services
from portal.events.models import Registration
from tests.e2e.test_correspondence import _logged_in, _shot
from tests.e2e.test_editor import PASSWORD, TIMEOUT, _log_in_to_the_admin
from tests.events.factories import EventPageFactory, agenda, meetings_index
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


def _agenda_item(page, index: int, *, title: str, sector: str, presenter: str) -> None:
    """Add one agenda item at the end of the agenda StreamField and fill it in."""
    agenda_panel = page.locator("[data-contentpath='agenda']")
    agenda_panel.get_by_role("button", name="Insert a block").last.click()
    title_box = page.locator(f"input[name='agenda-{index}-value-title']")
    expect(title_box).to_be_visible()
    title_box.fill(title)
    page.locator(f"select[name='agenda-{index}-value-sector']").select_option(sector)
    page.locator(f"input[name='agenda-{index}-value-presenter']").fill(presenter)


def _editor(email: str, first_name: str):
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.factories import UserFactory

    user = UserFactory(email=email, password=PASSWORD, first_name=first_name)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user, TOTPDevice.objects.create(user=user, name="Godkendelsesapp", confirmed=True)


def test_an_organiser_publishes_a_both_sector_meeting_in_the_admin_and_a_gp_registers(
    chromium_browser, live_server, slow_expect, axe_check
):
    title = "Fyraftensmøde om KOL i eget hjem"
    index = meetings_index()
    index.save_revision().publish()
    organiser, organisers_app = _editor("arrangoer@samspil.test", "Birgitte")
    colleague, colleagues_app = _editor("redaktoer2@samspil.test", "Rikke")
    reader = gp("Hanne")
    starts = (timezone.localtime() + timedelta(days=14)).replace(hour=16, minute=0, second=0, microsecond=0)

    org_context = chromium_browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    org = org_context.new_page()
    org.set_default_timeout(TIMEOUT)
    _log_in_to_the_admin(org, live_server.url, organiser, organisers_app)
    # The meetings index takes only meetings: "add a child page" goes straight to the form.
    org.goto(f"{live_server.url}/admin/pages/{index.pk}/")
    org.get_by_role("link", name="Tilføj en underside").click()
    expect(org).to_have_url(re.compile(rf"/admin/pages/add/content/eventpage/{index.pk}/$"))
    org.get_by_role("textbox", name=re.compile(r"^Titel\*?$")).fill(title)
    org.locator("textarea[name=intro]").fill("Patientens forløb mellem praksis, hjemmepleje og sygehus.")
    org.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%d %H:%M"))
    org.locator("input[name=starts_at]").press("Escape")
    org.locator("input[name=ends_at]").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    org.locator("input[name=ends_at]").press("Escape")
    org.locator("input[name=location]").fill("Auditoriet, Regionshospitalet Randers")
    org.locator("input[name=seats]").fill("30")
    # First only the hospital speaks: the both-sector rule stops it, in Danish.
    _agenda_item(
        org, 0, title="KOL-ambulatoriets opfølgning", sector="sygehus", presenter="Overlæge Lise Holm"
    )
    footer = org.locator("footer .actions--primary")
    footer.locator("button.w-dropdown__toggle").click()
    footer.get_by_role("button", name="Send til Godkendelse hos en anden redaktør").click()
    expect(org.locator("body")).to_contain_text(
        "Dagsordenen skal dække patientens forløb i begge sektorer: tilføj mindst ét punkt fra almen "
        "praksis og ét fra sygehuset."
    )
    expect(org).to_have_url(re.compile(rf"/admin/pages/add/content/eventpage/{index.pk}/$"))
    org.get_by_text("Dagsordenen skal dække patientens forløb").first.scroll_into_view_if_needed()
    _shot(org, "events-04-admin-one-sector-refused")
    # Then general practice gets its part, and the meeting goes to a colleague for approval.
    _agenda_item(
        org, 1, title="Når patienten er hjemme igen", sector="almen-praksis", presenter="Læge Hanne Mikkelsen"
    )
    footer.locator("button.w-dropdown__toggle").click()
    footer.get_by_role("button", name="Send til Godkendelse hos en anden redaktør").click()
    expect(org).to_have_url(re.compile(rf"/admin/pages/{index.pk}/$"))
    expect(org.locator(".messages .success")).to_contain_text(title)
    org.get_by_role("link", name=title).first.click()
    expect(org).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    edit_url = org.url
    org_context.close()

    colleagues_context = chromium_browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    second = colleagues_context.new_page()
    second.set_default_timeout(TIMEOUT)
    _log_in_to_the_admin(second, live_server.url, colleague, colleagues_app)
    second.goto(edit_url)
    second_footer = second.locator("footer .actions--primary")
    second_footer.locator("button.w-dropdown__toggle").click()
    second_footer.get_by_role("button", name="Godkend og Publicér", exact=True).click()
    expect(second.locator(".messages .success")).to_contain_text(title)
    colleagues_context.close()

    gp_context, page = _logged_in(chromium_browser, live_server, reader, "/moeder/")
    page.locator("a", has_text=title).click()
    expect(page.locator(".samspil-agenda-item")).to_have_count(2)
    expect(page.locator(".samspil-agenda-almen-praksis")).to_contain_text("Når patienten er hjemme igen")
    expect(page.locator(".samspil-agenda-sygehus")).to_contain_text("KOL-ambulatoriets opfølgning")
    axe_check(page)
    _shot(page, "events-05-admin-published-meeting")
    page.locator("a.samspil-event-signup").click()
    page.locator("button.samspil-event-register").click()
    expect(page.locator(".samspil-event-mine")).to_have_text("Tilmeldt")
    expect(page.locator(".samspil-event-seats")).to_contain_text("29 af 30 ledige")
    axe_check(page)
    gp_context.close()

    from content.models import EventPage

    event = EventPage.objects.child_of(index).get(title=title)
    assert event.live and event.owner == organiser and event.starts_at == starts
    assert [item.value["sector"] for item in event.agenda] == ["sygehus", "almen-praksis"]
    assert Registration.objects.get(event=event).user == reader
