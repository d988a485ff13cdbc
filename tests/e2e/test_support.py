"""General practice supporting the hospital in Chromium (issue 14): an acute reception's
secretary books a red-note acute time at the patient's practice and the practice sees why the
patient comes; a ward's doctor books a video consultation on the GP's free video time and both
download the .ics; a department proposes the patient's practice as tovholder, a GP there
acknowledges, and the department sees the practice as tovholder. axe-core checks each page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from portal.bookings.models import Resource
from portal.bookings.services import resource_create, slot_publish
from portal.referrals.models import CareCoordinator
from portal.support.models import AcuteSlotNote, VideoConsultation
from tests.e2e.test_correspondence import _logged_in, _shot
from tests.support.factories import with_other_specialist, world

CPR = "070761-4285"


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_an_acute_reception_books_a_red_note_time_and_the_practice_sees_it(
    chromium_browser, live_server, slow_expect, axe_check
):
    w = world()
    sec_context, sec = _logged_in(chromium_browser, live_server, w.acute_secretary, "/stoette/akuttid/ny/")
    axe_check(sec)
    form = sec.locator("form.samspil-acute-note-form")
    form.locator("input[name=cpr]").fill(CPR)
    form.locator("input[name=colour][value=red]").check()
    form.locator("textarea[name=reason]").fill("Faldet hjemme <ingen brud>. Se til såret i morgen.")
    form.locator("input[name=slot]").first.check()
    form.locator("button[type=submit]").click()
    expect(sec).to_have_url(re.compile(r"/stoette/akuttid/[0-9a-f-]{36}/$"))
    expect(sec.locator(".samspil-acute-booked")).to_have_text("Booket")
    expect(sec.locator(".samspil-cpr")).to_have_text("070761-XXXX")
    axe_check(sec)
    _shot(sec, "support-01-red-note")

    gp_context, gp = _logged_in(chromium_browser, live_server, w.practice_secretary, "/stoette/")
    row = gp.locator("tr.samspil-acute-note-row--red")
    expect(row).to_contain_text("Faldet hjemme <ingen brud>.")
    axe_check(gp)
    row.locator("a").first.click()
    expect(gp.locator(".samspil-acute-reason")).to_have_text(
        "Faldet hjemme <ingen brud>. Se til såret i morgen."
    )
    expect(gp.locator(".samspil-acute-practice")).to_have_text(str(w.practice))
    assert AcuteSlotNote.objects.get().booking.is_active
    sec_context.close()
    gp_context.close()


def test_a_ward_books_a_video_consultation_and_both_get_the_ics(
    chromium_browser, live_server, slow_expect, axe_check
):
    w = with_other_specialist(world(slots=0))
    resource = resource_create(
        actor=w.gp, organisation=w.practice, kind=Resource.Kind.VIDEO_CONSULTATION, name="Video, Hanne"
    )
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    slot_publish(actor=w.gp, resource=resource, starts_at=start, ends_at=start + timedelta(minutes=20))
    doctor = w.other_specialist  # a ward clinician (Kardiologi)
    dr_context, dr = _logged_in(chromium_browser, live_server, doctor, "/stoette/video/ny/")
    dr.locator("select[name=praksis]").select_option(str(w.practice.pk))
    dr.locator("form.samspil-video-practice button[type=submit]").click()
    form = dr.locator("form.samspil-video-form")
    form.locator("input[name=cpr]").fill(CPR)
    form.locator("textarea[name=purpose]").fill("Blodtryk og medicin før udskrivelse.")
    form.locator("input[name=video_url]").fill("https://video.rm.dk/rum/4711")
    form.locator("input[name=slot]").first.check()
    axe_check(dr)
    form.locator("button[type=submit]").click()
    expect(dr).to_have_url(re.compile(r"/stoette/video/[0-9a-f-]{36}/$"))
    axe_check(dr)
    consultation = VideoConsultation.objects.get()
    _shot(dr, "support-02-video")

    gp_context, gp = _logged_in(
        chromium_browser, live_server, w.gp, f"/stoette/video/{consultation.public_id}/"
    )
    expect(gp.locator(".samspil-video-link")).to_have_text("https://video.rm.dk/rum/4711")
    for page in (dr, gp):
        response = page.request.get(f"{live_server.url}/stoette/video/{consultation.public_id}/kalender.ics")
        assert response.ok and response.headers["content-type"].startswith("text/calendar")
        event = Calendar.from_ical(response.body()).walk("VEVENT")[0]
        assert str(event["location"]) == "https://video.rm.dk/rum/4711"
        assert event.decoded("dtstart") == start
    dr_context.close()
    gp_context.close()


def test_a_department_proposes_the_practice_as_tovholder_and_the_gp_acknowledges(
    chromium_browser, live_server, slow_expect, axe_check
):
    w = with_other_specialist(world(slots=0))
    doctor = w.other_specialist  # Kardiologi, involved in the patient's care
    dr_context, dr = _logged_in(chromium_browser, live_server, doctor, "/henvisninger/tovholder/")
    axe_check(dr)
    dr.locator("a.samspil-coordinator-new").click()
    form = dr.locator("form.samspil-coordinator-form")
    form.locator("select[name=practice]").select_option(str(w.practice.pk))
    form.locator("input[name=cpr]").fill(CPR)
    form.locator("textarea[name=note]").fill("KOL og hjertesvigt <NYHA III>. Egen læge samler kontrollerne.")
    axe_check(dr)
    form.locator("button[type=submit]").click()
    expect(dr).to_have_url(re.compile(r"/henvisninger/tovholder/forslag/[0-9a-f-]{36}/$"))
    expect(dr.locator(".samspil-coordinator-practice")).to_have_text(str(w.practice))
    expect(dr.locator(".samspil-cpr")).to_have_text("070761-XXXX")
    assert "0707614285" not in dr.url and not CareCoordinator.objects.exists()
    proposal_url = dr.url
    _shot(dr, "support-03-tovholder-proposed")

    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, "/overblik/")
    gp.locator(".samspil-overview-coordinator a").first.click()
    expect(gp).to_have_url(proposal_url)
    expect(gp.locator(".samspil-coordinator-note")).to_have_text(
        "KOL og hjertesvigt <NYHA III>. Egen læge samler kontrollerne."
    )
    axe_check(gp)
    gp.locator("form.samspil-form-coordinator-acknowledge button[type=submit]").click()
    expect(gp).to_have_url(re.compile(r"/henvisninger/tovholder/[0-9a-f-]{36}/$"))
    expect(gp.locator(".samspil-coordinator-holder")).to_contain_text(str(w.practice))
    axe_check(gp)

    dr.goto(f"{live_server.url}/henvisninger/tovholder/")
    dr.locator("tr.samspil-coordinator-row a").first.click()
    expect(dr.locator(".samspil-coordinator-holder")).to_contain_text(f"Tovholder: {w.practice}")
    expect(dr.locator(".samspil-coordinator-departments")).to_contain_text("Kardiologi")
    axe_check(dr)
    _shot(dr, "support-04-tovholder-seen-by-department")
    assert CareCoordinator.objects.get().practice == w.practice
    dr_context.close()
    gp_context.close()
