"""An FAQ proposal in Chromium (issue 15): a GP proposes a closed thread as an FAQ, sees what the
anonymiser changed, confirms and sends; an editor finds the unpublished draft in the Wagtail admin.
"""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from content.models import FaqPage
from content.services import FAQ_SECTION_SLUG, section_ensure, site_home_ensure
from portal.accounts.models import Organisation
from portal.accounts.roles import Role
from portal.correspondence.services import message_send, thread_close
from tests.correspondence.factories import member, open_thread, world
from tests.patients.anonymised import shows

from .test_correspondence import _logged_in, _shot

QUESTION = "Kære Sune Specialist. Patient 070761-4285 set 3.4.2026 med atrieflimren: start AK-behandling?"
REPLY = "Kære Grete Lægesen. Ja, start apixaban; kontrol 17.4.2026."


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_gp_proposes_a_closed_thread_and_an_editor_finds_the_draft(
    chromium_browser, live_server, slow_expect
):
    section = section_ensure(
        home=site_home_ensure(title="Samspil"), slug=FAQ_SECTION_SLUG, title="Spørgsmål og svar"
    )
    w = world()
    thread = open_thread(w, patient_cpr="0707614285", body=QUESTION, subject="Atrieflimren")
    message_send(thread=thread, author=w.specialist, body=REPLY, awaits_reply=False)
    thread_close(thread=thread, actor=w.gp, summary="Afklaret")
    secretariat = Organisation.objects.create(kind=Organisation.Kind.SECRETARIAT, name="Sekretariatet")
    editor = member(secretariat, Role.EDITOR, first_name="Rita", last_name="Redaktør")
    editor.groups.add(Group.objects.get(name="Moderators"))

    thread_path = f"/korrespondance/{thread.public_id}/"
    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, thread_path)
    gp.locator("a.samspil-propose-faq").click()
    expect(gp).to_have_url(re.compile(r"/foreslaa-faq/$"))
    changes = gp.locator(".samspil-anonymised")
    expect(changes.locator("[data-change=cpr]")).to_contain_text("1 CPR-nummer")
    expect(changes.locator("[data-change=names]")).to_contain_text("2 navne")
    expect(changes.locator("[data-change=dates]")).to_contain_text("2 datoer")
    question = gp.locator("textarea[name=question]")
    expect(question).to_contain_text("[CPR-nummer]")
    for secret in ("4285", "Sune", "Grete", "3.4.2026"):
        assert not shows(question.input_value() + gp.locator("textarea[name=answer]").input_value(), secret)
    _shot(gp, "faq-01-proposal")

    # Without confirming: refused, the text kept. Then the GP shortens the question and confirms.
    gp.locator("form.samspil-faq-proposal button[type=submit]").click()
    expect(gp.locator(".alert-error")).to_be_visible()
    question.fill("Skal AK-behandling startes ved nyopdaget atrieflimren?")
    gp.locator("form.samspil-faq-proposal input[name=confirmed]").check()
    gp.locator("form.samspil-faq-proposal button[type=submit]").click()
    expect(gp).to_have_url(live_server.url + thread_path)
    expect(gp.locator(".alert-success")).to_contain_text("FAQ-udkastet")
    gp_context.close()

    draft = FaqPage.objects.get()
    assert not draft.live
    ed_context, ed = _logged_in(chromium_browser, live_server, editor, f"/admin/pages/{section.pk}/")
    expect(ed.locator("main")).to_contain_text("Skal AK-behandling startes ved nyopdaget atrieflimren?")
    ed.goto(f"{live_server.url}/admin/pages/{draft.pk}/edit/")
    expect(ed.locator("main")).to_contain_text("apixaban")
    _shot(ed, "faq-02-editor-draft")
    ed_context.close()
