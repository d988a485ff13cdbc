"""Correspondence in Chromium: a GP asks a specialty about a patient, a specialist answers.

Each person logs in with password and authenticator code in their own browser
context. Locators use names, ids and classes rather than visible text, so the
test holds in Danish and English; screenshots go to /tmp/shots/ for a human look.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from portal.correspondence.models import Thread
from portal.correspondence.services import message_send
from tests.correspondence.factories import open_thread, world

PASSWORD = "korrekt-hest-batteri-42"  # tests.accounts.factories.UserFactory's
SHOTS = Path("/tmp/shots")
CPR = "070761-4285"


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def _code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def _logged_in(browser, live_server, user, next_path="/korrespondance/", javascript=True):
    """A new browser context with ``user`` logged in past the second factor, at ``next_path``."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="App", defaults={"confirmed": True})
    context = browser.new_context(
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=javascript,
    )
    # The live server shares one SQLite connection between its threads: the browser's own
    # /favicon.ico request racing a page load can fail either with "cannot start a
    # transaction within a transaction". Nothing here needs the icon.
    context.route("**/favicon.ico", lambda route: route.abort())
    page = context.new_page()
    page.csp_errors = []
    page.console_errors = []
    page.on(
        "console",
        lambda msg: page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile(r"/konto/2fa/bekraeft/"))
    page.wait_for_load_state("networkidle")  # the header badge's request, before the next (SQLite)
    page.locator("input[name=token]").fill(_code(device))
    page.locator("input[name=token]").press("Enter")
    expect(page).to_have_url(live_server.url + next_path)
    page.wait_for_load_state("networkidle")
    return context, page


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_gp_asks_a_specialty_specialist_claims_and_answers(
    chromium_browser, live_server, slow_expect, axe_check
):
    w = world()
    opened = []

    # The GP writes to cardiology in her health council area about a patient.
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, "/korrespondance/ny/")
    gp.locator("select[name=specialty]").select_option(str(w.department.specialty.pk))
    expect(gp.locator("select[name=area]")).to_have_value(str(w.area.pk))  # her own area, preselected
    gp.locator("input[name=subject]").fill("Atrieflimren hos 64-årig")
    gp.locator("select[name=category]").select_option("healthcare")
    gp.locator("input[name=cpr]").fill(CPR)
    gp.locator("textarea[name=body]").fill("Skal **AK-behandling** startes nu?\n\n- CHA2DS2-VASc 3")
    _shot(gp, "01-new-thread-form")
    axe_check(gp)
    gp.locator("form.samspil-thread-form button[type=submit]").click()
    expect(gp).to_have_url(re.compile(r"/korrespondance/[0-9a-f-]{36}/$"))
    thread_url = gp.url
    opened.append(Thread.objects.get())
    expect(gp.locator(".samspil-cpr")).to_have_text("070761-XXXX")
    # Plain text, shown as written: the asterisks and the line break stay (MedCom sends the same).
    body = gp.locator("#beskeder .samspil-plain-text").first
    expect(body).to_contain_text("Skal **AK-behandling** startes nu?")
    assert body.inner_text() == "Skal **AK-behandling** startes nu?\n\n- CHA2DS2-VASc 3"

    # The specialist finds it in the inbox, unread, and takes it on.
    sp_context, sp = _logged_in(chromium_browser, live_server, w.specialist)
    row = sp.locator("tr.samspil-thread-row", has_text="Atrieflimren hos 64-årig")
    expect(row).to_have_class(re.compile("samspil-thread-row--unread"))
    expect(row).not_to_contain_text("4285")
    _shot(sp, "02-specialist-inbox")
    axe_check(sp)
    row.get_by_role("link").click()
    expect(sp).to_have_url(thread_url)
    sp.locator("form[action$='/overtag/'] button").click()
    expect(sp.locator(".samspil-thread-facts")).to_contain_text("Sune Specialist")

    # The answer goes inline (htmx): the message appears, the form comes back empty.
    sp.locator("#svar textarea[name=body]").fill("Ja, start *apixaban* 5 mg x 2.")
    sp.locator("#svar button[type=submit]").click()
    expect(sp.locator("#beskeder article")).to_have_count(2)
    expect(sp.locator("#beskeder article").last).to_contain_text("Ja, start *apixaban* 5 mg x 2.")
    expect(sp.locator("#svar textarea[name=body]")).to_have_value("")
    expect(sp.locator("#svar .alert-success")).to_be_visible()
    # The header followed: now the GP's practice is to answer.
    expect(sp.locator("#traadhoved .samspil-thread-status")).to_contain_text(w.practice.name)
    assert sp.url == thread_url  # no page load happened
    _shot(sp, "03-specialist-answered")
    axe_check(sp)

    # The GP sees the answer and who wrote it.
    gp.reload()
    expect(gp.locator("#beskeder article")).to_have_count(2)
    expect(gp.locator("#beskeder article").last).to_contain_text("apixaban")
    expect(gp.locator("#beskeder article").last).to_contain_text("Sune Specialist")
    expect(gp.locator("#beskeder article").last).to_contain_text("78 45 00 00")
    _shot(gp, "04-gp-sees-answer")

    # A second GP gets 404 on the thread's URL.
    other_context, other = _logged_in(chromium_browser, live_server, w.other_gp)
    response = other.goto(thread_url)
    assert response is not None and response.status == 404
    expect(other.locator("body")).not_to_contain_text("Atrieflimren")

    for page in (gp, sp, other):
        assert not page.csp_errors, page.csp_errors
    for context in (gp_context, sp_context, other_context):
        context.close()
    assert opened[0].messages.count() == 2


def test_the_overdue_view_shows_a_thread_past_its_deadline(
    chromium_browser, live_server, slow_expect, axe_check
):
    w = world()
    # Opened ten days ago: three working days have passed, so the clock is past the deadline.
    thread = open_thread(w, subject="Ubesvaret spørgsmål", now=timezone.now() - timedelta(days=10))
    fresh = open_thread(w, subject="Frisk spørgsmål", now=timezone.now() - timedelta(hours=6))
    assert thread.due_at < timezone.now()

    context, gp = _logged_in(chromium_browser, live_server, w.gp, "/korrespondance/?visning=overskredet")
    row = gp.locator("tr.samspil-thread-row", has_text="Ubesvaret spørgsmål")
    expect(row).to_have_class(re.compile("samspil-thread-row--overdue"))
    expect(row.locator(".badge-error")).to_be_visible()
    expect(gp.locator("tr.samspil-thread-row", has_text="Frisk spørgsmål")).to_have_count(0)
    _shot(gp, "05-overdue-view")
    axe_check(gp)
    row.get_by_role("link").click()
    expect(gp.locator(".samspil-overdue")).to_be_visible()
    _shot(gp, "06-overdue-thread")

    # The reply-time view (with one answer five hours after the question), and a new thread
    # sent empty: errors by the fields, nothing sent.
    message_send(thread=fresh, author=w.specialist, body="Svar", now=fresh.created_at + timedelta(hours=5))
    gp.goto(live_server.url + "/korrespondance/kvalitet/")
    expect(gp.locator("h1")).to_be_visible()
    _shot(gp, "07-quality")
    axe_check(gp)
    gp.goto(live_server.url + "/korrespondance/ny/")
    gp.locator("textarea[name=body]").fill("Udkast der skal bevares")
    gp.locator("form.samspil-thread-form button[type=submit]").click()
    expect(gp.locator(".alert-error")).to_be_visible()
    expect(gp.locator("textarea[name=body]")).to_have_value("Udkast der skal bevares")
    expect(gp.locator("input[name=subject][aria-invalid=true]")).to_be_visible()
    _shot(gp, "08-new-thread-errors")
    axe_check(gp)
    assert Thread.objects.count() == 2
    assert not gp.csp_errors, gp.csp_errors
    context.close()


def test_replying_works_without_javascript(chromium_browser, live_server, slow_expect):
    w = world()
    thread = open_thread(w, subject="Uden JavaScript")
    path = f"/korrespondance/{thread.public_id}/"
    context, sp = _logged_in(chromium_browser, live_server, w.specialist, path, javascript=False)
    sp.locator("#svar textarea[name=body]").fill("Svar sendt som almindelig formular.")
    sp.locator("#svar button[type=submit]").click()
    # Post, redirect, get: the page is loaded anew at the new message.
    expect(sp).to_have_url(re.compile(re.escape(path) + r"#besked-[0-9a-f-]{36}$"))
    expect(sp.locator("#beskeder article")).to_have_count(2)
    expect(sp.locator(".samspil-flash .alert-success")).to_be_visible()
    sp.reload()
    expect(sp.locator("#beskeder article")).to_have_count(2)
    assert thread.messages.count() == 2
    context.close()


def _within_viewport(page, locator) -> None:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None, "not rendered"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)


def _no_horizontal_page_scroll(page) -> None:
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"the page scrolls sideways: {scroll} > {client}"


def test_the_inbox_deadline_is_always_in_view_and_phones_get_cards(
    chromium_browser, live_server, slow_expect
):
    w = world()
    w.department.name = "Hjertemedicinsk afdeling, ambulatorium for atrieflimren og hjertesvigt"
    w.department.save()
    w.practice.name = "Lægerne i Nørregade, Hellerup Lægehus og Omegnens Fælles Praksis"
    w.practice.save()
    subject = "Vedrørende opfølgning efter udskrivelse med nyopdaget atrieflimren og hjertesvigt"
    overdue = open_thread(w, subject=subject, now=timezone.now() - timedelta(days=10))
    open_thread(w, subject="Kort spørgsmål", now=timezone.now() - timedelta(hours=2))
    assert overdue.due_at < timezone.now()

    context, gp = _logged_in(chromium_browser, live_server, w.gp, "/korrespondance/?visning=afventer-dem")
    for width, height in ((1280, 900), (1440, 900), (375, 812)):
        gp.set_viewport_size({"width": width, "height": height})
        gp.reload()
        # The visible rendering of the overdue thread: a table row, or a card on a phone.
        row = gp.locator(".samspil-thread-row--overdue:visible", has_text=subject)
        expect(row).to_have_count(1)
        expect(row).to_have_js_property("tagName", "LI" if width < 768 else "TR")
        deadline = row.locator(".samspil-deadline")
        expect(deadline).to_be_visible()
        _within_viewport(gp, deadline)
        _within_viewport(gp, deadline.locator(".badge-error"))
        _no_horizontal_page_scroll(gp)
        _shot(gp, f"09-inbox-{width}")
    assert not gp.csp_errors, gp.csp_errors
    context.close()


def test_an_htmx_reply_updates_banner_receipts_and_history_without_console_errors(
    chromium_browser, live_server, slow_expect
):
    w = world()
    # With a patient: the page then also has the CPR reveal (a <details>) and the export links.
    thread = open_thread(w, subject="Svar uden genindlæsning", patient_cpr=CPR.replace("-", ""))
    path = f"/korrespondance/{thread.public_id}/"
    context, sp = _logged_in(chromium_browser, live_server, w.specialist, path)
    expect(sp.locator("#historik li")).to_have_count(1)
    # The live server shares one SQLite connection between threads: let the header badge's request
    # finish before the next one (see _logged_in).
    sp.wait_for_load_state("networkidle")
    sp.locator("form[action$='/overtag/'] button").click()
    expect(sp.locator("#beskedfelt .alert-success")).to_be_visible()  # "Du har overtaget tråden"
    expect(sp.locator("#historik li")).to_have_count(2)
    sp.wait_for_load_state("networkidle")
    assert sp.console_errors == [], sp.console_errors

    # The GP reads the thread in her own browser after the claim: her receipt is news for him.
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, path)
    expect(gp.locator("#beskeder article")).to_have_count(1)
    gp.wait_for_load_state("networkidle")

    sp.locator("#svar textarea[name=body]").fill("Svar med\nto linjer\n\nMed venlig hilsen\nSune Specialist")
    sp.locator("#svar button[type=submit]").click()
    expect(sp.locator("#beskeder article")).to_have_count(2)
    assert sp.url.endswith(path)  # no page load
    expect(sp.locator("#beskedfelt .alert")).to_have_count(0)  # the claim banner is gone
    expect(sp.locator("#svar .alert-success")).to_be_visible()
    # The new message: not read by the GP yet; the header says it is her turn now.
    expect(sp.locator("#beskeder article").last.locator(".samspil-receipt")).to_have_class(
        re.compile("samspil-muted")
    )
    expect(sp.locator("#traadhoved .samspil-thread-status")).to_contain_text(w.practice.name)
    # The actions follow: he holds the thread, so there is nothing to take on any more.
    expect(sp.locator("form[action$='/overtag/']")).to_have_count(0)

    # An empty reply comes back as a 400 with the error by the field, swapped in place.
    sp.locator("#svar button[type=submit]").click()
    expect(sp.locator("#svar textarea[aria-invalid=true]")).to_be_visible()
    expect(sp.locator("#beskeder article")).to_have_count(2)
    assert sp.url.endswith(path)

    # The GP replies in her browser; after his next htmx reply his page shows her receipt and the
    # history shows nothing new, without a reload.
    gp.reload()
    gp.wait_for_load_state("networkidle")
    sp.locator("#svar textarea[name=body]").fill("Tak.")
    sp.locator("#svar input[name=awaits_reply]").uncheck()
    sp.locator("#svar button[type=submit]").click()
    expect(sp.locator("#beskeder article")).to_have_count(3)
    expect(sp.locator("#beskeder article").nth(1).locator(".samspil-receipt")).to_contain_text(
        "Grete Lægesen"
    )
    expect(sp.locator("#traadhoved .samspil-thread-status")).not_to_contain_text(w.practice.name)
    sp.wait_for_load_state("networkidle")
    _shot(sp, "10-after-htmx-replies")
    # The one error is the browser's own line for the deliberate 400 above.
    assert [e for e in sp.console_errors if "status of 400" not in e] == [], sp.console_errors
    assert len(sp.console_errors) == 1, sp.console_errors
    assert gp.console_errors == [], gp.console_errors
    context.close()
    gp_context.close()
