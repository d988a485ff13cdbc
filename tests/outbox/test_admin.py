"""The outbox listing in the Wagtail admin: superusers look, nobody edits, no bodies are shown."""

import pytest
from django.contrib.auth.models import Group

from portal.outbox.models import OutboxEmail
from tests.accounts.factories import UserFactory
from tests.accounts.login import verified_login

from .factories import OutboxEmailFactory

pytestmark = pytest.mark.django_db

URL = "/admin/outbox/"


def logged_in(client, **user):
    verified_login(client, UserFactory(is_staff=True, **user))
    return client


def test_a_superuser_sees_status_attempts_and_errors_but_no_body(client):
    OutboxEmailFactory(
        key="correspondence.message:7:to:1",
        body="Brødteksten må ikke vises",
        subject="Emnet heller ikke",
        status=OutboxEmail.Status.PENDING,
        attempts=3,
        last_error="SMTPDataError: (451, b'Try again later')",
    )
    response = logged_in(client, is_superuser=True).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "correspondence.message:7:to:1" in html
    assert "451" in html
    assert "Brødteksten" not in html
    assert "Emnet heller ikke" not in html
    assert "laege@samspil.test" not in html


def test_nobody_edits_or_deletes_a_row_not_even_a_superuser(client):
    email = OutboxEmailFactory()
    client = logged_in(client, is_superuser=True)

    for url in (f"{URL}new/", f"{URL}edit/{email.pk}/", f"{URL}delete/{email.pk}/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    assert client.post(f"{URL}delete/{email.pk}/").status_code == 302
    assert OutboxEmail.objects.filter(pk=email.pk).exists()


def test_an_editor_does_not_see_the_outbox(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    verified_login(client, editor)

    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
