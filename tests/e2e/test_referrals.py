"""Referrals in Chromium: the GP refers a patient, the department re-routes it and the GP sees
why at once; the department asks for a dialogue, the GP answers in the thread, and only then
can the department return it; the GP presses the veto on another and the department can no
longer re-route it.

Each person logs in with password and authenticator code in their own browser context.
"""

import re

import pytest
from playwright.sync_api import expect

from portal.referrals.models import Referral
from tests.e2e.test_correspondence import _logged_in, _shot
from tests.referrals.factories import refer, world

CPR = "070761-4285"


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_department_reroutes_and_the_gp_sees_why(chromium_browser, live_server, slow_expect, axe_check):
    w = world()

    # The GP refers a patient with COPD to the pulmonary department.
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, "/henvisninger/ny/")
    gp.locator("select[name=practice]").select_option(str(w.practice.pk))
    gp.locator("input[name=cpr]").fill(CPR)
    gp.locator("select[name=urgency]").select_option("routine")
    gp.locator("textarea[name=clinical_text]").fill("Åndenød ved let anstrengelse. Dosis <i.v.> 5 mg.")
    gp.locator("input[name=diagnosis_code]").fill("J44.1")
    gp.locator("input[name=diagnosis_text]").fill("KOL i forværring")
    gp.locator("select[name=destination]").select_option(str(w.department.pk))
    axe_check(gp)
    gp.locator("form.samspil-referral-form button[type=submit]").click()
    expect(gp).to_have_url(re.compile(r"/henvisninger/[0-9a-f-]{36}/$"))
    expect(gp.locator(".samspil-cpr")).to_have_text("070761-XXXX")
    expect(gp.locator(".samspil-clinical-text")).to_have_text(
        "Åndenød ved let anstrengelse. Dosis <i.v.> 5 mg."
    )
    referral_url = gp.url
    _shot(gp, "ref-01-referred")

    # The pulmonary specialist finds it on the worklist and re-routes it to cardiology.
    sp_context, sp = _logged_in(chromium_browser, live_server, w.specialist, "/henvisninger/afdeling/")
    sp.locator("tr.samspil-referral-row a", has_text="KOL i forværring").click()
    form = sp.locator("form.samspil-form-reroute")
    form.locator("select[name=to_department]").select_option(str(w.other_department.pk))
    form.locator("select[name=reason_code]").select_option("wrong-specialty")
    form.locator("textarea[name=reason]").fill("Billedet passer bedre med hjertesvigt.")
    form.locator("textarea[name=alternative]").fill("Ekkokardiografi i Hjertesygdomme inden for 14 dage.")
    axe_check(sp)
    form.locator("button[type=submit]").click()
    # The referral has left the department: back on the worklist, with the confirmation.
    expect(sp).to_have_url(re.compile(r"/henvisninger/afdeling/$"))
    expect(sp.locator(".alert-success")).to_contain_text("omvisiteret")
    expect(sp.locator("tr.samspil-referral-row", has_text="KOL i forværring")).to_have_count(0)
    _shot(sp, "ref-02-rerouted")

    # The GP sees at once, on the overview and on the referral, where it went and why.
    gp.goto(f"{live_server.url}/henvisninger/")
    row = gp.locator("tr.samspil-referral-row", has_text="KOL i forværring")
    expect(row).to_contain_text("Hjertesygdomme")
    expect(row).to_contain_text("Omvisiteret")
    gp.goto(referral_url)
    expect(gp.locator(".samspil-reroute-reason")).to_contain_text("Billedet passer bedre med hjertesvigt.")
    expect(gp.locator(".samspil-reroute-alternative")).to_contain_text("Ekkokardiografi i Hjertesygdomme")
    expect(gp.locator(".samspil-holder")).to_contain_text(w.practice.name)
    axe_check(gp)
    _shot(gp, "ref-03-gp-sees-why")
    assert Referral.objects.get().destination == w.other_department
    gp_context.close()
    sp_context.close()


def test_dialogue_then_return_and_the_veto(chromium_browser, live_server, slow_expect, axe_check):
    w = world()
    talk = refer(w, diagnosis_text="Hukommelsesbesvær")
    urgent = refer(w, diagnosis_text="Svær dyspnø")

    # The department asks for a dialogue; return is not offered before the GP answers.
    sp_context, sp = _logged_in(
        chromium_browser, live_server, w.specialist, f"/henvisninger/{talk.public_id}/"
    )
    expect(sp.locator(".samspil-return-blocked")).to_be_visible()
    sp.locator("form.samspil-form-dialogue textarea[name=message]").fill("Kan vi følge op i praksis?")
    sp.locator("form.samspil-form-dialogue button[type=submit]").click()
    expect(sp.locator(".samspil-dialogue-link")).to_be_visible()

    # The GP answers in the correspondence thread.
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, f"/henvisninger/{talk.public_id}/")
    gp.locator(".samspil-dialogue-link").click()
    expect(gp).to_have_url(re.compile(r"/korrespondance/[0-9a-f-]{36}/$"))
    gp.locator("textarea[name=body]").first.fill("Ja, jeg følger op med MMSE om et halvt år.")
    gp.locator("textarea[name=body]").first.locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    expect(gp.locator(".samspil-message").last).to_contain_text("MMSE")

    # Now the department may return it.
    sp.reload()
    form = sp.locator("form.samspil-form-return")
    form.locator("select[name=reason_code]").select_option("wrong-level")
    form.locator("textarea[name=reason]").fill("Aftalt i dialogen.")
    form.locator("button[type=submit]").click()
    expect(sp.locator(".samspil-referral-state").first).to_contain_text("Sendt tilbage")

    # The GP presses the veto on the other referral; the department cannot re-route it.
    gp.goto(f"{live_server.url}/henvisninger/{urgent.public_id}/")
    gp.locator("form.samspil-form-veto input[name=reason]").fill("SAT 86 % i hvile.")
    axe_check(gp)
    gp.locator("form.samspil-form-veto button[type=submit]").click()
    expect(gp.locator(".samspil-veto-notice")).to_be_visible()
    _shot(gp, "ref-04-veto")
    sp.goto(f"{live_server.url}/henvisninger/{urgent.public_id}/")
    expect(sp.locator(".samspil-veto-notice")).to_be_visible()
    expect(sp.locator("form.samspil-form-reroute")).to_have_count(0)
    expect(sp.locator("form.samspil-form-accept")).to_be_visible()
    gp_context.close()
    sp_context.close()


def test_a_handover_of_responsibility_is_proposed_and_acknowledged(
    chromium_browser, live_server, slow_expect
):
    w = world()
    referral = refer(w, diagnosis_text="Palliativ lungekræft")
    url = f"/henvisninger/{referral.public_id}/"

    # The GP holds it and proposes handing it to the department; she keeps it until acknowledged.
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, url)
    expect(gp.locator(".samspil-holder")).to_contain_text(w.practice.name)
    form = gp.locator("form.samspil-propose-handover")
    form.locator("select[name=to_organisation]").select_option(str(w.department.pk))
    form.locator("button[type=submit]").click()
    expect(gp.locator(".samspil-holder")).to_contain_text(w.practice.name)
    expect(gp.locator(".samspil-holder")).to_contain_text("endnu ikke kvitteret")

    # The department sees the offer on its worklist and acknowledges it on the referral.
    sp_context, sp = _logged_in(chromium_browser, live_server, w.specialist, "/henvisninger/afdeling/")
    sp.locator(".samspil-handovers a", has_text="Palliativ lungekræft").click()
    sp.locator("form.samspil-acknowledge button[type=submit]").click()
    expect(sp.locator(".samspil-holder")).to_contain_text(w.department.name)
    _shot(sp, "ref-05-handover-acknowledged")

    # Both see the one holder now.
    gp.reload()
    expect(gp.locator(".samspil-holder")).to_contain_text(w.department.name)
    expect(gp.locator(".samspil-holder")).not_to_contain_text("endnu ikke kvitteret")
    referral.refresh_from_db()
    assert referral.responsible_organisation == w.department
    gp_context.close()
    sp_context.close()


def test_a_gp_refers_breathlessness_and_books_a_subacute_time(
    chromium_browser, live_server, slow_expect, axe_check
):
    from datetime import timedelta

    from django.utils import timezone

    from portal.bookings.models import Resource
    from portal.bookings.services import resource_create, slot_publish

    w = world()
    resource = resource_create(
        actor=w.clinic_specialist,
        organisation=w.clinic,
        kind=Resource.Kind.SUBACUTE_OUTPATIENT,
        name="Subakut tid, tværfagligt ambulatorium",
        location="Indgang A",
    )
    starts = (timezone.now() + timedelta(hours=26)).replace(minute=0, second=0, microsecond=0)
    slot = slot_publish(
        actor=w.clinic_specialist, resource=resource, starts_at=starts, ends_at=starts + timedelta(minutes=45)
    )
    when = timezone.localtime(starts).strftime("%H.%M")  # Danish: kl. 17.00

    # The GP refers by the package "Åndenød" and books the clinic's time within 72 hours.
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, "/henvisninger/ny/")
    gp.locator("a.samspil-package-link", has_text="Åndenød").click()
    gp.locator("input[name=cpr]").fill(CPR)
    gp.locator("select[name=urgency]").select_option("subacute")
    gp.locator("textarea[name=clinical_text]").fill("Åndenød ved let anstrengelse gennem 4 uger.")
    gp.locator("label[for=checklist_0]").click()
    expect(gp.locator(".samspil-slot-choice")).to_contain_text(when)
    gp.locator("label[for=id_slot_0]").click()
    axe_check(gp)
    _shot(gp, "ref-05-subacute-choose-time")
    gp.locator("form.samspil-referral-form button[type=submit]").click()
    expect(gp).to_have_url(re.compile(r"/henvisninger/[0-9a-f-]{36}/$"))
    expect(gp.locator("dd.samspil-booked-time")).to_contain_text(when)
    expect(gp.locator("a.samspil-booking-ics")).to_be_visible()
    axe_check(gp)
    _shot(gp, "ref-06-subacute-booked")
    referral = Referral.objects.get()
    assert (
        referral.booking.slot == slot
        and referral.booking.slot.starts_at <= referral.created_at + timedelta(hours=72)
    )

    # The clinic sees the booked time on its worklist and on the referral.
    sp_context, sp = _logged_in(chromium_browser, live_server, w.clinic_specialist, "/henvisninger/afdeling/")
    row = sp.locator("tr.samspil-referral-row", has_text="Åndenød")
    # Times read the Danish way everywhere (17.00), in the list and on the referral page.
    expect(row.locator(".samspil-booked-time")).to_contain_text(when)
    row.locator("a").first.click()
    expect(sp.locator("dd.samspil-booked-time")).to_contain_text(when)
    _shot(sp, "ref-07-clinic-sees-time")
    gp_context.close()
    sp_context.close()
