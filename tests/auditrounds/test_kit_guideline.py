"""An audit kit audits one version of a guideline, and says so when the guideline has changed."""

import pytest
from django.core.exceptions import ValidationError

from content.models import AuditMaterialPage
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login
from tests.auditrounds.factories import guideline, kit, published
from tests.content.factories import GuidelinePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    return client


def test_linking_a_guideline_stores_its_live_revision_and_date():
    the_guideline = guideline()
    the_kit = kit(audits=the_guideline)
    assert the_kit.guideline_revision_id == the_guideline.live_revision_id
    assert the_kit.guideline_version_at == the_guideline.live_revision.created_at
    assert not the_kit.guideline_changed


def test_a_kit_cannot_audit_an_unpublished_guideline():
    draft = GuidelinePageFactory(live=False)
    the_kit = kit()
    the_kit.guideline = draft
    with pytest.raises(ValidationError) as error:
        the_kit.full_clean()
    assert "guideline" in error.value.message_dict


def test_republishing_the_guideline_marks_the_kit_as_changed_until_an_editor_relinks():
    the_guideline = guideline()
    the_kit = kit(audits=the_guideline)
    audited = the_kit.guideline_revision_id
    published(the_guideline)  # a new version

    the_kit = AuditMaterialPage.objects.get(pk=the_kit.pk)
    assert the_kit.guideline_changed
    the_kit.full_clean()  # an ordinary save keeps the version audited
    assert the_kit.guideline_revision_id == audited

    the_kit.guideline_revision, the_kit.guideline_version_at = None, None  # what the tick box does
    the_kit.full_clean()
    assert the_kit.guideline_revision_id == the_guideline.live_revision_id
    assert not the_kit.guideline_changed


def test_the_kit_edit_form_offers_the_guideline_and_the_tick_box(admin_client):
    the_kit = kit(audits=guideline())
    response = admin_client.get(f"/admin/pages/{the_kit.pk}/edit/")
    assert response.status_code == 200
    assert b'name="guideline"' in response.content
    assert b'name="relink_guideline"' in response.content


def test_the_public_kit_page_names_the_version_and_warns_when_the_guideline_changed(client):
    the_guideline = guideline()
    the_kit = kit(audits=the_guideline)
    page = client.get(the_kit.url).content.decode()
    assert the_guideline.title in page and "samspil-audit-guideline" in page
    assert "samspil-guideline-changed" not in page

    published(the_guideline)
    page = client.get(the_kit.url).content.decode()
    assert "Retningslinjen er ændret, siden dette auditmateriale blev lavet." in page
    assert the_guideline.url in page


def test_publishing_the_guideline_rebakes_the_kits_that_audit_it(monkeypatch):
    from content.baking import signals

    the_guideline = guideline()
    the_kit = kit(audits=the_guideline)
    queued = []
    monkeypatch.setattr(signals, "_queue", lambda page_ids=(), *args, **kwargs: queued.append(list(page_ids)))
    published(the_guideline)
    assert [the_guideline.pk, the_kit.pk] in queued
