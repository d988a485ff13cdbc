"""Administrators keep the directory in the Wagtail admin; an editor cannot touch it."""

import pytest
from django.contrib.auth.models import Group

from portal.accounts.roles import Role
from portal.outreach.models import OutreachService
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.accounts.login import verified_login

from .factories import outreach_world

pytestmark = pytest.mark.django_db
ADD = "/admin/snippets/outreach/outreachservice/add/"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/outreach/outreachservice/",
        ADD,
        "/admin/snippets/outreach/municipality/",
        "/admin/snippets/outreach/postcode/add/",
        "/admin/snippets/outreach/organisationpostcode/add/",
    ],
)
def test_the_pages_render_for_an_administrator(client, url):
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 200


def _form(w, **changes):
    return {
        "kind": "hospital_at_home",
        "name": "Indlæggelse i eget hjem",
        "owner": w.department.pk,
        "description": "",
        "orderable_by_gp": "on",
        "phone": "+45 70 00 00 99",
        "response_working_days": "1",
        "hours": "Døgnet rundt",
        "municipalities": [w.city.pk, w.suburb.pk],
        "postcodes": "8305",
        "active": "on",
        **changes,
    }


def test_an_administrator_adds_an_entry_and_bad_postcodes_are_refused(client):
    w = outreach_world()
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    response = client.post(ADD, _form(w, postcodes="83O5"))
    assert response.status_code == 200 and "er ikke et postnummer" in response.content.decode()
    assert not OutreachService.objects.filter(name="Indlæggelse i eget hjem").exists()
    response = client.post(ADD, _form(w))
    assert response.status_code == 302, response.content.decode()[:500]
    entry = OutreachService.objects.get(name="Indlæggelse i eget hjem")
    assert set(entry.municipalities.all()) == {w.city, w.suburb} and entry.covers(8305, w.island.pk)


def test_an_editor_cannot_edit_the_directory(client):
    w = outreach_world()
    from portal.accounts.models import Organisation

    secretariat = Organisation.objects.create(kind="secretariat", name="Sekretariat")
    editor = UserFactory(is_staff=True)
    MembershipFactory(user=editor, organisation=secretariat, role=Role.EDITOR)
    editor.groups.add(Group.objects.get(name="Moderators"))
    verified_login(client, editor)
    response = client.post(ADD, _form(w))
    assert (
        response.status_code in (302, 403)
        and not OutreachService.objects.filter(name="Indlæggelse i eget hjem").exists()
    )
