"""Editors keep the symptom packages and administrators the visitation numbers, in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group

from portal.accounts.roles import Role
from portal.referrals.models import SymptomPackage
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.accounts.login import verified_login

from .factories import world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/referrals/symptompackage/",
        "/admin/snippets/referrals/symptompackage/add/",
        "/admin/snippets/referrals/areavisitation/",
        "/admin/snippets/referrals/areavisitation/add/",
    ],
)
def test_the_pages_render_for_an_administrator(client, url):
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 200


def test_an_editor_adds_a_package_but_cannot_touch_the_numbers(client):
    w = world()
    from portal.accounts.models import Organisation

    secretariat = Organisation.objects.create(kind="secretariat", name="Sekretariat")
    editor = UserFactory(is_staff=True)
    MembershipFactory(user=editor, organisation=secretariat, role=Role.EDITOR)
    editor.groups.add(Group.objects.get(name="Moderators"))
    verified_login(client, editor)
    response = client.post(
        "/admin/snippets/referrals/symptompackage/add/",
        {
            "name": "Træthed",
            "clinic": w.clinic.pk,
            "description": "",
            "checklist": "Blodprøver\nEKG",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert SymptomPackage.objects.get(name="Træthed").checklist_items == ["Blodprøver", "EKG"]
    assert client.get("/admin/snippets/referrals/areavisitation/add/").status_code in (302, 403)


def test_an_editor_adds_an_investigation_to_the_catalogue(client):
    from portal.accounts.models import Organisation
    from portal.referrals.models import InvestigationType

    w = world()
    secretariat = Organisation.objects.create(kind="secretariat", name="Sekretariat")
    editor = UserFactory(is_staff=True)
    MembershipFactory(user=editor, organisation=secretariat, role=Role.EDITOR)
    editor.groups.add(Group.objects.get(name="Moderators"))
    verified_login(client, editor)
    assert client.get("/admin/snippets/referrals/investigationtype/").status_code == 200
    response = client.post(
        "/admin/snippets/referrals/investigationtype/add/",
        {
            "name": "Drop-in røntgen af thorax",
            "department": w.department.pk,
            "preparation": "Fjern smykker.",
            "drop_in": "on",
            "resource": "",
            "drop_in_hours": "Hverdage 8-15",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert InvestigationType.objects.get(name="Drop-in røntgen af thorax").drop_in
    # Neither drop-in nor bookable: refused with a Danish message, nothing saved.
    response = client.post(
        "/admin/snippets/referrals/investigationtype/add/",
        {"name": "Ekko", "department": w.department.pk, "resource": "", "active": "on"},
    )
    assert response.status_code == 200 and "drop-in" in response.content.decode()
    assert not InvestigationType.objects.filter(name="Ekko").exists()
