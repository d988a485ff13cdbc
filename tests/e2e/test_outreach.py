"""Outreach services in Chromium: a GP looks up the services reaching a patient's postcode,
finds the mobile blood-sampling unit and orders a home sample; the service's secretary sees the
order in the worklist and marks it received; the GP sees who took it. axe-core checks each page."""

import re

import pytest
from playwright.sync_api import expect

from portal.outreach.models import OutreachOrder
from tests.e2e.test_correspondence import _logged_in, _shot
from tests.outreach.factories import outreach_world

CPR = "070761-4285"


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_gp_orders_a_home_sample_and_the_service_receives_it(
    chromium_browser, live_server, slow_expect, axe_check
):
    w = outreach_world()

    # The GP's practice postcode is filled in; she looks up the patient's postcode instead.
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, "/udgaaende-funktioner/")
    expect(gp.locator("input[name=postnummer]")).to_have_value("8000")
    axe_check(gp)
    gp.locator("input[name=postnummer]").fill("8370")
    gp.locator("form.samspil-outreach-lookup button[type=submit]").click()
    expect(gp.locator("h2.samspil-outreach-result")).to_contain_text("8370 Hadsten")
    blood = gp.locator(".samspil-outreach-kind--blood_sampling")
    expect(blood).to_contain_text("Mobil blodprøvetagning")
    axe_check(gp)
    blood.locator("a", has_text="Mobil blodprøvetagning").click()
    expect(gp.locator(".samspil-outreach-phone")).to_have_text("+45 70 10 20 30")
    gp.locator("a.samspil-outreach-order").click()

    form = gp.locator("form.samspil-outreach-form")
    expect(form.locator("input[name=postcode]")).to_have_value("8370")
    form.locator("input[name=cpr]").fill(CPR)
    form.locator("textarea[name=request]").fill("Hjemmeprøve i morgen: CRP, hæmoglobin og væsketal.")
    axe_check(gp)
    form.locator("button[type=submit]").click()
    expect(gp).to_have_url(re.compile(r"/udgaaende-funktioner/bestillinger/[0-9a-f-]{36}/$"))
    expect(gp.locator(".samspil-outreach-state")).to_have_text("Bestilt, afventer funktionen")
    expect(gp.locator(".samspil-cpr")).to_have_text("070761-XXXX")
    assert CPR.replace("-", "") not in gp.url
    order_url = gp.url
    _shot(gp, "outreach-01-ordered")

    # The service's secretary has it at the top of the worklist and marks it received.
    staff_context, staff = _logged_in(
        chromium_browser, live_server, w.service_secretary, "/udgaaende-funktioner/bestillinger/"
    )
    axe_check(staff)
    staff.locator("tr.samspil-outreach-row--ordered a", has_text="Mobil blodprøvetagning").click()
    expect(staff.locator(".samspil-clinical-text")).to_have_text(
        "Hjemmeprøve i morgen: CRP, hæmoglobin og væsketal."
    )
    axe_check(staff)
    staff.locator("form.samspil-form-acknowledge button[type=submit]").click()
    expect(staff.locator(".samspil-outreach-state")).to_have_text("Modtaget af funktionen")
    _shot(staff, "outreach-02-received")

    gp.goto(order_url)
    expect(gp.locator(".samspil-acknowledged")).to_contain_text("Lone")
    assert OutreachOrder.objects.get().state == OutreachOrder.State.ACKNOWLEDGED
    gp_context.close()
    staff_context.close()
