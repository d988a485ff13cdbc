"""The editors' side renders: page editors for every type, snippets, organisations, users."""

import pytest

from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .factories import GuidelinePageFactory, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    verified_login(client, user)
    return client


@pytest.mark.parametrize(
    "model", ["guidelinepage", "casepage", "faqpage", "auditmaterialpage", "thinksmartreviewpage"]
)
def test_add_form_renders_for_every_knowledge_page_type(admin_client, model):
    parent = section()
    response = admin_client.get(f"/admin/pages/add/content/{model}/{parent.pk}/")
    assert response.status_code == 200


def test_edit_form_and_preview_render_for_a_guideline(admin_client):
    page = GuidelinePageFactory()
    assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert admin_client.get(f"/admin/pages/{page.pk}/edit/preview/").status_code in {200, 405}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/snippets/accounts/organisation/",
        "/admin/snippets/accounts/membership/",
        "/admin/snippets/accounts/specialty/",
        "/admin/snippets/accounts/healthcouncilarea/",
        "/admin/snippets/accounts/region/",
        "/admin/snippets/content/sector/",
        "/admin/snippets/content/topic/",
        "/admin/snippets/accounts/organisation/add/",
        "/admin/users/",
        "/admin/users/new/",
        "/admin/reports/due-for-review/",
    ],
)
def test_admin_views_render(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_a_guideline_written_in_the_admin_is_published_when_a_colleague_approves(admin_client, client):
    """Publish from the editor saves and submits (the two-person rule); a colleague approves."""
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.urls import reverse

    from content.models import GuidelinePage

    parent = section()
    data = {
        "title": "Ny retningslinje om svimmelhed",
        "slug": "svimmelhed",
        "summary": "Kort.",
        "variant_reason": "",
        "general_practice_owner": "",
        "hospital_owner": "",
        "evidence_level": "",
        "recommendation_strength": "",
        "general_practice_body-count": "1",
        "general_practice_body-0-type": "markdown",
        "general_practice_body-0-value": "## Svimmelhed\n\n| Test | Fund |\n|---|---|\n| Dix-Hallpike | positiv |",
        "general_practice_body-0-deleted": "",
        "general_practice_body-0-order": "0",
        "general_practice_body-0-id": "",
        "hospital_body-count": "0",
        "references-count": "0",
        "last_reviewed": "",
        "next_review": "",
        "tags": "",
        "action-publish": "action-publish",
    }
    response = admin_client.post(f"/admin/pages/add/content/guidelinepage/{parent.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = GuidelinePage.objects.get(slug="svimmelhed")
    assert not page.live and page.workflow_in_progress
    colleague = UserFactory()
    colleague.groups.add(Group.objects.get(name="Moderators"))
    second = Client()
    verified_login(second, colleague)
    task_state = page.current_workflow_state.current_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    assert second.post(approve).status_code in (200, 302)
    client.logout()
    html = client.get("/retningslinjer/svimmelhed/").content.decode()
    assert "<h3>Svimmelhed</h3>" in html
    assert "<td>Dix-Hallpike</td>" in html
