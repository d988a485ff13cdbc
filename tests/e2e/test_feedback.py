"""Feedback on a guideline in Chromium (issue 15's knowledge loop): a GP on a guideline page uses
the "feedback on this variant" link of the general-practice variant and sends her remark; the
owner of that variant logs in, sees it with its deadline and answers; the GP reads the answer,
given before the deadline shown. axe-core checks each page."""

import re
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.models import Membership
from portal.accounts.roles import Role
from portal.feedback.models import PageFeedback
from tests.accounts.factories import PracticeFactory, UserFactory
from tests.content.factories import GuidelinePageFactory
from tests.e2e.test_correspondence import _logged_in, _shot
from tests.events.test_events import gp

REMARK = "CRP-grænsen passer ikke til almen praksis: vores <b>laboratorie</b>svar kommer dagen efter."
ANSWER = "Tak. Vi tilføjer en grænse for almen praksis og en note om svartider i næste revision."


@pytest.fixture
def slow_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def test_a_gp_sends_feedback_on_a_variant_and_the_owner_answers_before_the_deadline(
    chromium_browser, live_server, slow_expect, axe_check
):
    owner = UserFactory(first_name="Grethe", last_name="Almen")  # a GP, DSAM's named owner
    Membership.objects.create(user=owner, organisation=PracticeFactory(), role=Role.GP)
    hospital_owner = UserFactory(first_name="Sven", last_name="Sygehus")
    guideline = GuidelinePageFactory(
        title="Forhøjet CRP",
        general_practice_owner="Grethe Almen, DSAM",
        general_practice_owner_account=owner,
        hospital_owner_account=hospital_owner,
    )
    path = guideline.url
    reader = gp("Hanne")

    gp_context, page = _logged_in(chromium_browser, live_server, reader, path)
    link = page.locator("a[href$='?om=almen-praksis']")
    expect(link).to_have_count(1)
    axe_check(page)
    link.click()
    expect(page).to_have_url(re.compile(r"/tilbagemeldinger/ny/\d+/\?om=almen-praksis$"))
    expect(page.locator(".samspil-feedback-owner")).to_contain_text("Grethe Almen")
    form = page.locator("form.samspil-feedback-form")
    form.locator("textarea[name=text]").fill(REMARK)
    axe_check(page)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/tilbagemeldinger/[0-9a-f-]{36}/$"))
    expect(page.locator(".samspil-feedback-to")).to_have_text("Grethe Almen")
    expect(page.locator(".samspil-feedback-text")).to_contain_text(REMARK)  # escaped, as written
    feedback_url = page.url
    _shot(page, "feedback-01-sent")

    owner_context, own = _logged_in(chromium_browser, live_server, owner, "/tilbagemeldinger/")
    row = own.locator("#til-dig tr", has_text="Forhøjet CRP")
    expect(row).to_have_count(1)
    due_in_list = row.locator("time").nth(1).get_attribute("datetime")
    axe_check(own)
    row.locator("a").click()
    expect(own).to_have_url(feedback_url)
    due = own.locator(".samspil-feedback-due time")
    expect(due).to_have_attribute("datetime", due_in_list)
    expect(own.locator(".samspil-feedback-sender")).to_have_text(reader.get_full_name())
    answer_form = own.locator("form.samspil-feedback-answer-form")
    answer_form.locator("textarea[name=answer]").fill(ANSWER)
    axe_check(own)
    answer_form.locator("button[type=submit]").click()
    expect(own.locator(".samspil-feedback-answer-text")).to_have_text(ANSWER)
    _shot(own, "feedback-02-answered")

    page.reload()
    expect(page.locator(".samspil-feedback-answer-text")).to_have_text(ANSWER)
    expect(page.locator(".samspil-feedback-answer")).to_contain_text("Grethe Almen")
    shown_due = datetime.fromisoformat(page.locator(".samspil-feedback-due time").get_attribute("datetime"))
    axe_check(page)
    _shot(page, "feedback-03-read-by-gp")
    gp_context.close()
    owner_context.close()

    feedback = PageFeedback.objects.get()
    assert feedback.variant == "almen-praksis" and feedback.owner == owner and feedback.text == REMARK
    assert feedback.answered_by == owner and feedback.answered_at < shown_due
    assert shown_due == feedback.due_at and feedback.answered_at <= timezone.now()
