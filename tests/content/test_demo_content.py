"""load_demo_content fills a believable site, is idempotent, and makes demo users only in development."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from wagtail.models import Page, Site

from content.models import AuditMaterialPage, CasePage, FaqPage, GuidelinePage, HomePage, ThinkSmartReviewPage
from portal.accounts.demo import demo_organisations_load, demo_users_load
from portal.accounts.models import HealthCouncilArea, Membership, Organisation
from portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo_content", stdout=StringIO())


def test_the_demo_site_has_what_the_issue_asks_for(client):
    load()
    guidelines = GuidelinePage.objects.live()
    assert guidelines.count() >= 10
    specialties = {s.slug for g in guidelines for s in g.specialties.all()}
    assert len(specialties) >= 6
    for guideline in guidelines:
        assert len(guideline.general_practice_body) and len(guideline.hospital_body), guideline.title
    assert CasePage.objects.live().count() >= 5
    assert FaqPage.objects.live().count() >= 1
    assert AuditMaterialPage.objects.live().count() >= 2
    assert ThinkSmartReviewPage.objects.live().count() >= 3
    assert HealthCouncilArea.objects.filter(organisations__isnull=False).distinct().count() >= 2
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    response = client.get("/")
    assert response.status_code == 200
    assert "Retningslinjer" in response.content.decode()
    # The footer's pages, as editable pages: contact, privacy, cookies, accessibility statement.
    footer = response.content.decode().split('<footer class="footer samspil-footer">')[1]
    for href, title in [
        ("/kontakt/", "Kontakt"),
        ("/privatliv/", "Privatliv og patientdata"),
        ("/cookies/", "Cookies"),
        ("/tilgaengelighed/", "Tilgængelighedserklæring"),
    ]:
        assert f'<a href="{href}">{title}</a>' in footer
        assert client.get(href).status_code == 200


def test_loading_twice_changes_nothing_in_number():
    load()
    counts = (Page.objects.count(), Organisation.objects.count(), get_user_model().objects.count(),
              Membership.objects.count())  # fmt: skip
    load()
    assert counts == (Page.objects.count(), Organisation.objects.count(), get_user_model().objects.count(),
                      Membership.objects.count())  # fmt: skip


def test_one_demo_user_per_role_in_development(settings):
    settings.SAMSPIL_CREATE_DEMO_USERS = True
    load()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert get_user_model().objects.get(email="admin@samspil.test").is_superuser
    assert (
        get_user_model().objects.get(email="redaktoer@samspil.test").groups.filter(name="Moderators").exists()
    )


def test_no_demo_users_with_production_settings(settings):
    settings.SAMSPIL_CREATE_DEMO_USERS = False
    load()
    assert not get_user_model().objects.exists()
    with pytest.raises(ImproperlyConfigured):
        demo_users_load(demo_organisations_load())


def test_production_settings_never_create_demo_users():
    from portal.settings import production  # noqa: F401 - reads SECRET_KEY/ALLOWED_HOSTS

    assert production.SAMSPIL_CREATE_DEMO_USERS is False


@pytest.fixture(autouse=True)
def _production_env(monkeypatch):
    # Importing the production module needs its required variables.
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "samspil.example")
    monkeypatch.setenv("SITE_URL", "https://samspil.example")
    monkeypatch.setenv("CPR_ENCRYPTION_KEYS", "c2Ftc3BpbC10ZXN0LW9ubHktbm90LXNlY3JldC1rZXk=")
    monkeypatch.setenv("CPR_BLIND_INDEX_KEY", "x" * 40)
