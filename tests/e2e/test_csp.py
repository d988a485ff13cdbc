"""The site works in Chromium with the Content-Security-Policy on: no violation on public or admin pages.

Chromium fires ``securitypolicyviolation`` for everything the policy blocks; an init
script (which runs outside the page's CSP) records them. The public pages are checked
under the strict policy, the Wagtail admin under its relaxed one (settings.base says
what was relaxed and why).
"""

import re

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.content.factories import (
    AuditMaterialPageFactory,
    CasePageFactory,
    FaqPageFactory,
    GuidelinePageFactory,
    ThinkSmartReviewPageFactory,
    home,
    section,
)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI} ${event.sample}`);
}, true);
"""
TIMEOUT = 20_000


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations")


def test_public_pages_run_without_csp_violations(browser_page, live_server):
    pages = [
        home(),
        section(),
        GuidelinePageFactory(),
        CasePageFactory(),
        FaqPageFactory(),
        AuditMaterialPageFactory(),
        ThinkSmartReviewPageFactory(),
    ]
    page = browser_page
    page.context.add_init_script(RECORD_VIOLATIONS)
    urls = [p.url for p in pages] + ["/soeg/?q=retningslinje", "/findes-ikke/"]
    for url in urls:
        response = page.goto(live_server.url + url)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert violations(page) == [], url


def test_the_violation_recorder_sees_a_blocked_inline_script(browser_page, live_server):
    # Without this, an empty list above could mean the recorder never worked.
    page = browser_page
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server.url + home().url)
    page.evaluate("document.body.appendChild(document.createElement('script')).textContent = 'window.x = 1'")
    page.wait_for_timeout(200)
    assert any(v.startswith("script-src-elem blocked inline") for v in violations(page))
    assert page.evaluate("window.x") is None


@pytest.mark.parametrize("admin_path", ["/admin/", "/admin/pages/{section}/", "/admin/pages/{page}/edit/"])
def test_the_admin_runs_without_csp_violations(browser_page, live_server, admin_path):
    guidelines = section()
    guideline = GuidelinePageFactory()
    password = "redaktoer-tjekker-csp-2026"
    editor = UserFactory(email="csp-redaktoer@samspil.test", password=password)
    editor.groups.add(Group.objects.get(name="Moderators"))
    device = TOTPDevice.objects.create(user=editor, name="Godkendelsesapp", confirmed=True)
    page = browser_page
    page.set_default_timeout(TIMEOUT)
    page.context.add_init_script(RECORD_VIOLATIONS)

    page.goto(live_server.url + "/admin/login/")
    assert violations(page) == []  # the login page runs under the strict policy
    page.locator("input[name=username]").fill(editor.email)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile(r"/konto/2fa/bekraeft/"))
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    page.locator("input[name=token]").fill(f"{code:0{device.digits}d}")
    page.locator("input[name=token]").press("Enter")
    expect(page).to_have_url(live_server.url + "/admin/")

    page.goto(live_server.url + admin_path.format(section=guidelines.pk, page=guideline.pk))
    assert violations(page) == []
