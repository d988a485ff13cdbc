"""Ordering diagnostics in Chromium: a GP orders a Holter from the catalogue and books a free
time; the cardiology department records that it took place and gives a result notice; the GP
sees the result notice and acknowledges it. axe-core checks each page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.outbox.models import OutboxEmail
from portal.referrals.models import InvestigationOrder
from tests.e2e.test_correspondence import _logged_in, _shot
from tests.referrals.diagnostics_factories import diagnostics_world

CPR = "070761-4285"


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_gp_orders_a_holter_and_follows_up_the_result_notice(
    chromium_browser, live_server, slow_expect, axe_check
):
    d = diagnostics_world()

    # The GP finds the Holter in the catalogue, with its next free times, and orders it.
    gp_context, gp = _logged_in(
        chromium_browser, live_server, d.w.gp, "/henvisninger/undersoegelser/katalog/"
    )
    axe_check(gp)
    gp.locator("a.samspil-order-link", has_text="Holter-monitorering 24 t").click()
    expect(gp.locator(".samspil-responsibility")).to_contain_text("beholder behandlingsansvaret")
    form = gp.locator("form.samspil-investigation-form")
    form.locator("select[name=practice]").select_option(str(d.w.practice.pk))
    form.locator("input[name=cpr]").fill(CPR)
    form.locator("textarea[name=clinical_question]").fill("Palpitationer i anfald. Atrieflimren?")
    form.locator("input[name=slot]").first.check()
    axe_check(gp)
    form.locator("button[type=submit]").click()
    expect(gp).to_have_url(re.compile(r"/henvisninger/undersoegelser/[0-9a-f-]{36}/$"))
    expect(gp.locator(".samspil-investigation-state")).to_have_text("Booket")
    expect(gp.locator(".samspil-cpr")).to_have_text("070761-XXXX")
    expect(gp.locator(".samspil-booked-time")).to_contain_text("Hjertemedicinsk ambulatorium")
    order_url = gp.url
    _shot(gp, "diag-01-ordered")

    # The cardiologist finds it on the department list, records it performed, gives the notice.
    sp_context, sp = _logged_in(
        chromium_browser, live_server, d.cardiologist, "/henvisninger/undersoegelser/afdeling/"
    )
    axe_check(sp)
    sp.locator("tr.samspil-investigation-row a", has_text="Holter").click()
    sp.locator("form.samspil-form-performed input[name=performed_at]").fill(
        timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    )
    sp.locator("form.samspil-form-performed button[type=submit]").click()
    expect(sp.locator(".samspil-investigation-state")).to_have_text("Udført")
    sp.locator("form.samspil-form-result textarea[name=notice]").fill(
        "Paroksystisk atrieflimren <3 episoder>."
    )
    axe_check(sp)
    sp.locator("form.samspil-form-result button[type=submit]").click()
    expect(sp.locator(".samspil-investigation-state")).to_have_text("Svarbesked foreligger")
    _shot(sp, "diag-02-result-given")

    # The GP was e-mailed a link (nothing clinical) and sees the notice on the order page.
    email = OutboxEmail.objects.get(to=[d.w.gp.email])
    assert "atrieflimren" not in email.body.lower()
    gp.goto(order_url)
    expect(gp.locator(".samspil-result-notice")).to_have_text("Paroksystisk atrieflimren <3 episoder>.")
    expect(gp.locator(".samspil-performed")).not_to_have_text("–")
    axe_check(gp)
    gp.locator("form.samspil-form-acknowledge button[type=submit]").click()
    expect(gp.locator(".samspil-investigation-state")).to_have_text("Svar fulgt op af lægen")
    expect(gp.locator(".samspil-acknowledged")).to_contain_text("Grete Lægesen")
    _shot(gp, "diag-03-acknowledged")
    assert InvestigationOrder.objects.get().state == InvestigationOrder.State.ACKNOWLEDGED
    gp_context.close()
    sp_context.close()
