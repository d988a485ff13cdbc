"""Focused stays in Chromium, on the demo region: the coordinator runs the matching, pins the demo
trainee to the demo GP's practice, runs again and publishes; the practice and the trainee
confirm; the trainee downloads the stay's .ics (parsed back); after the stay both evaluate it,
and the coordinator's report shows the scores.

Each person logs in with password and authenticator code in their own browser context.
Screenshots go to test-results/.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.accounts.models import User
from portal.stays.demo import REGION, demo_stays_load
from portal.stays.models import Assignment, HostOffer, StayEvaluation, StayNeed
from tests.e2e.test_correspondence import PASSWORD, _logged_in

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=None)


def test_match_pin_publish_confirm_download_evaluate_report(chromium_browser, live_server, slow_expect):
    demo_users_load(demo_organisations_load())
    demo_stays_load()
    coordinator = User.objects.get(email="koordinator@samspil.test")
    trainee = User.objects.get(email="hoveduddannelse@samspil.test")
    gp = User.objects.get(email="laege@samspil.test")
    for user in (coordinator, trainee, gp):  # the login helper knows the factories' password
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    region_path = f"/fokuserede-ophold/koordinering/{REGION}/"

    # The coordinator runs the matching for the demo region.
    co_context, co = _logged_in(chromium_browser, live_server, coordinator, region_path)
    co.locator("form.samspil-stays-match button[type=submit]").click()
    expect(co).to_have_url(re.compile(r"/koersel/[0-9a-f-]{36}/$"))
    expect(co.locator("tr.samspil-proposal-row").first).to_be_visible()
    _shot(co, "stays-01-proposal")

    # She pins the demo trainee to the demo GP's practice and runs the matching again.
    co.goto(f"{live_server.url}{region_path}")
    co.locator("a.samspil-stays-rule-link").click()
    form = co.locator("form.samspil-stays-rule-form")
    form.locator("select[name=need]").select_option(str(StayNeed.objects.get(trainee=trainee).public_id))
    form.locator("select[name=offer]").select_option(str(HostOffer.objects.get(supervisor=gp).public_id))
    form.locator("input[name=kind][value=pin]").check()
    form.locator("button[type=submit]").click()
    expect(co.locator(".alert, .samspil-messages, [role=status]").first).to_be_visible()
    co.locator("form.samspil-stays-match button[type=submit]").click()
    expect(co).to_have_url(re.compile(r"/koersel/[0-9a-f-]{36}/$"))
    pinned = co.locator("tr.samspil-proposal-row", has_text="Ali Yilmaz")
    expect(pinned).to_contain_text("Lægerne i Trøjborg")
    expect(pinned).to_contain_text("Fastlåst")
    _shot(co, "stays-02-pinned")
    co.locator("form.samspil-stays-publish button[type=submit]").click()
    expect(co).to_have_url(re.compile(re.escape(region_path) + "$"))
    stay = Assignment.objects.get(need__trainee=trainee, state=Assignment.State.PUBLISHED)
    stay_path = f"/fokuserede-ophold/ophold/{stay.public_id}/"

    # The practice confirms.
    gp_context, gp_page = _logged_in(chromium_browser, live_server, gp, stay_path)
    gp_page.locator("button.samspil-stay-confirm").click()
    expect(gp_page.locator("button.samspil-stay-confirm")).to_have_count(0)
    _shot(gp_page, "stays-03-practice-confirmed")

    # The trainee sees the stay on the start page, confirms it and downloads its .ics.
    tr_context, tr = _logged_in(chromium_browser, live_server, trainee, "/fokuserede-ophold/")
    tr.locator(f"a[href='{stay_path}']").first.click()
    expect(tr.locator("h1")).to_contain_text("Lægerne i Trøjborg")
    tr.locator("button.samspil-stay-confirm").click()
    expect(tr.locator(".samspil-stay-state")).to_have_text("Bekræftet")
    with tr.expect_download() as download_info:
        tr.locator("a", has_text=".ics").click()
    events = list(Calendar.from_ical(open(download_info.value.path(), "rb").read()).walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [f"{stay.public_id}@ophold.samspil.dk"]
    assert "Lægerne i Trøjborg" in str(events[0]["SUMMARY"])
    assert events[0]["DTSTART"].dt.date() == stay.starts_on
    _shot(tr, "stays-04-trainee-confirmed")

    # Time passes: the stay is over.
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday() + 21)
    Assignment.objects.filter(pk=stay.pk).update(starts_on=start, ends_on=start + timedelta(days=11))

    # The trainee evaluates the practice.
    tr.goto(f"{live_server.url}{stay_path}")
    tr.locator("a.samspil-stays-evaluate").click()
    tr.locator("input[name=score][value='4']").check()
    tr.locator("textarea[name=comment]").fill("God vejledning <og> mange børn.")
    _shot(tr, "stays-05-trainee-evaluates")
    tr.locator("form.samspil-stays-evaluation-form button[type=submit]").click()
    expect(tr.locator(".samspil-stays-evaluation[data-direction=of_practice]")).to_contain_text(
        "God vejledning <og> mange børn."
    )

    # The supervising GP scores each learning objective and the stay.
    gp_page.goto(f"{live_server.url}{stay_path}")
    gp_page.locator("a.samspil-stays-evaluate").click()
    radios = gp_page.locator("input[type=radio][name^=objective_][value='5']")
    assert radios.count() == 2
    for index in range(radios.count()):
        radios.nth(index).check()
    gp_page.locator("input[name=score][value='5']").check()
    gp_page.locator("form.samspil-stays-evaluation-form button[type=submit]").click()
    expect(gp_page.locator(".samspil-stays-evaluation[data-direction=of_stay]")).to_contain_text("5 / 5")
    _shot(gp_page, "stays-06-supervisor-evaluated")
    assert StayEvaluation.objects.filter(assignment=stay).count() == 2

    # The coordinator's report for the year shows both scores.
    co.goto(f"{live_server.url}{region_path}rapport/?aar={start.year}")
    row = co.locator("table.samspil-stays-report-practices tr", has_text="Lægerne i Trøjborg")
    expect(row).to_contain_text("4,0 (1)")
    expect(row).to_contain_text("5,0 (1)")
    chart = co.locator("figure.samspil-stays-chart svg")
    expect(chart).to_contain_text("Pædiatri")
    expect(chart.locator("rect:not([width='0'])").first).to_be_visible()  # the stay done
    _shot(co, "stays-07-report")
    for context in (co_context, gp_context, tr_context):
        context.close()
