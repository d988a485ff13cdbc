"""What editors get in the admin: the review report, moderation, scheduled publishing, English UI."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Workflow

from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .factories import CasePageFactory, GuidelinePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Moderators"))
    verified_login(client, user)
    return user


def test_review_report_lists_only_pages_past_their_review_date(client, editor):
    today = timezone.localdate()
    overdue = GuidelinePageFactory(
        title="Forældet vejledning", next_review=today - datetime.timedelta(days=1)
    )
    draft_overdue = CasePageFactory(title="Forældet kladde", next_review=today - datetime.timedelta(days=30),
                                    live=False)  # fmt: skip
    GuidelinePageFactory(title="Frisk vejledning", next_review=today + datetime.timedelta(days=1))
    GuidelinePageFactory(title="Uden dato")

    response = client.get("/admin/reports/due-for-review/")

    assert response.status_code == 200
    html = response.content.decode()
    assert overdue.title in html and draft_overdue.title in html
    assert "Frisk vejledning" not in html and "Uden dato" not in html
    assert "Sider til revision" in html or "revision" in html.lower()


def test_review_report_exports_csv_with_the_next_review_date(client, editor):
    GuidelinePageFactory(title="Forældet", next_review=datetime.date(2025, 1, 31))
    response = client.get("/admin/reports/due-for-review/", {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "Forældet" in body and "2025-01-31" in body


def test_review_report_is_closed_to_anonymous_visitors(client):
    response = client.get("/admin/reports/due-for-review/")
    assert response.status_code == 302
    assert response["Location"] == "/log-ind/?next=/admin/reports/due-for-review/"


def test_the_moderation_workflow_is_on_for_the_whole_site():
    workflow = Workflow.objects.get(active=True)
    assert workflow.workflow_pages.filter(page__depth=1).exists()


def test_scheduled_publishing_publishes_when_the_time_comes():
    page = GuidelinePageFactory(title="Planlagt", live=False)
    page.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    page.save_revision().publish()  # Wagtail keeps it scheduled, not live
    page.refresh_from_db()
    assert not page.live

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live  # not yet

    # Move the clock past go_live_at for the command rather than waiting for it.
    later = timezone.now() + datetime.timedelta(minutes=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live


def test_english_is_available(client):
    page = GuidelinePageFactory()
    client.post("/i18n/setlang/", {"language": "en", "next": page.url})
    html = client.get(page.url).content.decode()
    assert '<html lang="en">' in html
    assert "Skip to the main content" in html and "General practice" in html


def test_review_report_shows_owner_and_days_overdue(client, editor):
    today = timezone.localdate()
    GuidelinePageFactory(
        title="Forældet vejledning",
        next_review=today - datetime.timedelta(days=12),
        general_practice_owner="DSAM, Søren Sørensen",
        hospital_owner="Medicinsk Afdeling",
    )
    CasePageFactory(title="Forældet eksempel", next_review=today - datetime.timedelta(days=3), owner=editor)
    html = client.get("/admin/reports/due-for-review/").content.decode()
    assert "Ansvarlig" in html and "Dage over tid" in html
    assert "DSAM, Søren Sørensen, Medicinsk Afdeling" in html
    assert f'<td valign="top">{editor.get_full_name()}</td>' in html
    assert '<td valign="top">12</td>' in html and '<td valign="top">3</td>' in html

    response = client.get("/admin/reports/due-for-review/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "Dage over tid" in body and "DSAM, Søren Sørensen, Medicinsk Afdeling" in body
    assert ",12" in body or ";12" in body


def test_owners_are_reminded_once_on_the_review_date(django_capture_on_commit_callbacks, settings):
    from portal.outbox.models import OutboxEmail

    settings.WAGTAILADMIN_BASE_URL = "https://samspil.example"
    owner = UserFactory(email="ejer@samspil.test")
    day = datetime.date(2026, 12, 1)
    due = GuidelinePageFactory(title="Hjertesvigt", next_review=day, owner=owner)
    GuidelinePageFactory(title="Senere", next_review=day + datetime.timedelta(days=1), owner=owner)
    GuidelinePageFactory(title="Uden ejer", next_review=day - datetime.timedelta(days=5))

    call_command("review_reminders", "--today", "2026-11-30")
    assert not OutboxEmail.objects.exists()  # not before the date

    with django_capture_on_commit_callbacks(execute=True):
        call_command("review_reminders", "--today", day.isoformat())
        call_command("review_reminders", "--today", day.isoformat())  # a second run sends nothing new
    email = OutboxEmail.objects.get()
    assert email.to == ["ejer@samspil.test"]
    assert email.subject == "Revision forfalden: Hjertesvigt"
    assert "1. december 2026" in email.body
    assert f"https://samspil.example/admin/pages/{due.pk}/edit/" in email.body

    # A page whose date passed while the job did not run is reminded the next time it runs.
    late = GuidelinePageFactory(title="Glemt", next_review=day - datetime.timedelta(days=2), owner=owner)
    call_command("review_reminders", "--today", day.isoformat())
    assert OutboxEmail.objects.filter(subject__endswith=late.title).count() == 1


def test_review_reminders_refuse_a_bad_date():
    with pytest.raises(CommandError, match="ikke en gyldig dato"):
        call_command("review_reminders", "--today", "i morgen")
