"""The two-person rule: an editor never approves her own submission (issue 10)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import TaskState, Workflow

from content.models import TwoPersonApprovalTask
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .factories import GuidelinePageFactory

pytestmark = pytest.mark.django_db


def moderator():
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def submitted():
    """A guideline draft that Anne submitted to the site's workflow."""
    anne, bo = moderator(), moderator()
    page = GuidelinePageFactory(title="Hjertesvigt", live=False)
    page.save_revision(user=anne)
    workflow = Workflow.objects.get(active=True)
    state = workflow.start(page, user=anne)
    page.refresh_from_db()
    return page, state, anne, bo


def test_the_site_workflow_uses_the_two_person_task_with_the_moderators():
    task = Workflow.objects.get(active=True).tasks.get().specific
    assert isinstance(task, TwoPersonApprovalTask)
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]


def test_the_submitter_is_offered_no_approval_but_a_colleague_is(submitted):
    page, state, anne, bo = submitted
    task = state.current_task_state.task.specific
    assert "approve" not in [name for name, _label, _modal in task.get_actions(page, anne)]
    assert "reject" in [name for name, _label, _modal in task.get_actions(page, anne)]
    assert "approve" in [name for name, _label, _modal in task.get_actions(page, bo)]
    assert not task.get_task_states_user_can_moderate(anne).exists()
    assert task.get_task_states_user_can_moderate(bo).exists()


def test_the_submitter_cannot_approve_even_by_posting_the_action(client, submitted):
    page, state, anne, _bo = submitted
    task_state = state.current_task_state
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, anne, "approve")

    verified_login(client, anne)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = client.post(url)
    # Wagtail answers a refused admin action with a redirect to the dashboard and a message.
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live


def test_a_colleague_approves_and_the_page_is_published(client, submitted):
    page, state, _anne, bo = submitted
    verified_login(client, bo)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.current_task_state.pk)
    )
    response = client.post(url)
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED
    page.refresh_from_db()
    assert page.live


def test_the_moderation_e_mail_is_in_danish(mailoutbox, django_capture_on_commit_callbacks, settings):
    """Wagtail's own Danish lacks its moderation e-mails; the project's catalogue supplies them."""
    settings.LANGUAGE_CODE = "da"
    anne, bo = moderator(), moderator()
    bo.email = "bo@samspil.test"
    bo.save()
    page = GuidelinePageFactory(title="Hjertesvigt", live=False)
    page.save_revision(user=anne)
    with django_capture_on_commit_callbacks(execute=True):
        Workflow.objects.get(active=True).start(page, user=anne)
    sent = [m for m in mailoutbox if "bo@samspil.test" in m.to]
    assert sent, [m.subject for m in mailoutbox]
    text = sent[0].subject + "\n" + sent[0].body
    assert "Hjertesvigt" in text
    assert "has been submitted" not in text and "er sendt til" in text, text


def test_the_admin_dashboard_shows_the_review_queue_in_danish(client, submitted):
    page, _state, anne, bo = submitted
    verified_login(client, bo)
    html = client.get("/admin/").content.decode()
    assert "Afventer din godkendelse" in html and "Awaiting your review" not in html
    assert "Hjertesvigt" in html
    # The submitter's own dashboard does not ask her to review what she submitted.
    client.logout()
    verified_login(client, anne)
    html = client.get("/admin/").content.decode()
    assert "Dine sider og snippets i en arbejdsgang" in html
    assert "Afventer din godkendelse" not in html


def test_editors_are_offered_submit_but_not_publish(client):
    page = GuidelinePageFactory(title="Hjertesvigt", live=False)
    verified_login(client, moderator())
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


@pytest.mark.parametrize("button", ["action-publish", "action-submit"])
def test_a_publish_post_is_saved_and_submitted_not_published(client, button):
    """Posting "Publish" anyway (an old form, a crafted post) saves the change and submits it:
    nothing typed is lost, nothing goes live without a second editor."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from .factories import SectionIndexPageFactory

    page = SectionIndexPageFactory(title="Retningslinjer", slug="retningslinjer-x", live=False)
    anne = moderator()
    verified_login(client, anne)
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = nested_form_data(
        {"title": "Retningslinjer, ny udgave", "slug": page.slug, "intro": "Ny indledning",
         "comments": inline_formset([]), button: button}
    )  # fmt: skip
    response = client.post(edit, data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.get_latest_revision().as_object().intro == "Ny indledning"  # nothing lost
    assert page.workflow_in_progress and page.current_workflow_state.requested_by == anne


def test_bulk_publishing_is_refused_where_a_second_editor_approves(client):
    page = GuidelinePageFactory(title="Hjertesvigt", live=False)
    page.save_revision(user=moderator())
    verified_login(client, moderator())
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={page.pk}"
    response = client.post(url, {"include_descendants": ""})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
