"""The portal's frame in Chromium at phone width: log in from the menu, the second factor,
Mit overblik, the modules from the menu, log out. Screenshots go to test-results/ for review."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import RESULTS_DIR
from tests.content.factories import section
from tests.correspondence.factories import open_thread, world

PASSWORD = "laege-med-telefon-2026"


def _shot(page, name: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"frame-{name}.png"), full_page=True)


def test_a_gp_on_a_phone_logs_in_reaches_her_overview_and_logs_out(browser_page, live_server, axe_check):
    w = world()
    w.specialist.set_password(PASSWORD)
    w.specialist.save()
    device = TOTPDevice.objects.create(user=w.specialist, name="app", confirmed=True)
    open_thread(w, subject="Atrieflimren og DOAK")
    section("retningslinjer", "Retningslinjer")  # the home page and a section in the menu
    page = browser_page
    page.set_default_timeout(20_000)
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(live_server.url + "/")
    expect(page.locator(".portal-user")).to_be_hidden()  # no room on a phone: the menu holds it
    page.get_by_role("button", name="Menu").click()
    drawer = page.locator(".mobile-drawer")
    expect(drawer).to_be_visible()
    expect(drawer.get_by_role("link", name="Retningslinjer")).to_be_visible()
    _shot(page, "375-menu")
    drawer.get_by_role("link", name="Log ind").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind i Samspil")
    axe_check(page)
    page.get_by_label("E-mailadresse").fill(w.specialist.email)
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".alert-error")).to_contain_text("E-mailadressen eller adgangskoden er ikke rigtig")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    expect(page).to_have_url(re.compile(r"/konto/2fa/bekraeft/\?next=/overblik/$"))
    page.get_by_label("Kode").fill(f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}")
    page.get_by_role("button", name="Fortsæt").click()

    expect(page).to_have_url(live_server.url + "/overblik/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mit overblik")
    expect(page.locator("#traade-afventer-mig")).to_contain_text("Atrieflimren og DOAK")
    axe_check(page)
    _shot(page, "375-overview")

    page.get_by_role("button", name="Menu").click()
    expect(drawer.locator(".samspil-badge")).to_have_text("1")  # one thread awaits his reply
    drawer.get_by_role("link", name="Korrespondance").click()
    expect(page).to_have_url(re.compile(r"/korrespondance/$"))
    page.get_by_role("button", name="Menu").click()
    drawer.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(live_server.url + "/")
    page.goto(live_server.url + "/overblik/")
    expect(page).to_have_url(re.compile(r"/log-ind/\?next=/overblik/$"))


def test_at_desktop_width_the_modules_sit_in_the_portal_line(browser_page, live_server, axe_check):
    w = world()
    w.gp.set_password(PASSWORD)
    w.gp.save()
    device = TOTPDevice.objects.create(user=w.gp, name="app", confirmed=True)
    page = browser_page
    page.set_default_timeout(20_000)
    page.goto(live_server.url + "/log-ind/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    page.get_by_label("E-mailadresse").fill(w.gp.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_label("Kode").fill(f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}")
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mit overblik")
    user_line = page.locator(".portal-user")
    for name in ("Mit overblik", "Korrespondance", "Konferencer", "Min konto"):
        expect(user_line.get_by_role("link", name=name)).to_be_visible()
    _shot(page, "1280-overview")
    user_line.get_by_role("link", name="Min konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min konto")
    axe_check(page)
