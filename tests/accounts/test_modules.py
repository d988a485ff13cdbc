"""The header and Mit overblik offer each role the modules it works in (issue 10)."""

import pytest
from django.contrib.auth.models import Group

from portal.accounts.models import Organisation
from portal.accounts.modules import (
    BOOKINGS,
    CONFERENCES,
    CORRESPONDENCE,
    OUTREACH,
    REFERRALS,
    STAYS,
    SUPPORT,
    user_modules,
)
from portal.accounts.roles import Role
from tests.accounts.login import verified_login

from .factories import DepartmentFactory, MembershipFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

EVERY = {CORRESPONDENCE, CONFERENCES, REFERRALS, BOOKINGS, SUPPORT, OUTREACH}


def _member(role, organisation):
    return MembershipFactory(role=role, organisation=organisation).user


@pytest.fixture
def people():
    practice, department = PracticeFactory(), DepartmentFactory()
    secretariat = Organisation.objects.create(kind=Organisation.Kind.SECRETARIAT, name="Sekretariatet")
    kap = Organisation.objects.create(kind=Organisation.Kind.KAP_UNIT, name="KAP-enheden")
    editor = _member(Role.EDITOR, secretariat)
    editor.groups.add(Group.objects.get(name="Moderators"))
    return {
        "gp": _member(Role.GP, practice),
        "specialist": _member(Role.HOSPITAL_SPECIALIST, department),
        "secretary": _member(Role.MEDICAL_SECRETARY, department),
        "coordinator": _member(Role.TRAINING_COORDINATOR, secretariat),
        "consultant": _member(Role.PRACTICE_CONSULTANT, kap),
        "editor": editor,
        "nobody": UserFactory(),
    }


def test_each_role_works_in_its_modules(people):
    assert user_modules(people["gp"]) == EVERY | {STAYS}  # her practice may host a trainee
    assert user_modules(people["specialist"]) == EVERY
    assert user_modules(people["secretary"]) == EVERY - {CONFERENCES}
    assert user_modules(people["coordinator"]) == {STAYS}
    for who in ("consultant", "editor", "nobody"):
        assert user_modules(people[who]) == frozenset(), who


def test_the_header_offers_only_the_roles_modules(client, people):
    verified_login(client, people["secretary"])
    html = client.get("/konto/").content.decode()
    assert 'href="/korrespondance/"' in html and 'href="/henvisninger/"' in html
    assert 'href="/konferencer/"' not in html
    verified_login(client, people["coordinator"])
    html = client.get("/konto/").content.decode()
    for href in ("/korrespondance/", "/konferencer/", "/henvisninger/", "/tider/"):
        assert f'href="{href}"' not in html
    assert 'href="/overblik/"' in html and 'href="/konto/"' in html and 'href="/fokuserede-ophold/"' in html


def test_an_overview_without_modules_points_to_the_knowledge_base(client, people):
    from tests.content.factories import section

    section("retningslinjer", "Retningslinjer")
    verified_login(client, people["consultant"])
    html = client.get("/overblik/").content.decode()
    assert "overblik-korrespondance" not in html and "overblik-henvisninger" not in html
    assert "overblik-viden" in html and 'href="/retningslinjer/"' in html


def test_an_editor_sees_the_editing_section_and_not_the_clinical_ones(client, people):
    verified_login(client, people["editor"])
    html = client.get("/overblik/").content.decode()
    assert "overblik-redaktion" in html
    assert "overblik-korrespondance" not in html and "overblik-viden" not in html
