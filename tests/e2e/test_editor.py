"""An editor writes a guideline in the Wagtail admin, a colleague approves it, a visitor reads it.

Both editors are members of Wagtail's "Moderators" group (made by Wagtail's migrations). The
site's workflow ("Godkendelse hos en anden redaktør") is active on the root and has the
two-person step: the author is offered "Send til …", never "Udgiv", and cannot approve her own
submission; a second editor approves and so publishes. No superuser needed.

Everyone who can reach the admin must use two-factor login
(``portal.accounts.two_factor``), so the editor has an authenticator app
enrolled (a confirmed TOTP device) and types its current code after the password.

The admin is partly translated into Danish (Wagtail's own Danish catalogue is
incomplete), so some accessible names below are Danish and some English.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from content.models import GuidelinePage
from tests.accounts.factories import UserFactory
from tests.content.factories import section
from tests.e2e.axe import assert_no_serious_axe_violations

PASSWORD = "redaktoer-skriver-retningslinjer-7"
TITLE = "Hjertesvigt i eget hjem"
SLUG = "hjertesvigt-i-eget-hjem"
MARKDOWN = """## Særlig vigtig overskrift

Almen praksis følger patienten tæt de første uger.

| Målepunkt | Grænse |
|---|---|
| Vægtøgning | Over 2 kg på 3 dage |
| Iltmætning | Under 92 % |
"""
TIMEOUT = 20_000  # ms: the admin's JavaScript (StreamField, dropdowns) can be slow to start


@pytest.fixture
def patient_expect():
    """Longer ``expect`` timeouts for this test only (``set_options`` is process-wide)."""
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=None)  # None is Playwright's default (5 s)


def _current_code(device: TOTPDevice) -> str:
    """What the editor's authenticator app shows right now (computed without the database)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def _log_in_to_the_admin(page, base_url, editor, authenticator) -> None:
    page.goto(base_url + "/admin/login/")
    page.locator("input[name=username]").fill(editor.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    # The second factor: the code from the authenticator app, then on to the admin.
    expect(page).to_have_url(re.compile(r"/konto/2fa/bekraeft/\?next=/admin/$"))
    page.locator("input[name=token]").fill(_current_code(authenticator))
    page.locator("input[name=token]").press("Enter")
    expect(page).to_have_url(base_url + "/admin/")


def test_an_editor_writes_a_guideline_a_colleague_approves_it_and_visitors_see_it(
    browser_page, chromium_browser, live_server, patient_expect
):
    guidelines = section()  # the home page and the "Retningslinjer" section, published
    editor = UserFactory(email="redaktoer@samspil.test", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Moderators"))
    authenticator = TOTPDevice.objects.create(user=editor, name="Godkendelsesapp", confirmed=True)
    page = browser_page
    page.set_default_timeout(TIMEOUT)

    colleague = UserFactory(email="redaktoer2@samspil.test", password=PASSWORD)
    colleague.groups.add(Group.objects.get(name="Moderators"))
    colleagues_app = TOTPDevice.objects.create(user=colleague, name="Godkendelsesapp", confirmed=True)
    _log_in_to_the_admin(page, live_server.url, editor, authenticator)

    # The section in the page explorer, then "add a child page" of type guideline.
    page.goto(f"{live_server.url}/admin/pages/{guidelines.pk}/")
    expect(page.get_by_role("heading", name="Retningslinjer", level=1)).to_be_visible()
    page.get_by_role("link", name="Tilføj en underside").click()
    page.get_by_role("link", name="Retningslinje", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/add/content/guidelinepage/\d+/$"))

    # Title (the slug follows it), and a Markdown block in the general-practice variant.
    page.get_by_role("textbox", name=re.compile(r"^Titel\*?$")).fill(TITLE)
    general_practice = page.get_by_role("region", name="Almen praksis", exact=True)
    general_practice.get_by_role("button", name="Insert a block").click()
    general_practice.get_by_role("option", name="Markdown", exact=True).click()
    markdown = general_practice.locator("textarea[name='general_practice_body-0-value']")
    expect(markdown).to_be_visible()
    markdown.fill(MARKDOWN)
    expect(page.locator("input[name=slug]")).to_have_value(SLUG)  # on the "Promover" tab

    # Submit: the dropdown next to "Gem skitse" (Save draft) offers the workflow, not "Udgiv".
    footer = page.locator("footer .actions--primary")
    footer.locator("button.w-dropdown__toggle").click()
    expect(footer.get_by_role("button", name="Udgiv", exact=True)).to_have_count(0)
    footer.get_by_role("button", name="Send til Godkendelse hos en anden redaktør").click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{guidelines.pk}/$"))
    expect(page.locator(".messages .success")).to_contain_text(TITLE)

    # The author cannot approve her own submission: the edit page offers her no approval.
    page.get_by_role("link", name=TITLE).first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    edit_url = page.url
    footer.locator("button.w-dropdown__toggle").click()
    expect(footer.get_by_role("button", name=re.compile("^Godkend"))).to_have_count(0)

    # A colleague approves, and that publishes.
    colleagues_context = chromium_browser.new_context(locale="da-DK")
    try:
        second = colleagues_context.new_page()
        second.set_default_timeout(TIMEOUT)
        _log_in_to_the_admin(second, live_server.url, colleague, colleagues_app)
        second.goto(edit_url)
        second_footer = second.locator("footer .actions--primary")
        second_footer.locator("button.w-dropdown__toggle").click()
        second_footer.get_by_role("button", name="Godkend og Publicér", exact=True).click()
        expect(second.locator(".messages .success")).to_contain_text(TITLE)
    finally:
        colleagues_context.close()

    # A visitor, without the editor's session, reads the published page.
    visitor_context = chromium_browser.new_context(locale="da-DK")
    try:
        visitor = visitor_context.new_page()
        response = visitor.goto(f"{live_server.url}/retningslinjer/{SLUG}/")
        assert response is not None and response.status == 200
        expect(visitor.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        expect(visitor.get_by_role("link", name="Log ind")).to_be_visible()  # anonymous indeed
        variant = visitor.get_by_role("region", name="Almen praksis", exact=True)
        # The Markdown "##" sits under the variant's own h2, so it renders as h3.
        expect(variant.get_by_role("heading", name="Særlig vigtig overskrift", level=3)).to_be_visible()
        expect(variant).not_to_contain_text("## Særlig")  # rendered, not shown as source
        table = variant.get_by_role("table")
        expect(table.get_by_role("columnheader")).to_have_text(["Målepunkt", "Grænse"])
        expect(table.get_by_role("row")).to_have_count(3)
        expect(table.get_by_role("cell", name="Over 2 kg på 3 dage")).to_be_visible()
        expect(table).to_have_class(re.compile(r"\btable\b"))  # the design system's table style
        expect(visitor.get_by_role("region", name="Sygehus", exact=True)).to_contain_text(
            "Der er endnu ingen variant for sygehus."
        )
    finally:
        visitor_context.close()

    # The editor once more, on a fresh form (axe takes seconds; an edited form would be
    # saved meanwhile): every field has an accessible name, the Markdown box included.
    page.goto(f"{live_server.url}/admin/pages/add/content/guidelinepage/{guidelines.pk}/")
    general_practice = page.get_by_role("region", name="Almen praksis", exact=True)
    general_practice.get_by_role("button", name="Insert a block").click()
    general_practice.get_by_role("option", name="Markdown", exact=True).click()
    expect(general_practice.get_by_role("textbox", name="Markdown", exact=True)).to_be_visible()
    assert_no_serious_axe_violations(page)  # the public pages' standard, the admin editor included

    # Only now look in the database: the live server shares the in-memory SQLite
    # database, so the test thread stays out of it while the browser is busy.
    page.goto("about:blank")
    created = GuidelinePage.objects.child_of(guidelines).get(slug=SLUG)
    assert created.live and not created.has_unpublished_changes
    assert [block.block_type for block in created.general_practice_body] == ["markdown"]
    assert created.owner == editor
