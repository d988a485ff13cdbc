"""Conferences in Chromium: a GP finds the geriatrician on duty, they confer about a patient
with a shared overview, the overview is gone at close, and both notes are written.

Each person logs in with password and authenticator code in their own browser context.
Screenshots go to /tmp/shots/ for a human look.
"""

import re

import pytest
from playwright.sync_api import expect

from portal.conferences.models import Conference, ConferenceNote, DropInAttendance, PatientOverview
from tests.conferences.factories import case_session, drop_in_hour, move_to_past, on_duty, world
from tests.e2e.test_correspondence import _logged_in, _shot

CPR = "070761-4285"


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_gp_confers_with_the_geriatrician_on_duty(chromium_browser, live_server, slow_expect, axe_check):
    w = world()
    on_duty(w, phone="78 45 12 34", video_url="https://video.example.dk/geriatri")

    # The GP finds who is on duty in geriatrics for her practice's area.
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, "/konferencer/vagt/")
    gp.locator("select[name=speciale]").select_option("geriatri")
    gp.locator("form.samspil-on-duty-form button[type=submit]").click()
    card = gp.locator(".samspil-duty-card")
    expect(card.locator(".samspil-duty-name")).to_contain_text("Gerda Geriater")
    expect(card.locator(".samspil-duty-phone")).to_have_text("78 45 12 34")
    expect(card.locator(".samspil-duty-video")).to_have_attribute("href", "https://video.example.dk/geriatri")
    _shot(gp, "conf-01-on-duty")
    axe_check(gp)

    # She asks for a video conference about a patient.
    card.locator(".samspil-request-link").click()
    expect(gp.locator("select[name=specialty]")).to_have_value("geriatri")
    gp.locator("input[name=topic]").fill("Skrøbelig 88-årig, fald og polyfarmaci")
    gp.locator("select[name=mode]").select_option("video")
    gp.locator("input[name=cpr]").fill(CPR)
    axe_check(gp)
    gp.locator("form.samspil-conference-form button[type=submit]").click()
    expect(gp).to_have_url(re.compile(r"/konferencer/[0-9a-f-]{36}/$"))
    conference_url = gp.url
    conference = Conference.objects.get()
    expect(gp.locator(".samspil-cpr")).to_have_text("070761-XXXX")
    _shot(gp, "conf-02-requested")

    # The specialist sees it waiting on her dashboard and accepts.
    sp_context, sp = _logged_in(chromium_browser, live_server, w.specialist, "/konferencer/")
    row = sp.locator("#venter tr.samspil-conference-row", has_text="Skrøbelig 88-årig")
    expect(row).to_be_visible()
    _shot(sp, "conf-03-specialist-dashboard")
    axe_check(sp)
    row.get_by_role("link").click()
    expect(sp).to_have_url(conference_url)
    sp.locator("form.samspil-accept button").click()
    expect(sp.locator(".samspil-conference-status--open")).to_be_visible()

    # Both see the shared overview; the GP fills it in, the specialist sees it.
    overview_url = conference_url + "overblik/"
    gp.goto(overview_url)
    gp.locator("input[name='diagnose-0-code']").fill("I48")
    gp.locator("input[name='diagnose-0-text']").fill("Atrieflimren")
    gp.locator("select[name=frailty_score]").select_option("6")
    gp.locator("textarea[name=medication]").fill("Apixaban 5 mg x 2")
    gp.locator("form.samspil-overview-form button[type=submit]").click()
    expect(gp.locator(".samspil-diagnoses")).to_contain_text("I48")
    axe_check(gp)
    sp.goto(overview_url)
    expect(sp.locator(".samspil-diagnoses")).to_contain_text("Atrieflimren")
    expect(sp.locator(".samspil-frailty")).to_have_text("6")
    _shot(sp, "conf-04-overview")

    # The specialist closes and writes the note; the overview is gone.
    sp.goto(conference_url)
    sp.locator("form.samspil-close button").click()
    expect(sp.locator(".samspil-conference-status--closed")).to_be_visible()
    assert not PatientOverview.objects.exists()
    sp.locator("#notat-form textarea[name=text]").fill(
        "Vi aftalte at seponere oxazepam og følge op om 2 uger."
    )
    sp.locator("#notat-form button[type=submit]").click()
    expect(sp.locator("#notat")).to_contain_text("seponere oxazepam")
    _shot(sp, "conf-05-note")
    response = gp.goto(overview_url)
    assert response is not None and response.status == 404
    expect(gp.locator("body")).not_to_contain_text("Atrieflimren")

    # The GP sees the note and writes the résumé for the journal.
    gp.goto(conference_url)
    expect(gp.locator("#notat")).to_contain_text("seponere oxazepam")
    gp.locator("#resume-form textarea[name=text]").fill("Konference med geriatri: oxazepam seponeres.")
    gp.locator("#resume-form button[type=submit]").click()
    expect(gp.locator("#resume")).to_contain_text("oxazepam seponeres")
    _shot(gp, "conf-06-resume")
    axe_check(gp)

    for page in (gp, sp):
        assert not page.csp_errors, page.csp_errors
    gp_context.close()
    sp_context.close()
    assert ConferenceNote.objects.filter(conference=conference).count() == 2


def test_a_hospital_doctor_starts_a_pre_discharge_conference_without_javascript(
    chromium_browser, live_server, slow_expect
):
    w = world()
    sp_context, sp = _logged_in(
        chromium_browser, live_server, w.specialist, "/konferencer/ny/sygehus/", javascript=False
    )
    sp.locator("input[name=kind][value=discharge]").check()
    sp.locator("select[name=practice]").select_option(str(w.practice.pk))
    sp.locator("input[name=cpr]").fill(CPR)
    sp.locator("input[name=topic]").fill("Udskrivelse efter 5 uger med pneumoni og delir")
    sp.locator("textarea[name=discharge__plan]").fill("Genoptræning i hjemmet")
    sp.locator("textarea[name=discharge__gp_tasks]").fill("Blodprøver om en uge")
    # One question left empty: the form comes back with it marked and the text kept.
    sp.locator("form.samspil-conference-form button[type=submit]").click()
    expect(sp.locator("textarea[name=discharge__follow_up][aria-invalid=true]")).to_be_visible()
    expect(sp.locator("textarea[name=discharge__plan]")).to_have_value("Genoptræning i hjemmet")
    sp.locator("textarea[name=discharge__follow_up]").fill("Geriatrisk ambulatorium om 4 uger")
    sp.locator("form.samspil-conference-form button[type=submit]").click()
    expect(sp).to_have_url(re.compile(r"/konferencer/[0-9a-f-]{36}/$"))
    conference_url = sp.url
    _shot(sp, "conf-07-hospital-request")

    # Any GP of the practice sees it waiting and accepts; it opens with the overview.
    gp_context, gp = _logged_in(
        chromium_browser, live_server, w.gp_colleague, "/konferencer/", javascript=False
    )
    gp.locator("#venter tr.samspil-conference-row").get_by_role("link").click()
    expect(gp).to_have_url(conference_url)
    expect(gp.locator(".samspil-conference-answers")).to_contain_text("Geriatrisk ambulatorium om 4 uger")
    gp.locator("form.samspil-accept button").click()
    expect(gp.locator(".samspil-conference-status--open")).to_be_visible()
    expect(gp.locator(".samspil-overview-link")).to_be_visible()
    assert Conference.objects.get().gp == w.gp_colleague
    sp_context.close()
    gp_context.close()


def test_a_gp_joins_a_drop_in_hour_from_the_calendar(chromium_browser, live_server, slow_expect, axe_check):
    w = world()
    drop_in = drop_in_hour(
        w, starts_in_minutes=-5, title="Demens", video_url="https://video.example.dk/drop-in"
    )

    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, "/konferencer/")
    # The video service is outside the test: answer its page here, so the browser lands somewhere.
    gp_context.route(
        "https://video.example.dk/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><title>Videorum</title><h1>Videorum</h1>",
        ),
    )
    row = gp.locator("#drop-in tr.samspil-drop-in-row", has_text="Demens")
    expect(row).to_be_visible()
    _shot(gp, "conf-08-drop-in-calendar")
    axe_check(gp)
    row.get_by_role("link").click()
    expect(gp.locator("h1")).to_contain_text("Demens")
    expect(gp.locator(".samspil-drop-in-host")).to_contain_text("Gerda Geriater")
    axe_check(gp)
    gp.locator("a.samspil-drop-in-join").click()
    expect(gp).to_have_url("https://video.example.dk/drop-in")
    attendance = DropInAttendance.objects.get(drop_in=drop_in)
    assert attendance.gp == w.gp and attendance.joined_at is not None

    # The host sees who is there, by name.
    sp_context, sp = _logged_in(
        chromium_browser, live_server, w.specialist, f"/konferencer/drop-in/{drop_in.public_id}/"
    )
    expect(sp.locator(".samspil-drop-in-joined")).to_contain_text("Grete Lægesen")
    _shot(sp, "conf-09-drop-in-who-is-there")
    axe_check(sp)
    gp_context.close()
    sp_context.close()


def test_a_joint_case_session_from_case_to_published_minutes(
    chromium_browser, live_server, slow_expect, axe_check
):
    from portal.conferences.models import SessionCase
    from portal.outbox.models import OutboxEmail

    w = world()
    session = case_session(w, title="Hjertesvigt hos den skrøbelige ældre")
    session_path = f"/konferencer/casekonferencer/{session.public_id}/"

    # The GP finds the session from the conferences page and submits a case; a CPR number is refused.
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, "/konferencer/")
    gp.locator("a.samspil-case-sessions-link").click()
    row = gp.locator("tr.samspil-case-session-row", has_text="Hjertesvigt")
    expect(row).to_be_visible()
    axe_check(gp)
    row.get_by_role("link").click()
    expect(gp).to_have_url(live_server.url + session_path)
    gp.locator("input[name=question]").fill("Kan furosemid seponeres?")
    gp.locator("textarea[name=description]").fill("Kvinde, 070761-4285, EF 35 %, svimmel.")
    gp.locator("form.samspil-case-form button[type=submit]").click()
    expect(gp.locator(".form-error-message")).to_contain_text("CPR-nummer")
    assert not SessionCase.objects.exists()
    axe_check(gp)
    gp.locator("textarea[name=description]").fill("Kvinde i 80'erne, EF 35 %, svimmel. Dosis <i.v.> 5 mg.")
    gp.locator("select[name=age_band]").select_option("80+")
    gp.locator("form.samspil-case-form button[type=submit]").click()
    expect(gp.locator(".samspil-my-case")).to_contain_text("Indsendt")
    _shot(gp, "conf-10-case-submitted")

    # The specialist puts it on the agenda.
    sp_context, sp = _logged_in(chromium_browser, live_server, w.specialist, session_path)
    expect(sp.locator(".samspil-waiting-case")).to_contain_text("Dosis <i.v.> 5 mg.")
    axe_check(sp)
    sp.locator("form.samspil-case-accept button").click()
    expect(sp.locator("#dagsorden .samspil-agenda-item")).to_contain_text("Kan furosemid seponeres?")
    gp.reload()
    expect(gp.locator(".samspil-my-case")).to_contain_text("På dagsordenen")

    # After the session the specialist writes and publishes the minutes.
    move_to_past(session)
    sp.reload()
    case = SessionCase.objects.get()
    sp.locator(f"textarea[name=answer_{case.public_id}]").fill("Ja: halvér dosis, kontrol om 14 dage.")
    sp.locator("textarea[name=minutes]").fill("Vi talte om **diuretika** hos skrøbelige.")
    axe_check(sp)
    sp.locator("button.samspil-minutes-publish").click()
    expect(sp.locator(".samspil-minutes-text strong")).to_have_text("diuretika")
    _shot(sp, "conf-11-minutes-published")

    # The GP is told by e-mail (a link, no clinical text) and reads the minutes.
    mail = OutboxEmail.objects.get(to=[w.gp.email])
    assert session_path in mail.body and "furosemid" not in mail.body
    gp.goto(live_server.url + session_path)
    expect(gp.locator(".samspil-case-answer")).to_contain_text("halvér dosis")
    expect(gp.locator(".samspil-minutes-text")).to_contain_text("diuretika")
    axe_check(gp)
    gp_context.close()
    sp_context.close()
