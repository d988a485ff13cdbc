"""Bookings in Chromium: the department's secretary publishes a subacute time, a GP chooses it,
confirms within the hold and finds it in "my bookings" with its calendar file; the secretary
sees the booking. axe-core checks each page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.bookings.models import Booking
from tests.bookings.factories import world
from tests.e2e.test_correspondence import _logged_in, _shot


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_secretary_publishes_a_time_and_a_gp_books_it(
    chromium_browser, live_server, slow_expect, axe_check
):
    w = world()
    starts = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=9, minute=0)
    resource_path = f"/tider/ressourcer/{w.resource.public_id}/"

    sec_context, sec = _logged_in(chromium_browser, live_server, w.secretary, resource_path)
    form = sec.locator("form.samspil-slot-form")
    form.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=ends_at]").fill((starts + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M"))
    axe_check(sec)
    form.locator("button[type=submit]").click()
    expect(sec.locator("tr.samspil-owner-slot")).to_have_count(1)
    _shot(sec, "book-01-published")

    gp_context, gp = _logged_in(chromium_browser, live_server, w.gp, "/tider/ledige/")
    row = gp.locator("tr.samspil-free-slot", has_text="Subakut tid")
    expect(row).to_be_visible()
    axe_check(gp)
    row.locator("button[type=submit]").click()
    expect(gp).to_have_url(re.compile(r"/tider/reservation/[0-9a-f-]{36}/$"))
    expect(gp.locator(".samspil-hold-expires")).to_contain_text("Tiden holdes til dig indtil")
    axe_check(gp)
    gp.locator("button[value=confirm]").click()
    expect(gp).to_have_url(re.compile(r"/tider/booking/[0-9a-f-]{36}/$"))
    expect(gp.locator(".samspil-booking-status")).to_have_text("Booket")
    axe_check(gp)
    gp.goto(f"{live_server.url}/tider/")
    expect(gp.locator("tr.samspil-booking-row a", has_text=".ics")).to_be_visible()
    _shot(gp, "book-02-mine")
    assert Booking.objects.get().booked_by == w.gp

    sec.goto(f"{live_server.url}{resource_path}")
    expect(sec.locator("tr.samspil-owner-booking")).to_contain_text(str(w.practice))
    gp_context.close()
    sec_context.close()
