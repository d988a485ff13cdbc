"""Two-factor enrolment in Chromium: password, QR code and key, first code, recovery codes, admin."""

import base64
import re

from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory

PASSWORD = "ny-redaktoer-med-telefon-9"


def test_an_editor_enrols_an_authenticator_app_and_reaches_the_admin(browser_page, live_server, axe_check):
    editor = UserFactory(email="ny.redaktoer@samspil.test", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Moderators"))
    page = browser_page
    page.set_default_timeout(20_000)

    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill(editor.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")

    # No device yet: the admin sends the editor to enrolment, in Danish, with a QR code.
    expect(page).to_have_url(re.compile(r"/konto/2fa/opret/\?next=/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Opsæt totrinslogin")
    expect(page.locator("figure.samspil-qr svg")).to_be_visible()
    axe_check(page)

    # The phone: the key shown under the QR code gives the current code.
    key = page.locator(".samspil-secret").inner_text().replace(" ", "")
    code = totp(base64.b32decode(key), step=30, t0=0, digits=6)
    page.get_by_label("Kode").fill("000000")
    page.get_by_role("button", name="Aktivér").click()
    expect(page.locator(".form-error-message")).to_contain_text("Koden er ikke rigtig")
    TOTPDevice.objects.filter(user=editor).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    page.get_by_label("Kode").fill(f"{code:06d}")
    page.get_by_role("button", name="Aktivér").click()

    # Ten recovery codes, shown once; then the admin opens.
    expect(page.get_by_role("heading", level=1)).to_have_text("Totrinslogin er slået til")
    codes = page.locator(".samspil-recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"\d{5}-\d{5}", c) for c in codes)
    assert StaticToken.objects.filter(device__user=editor).count() == 10
    assert TOTPDevice.objects.get(user=editor).confirmed
    page.get_by_role("link", name="Fortsæt").click()
    expect(page).to_have_url(live_server.url + "/admin/")
