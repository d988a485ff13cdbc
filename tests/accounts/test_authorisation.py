"""The authorisation matrix on the objects that exist so far: organisations and memberships."""

import pytest
from django.http import Http404

from portal.accounts.access import object_for_user_or_404
from portal.accounts.models import Membership, Organisation
from portal.accounts.roles import Role
from tests.authz import assert_authorisation_matrix, perm

from .factories import DepartmentFactory, MembershipFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    practice, other_practice, department = PracticeFactory(), PracticeFactory(), DepartmentFactory()
    secretariat = Organisation.objects.create(kind=Organisation.Kind.SECRETARIAT, name="Sekretariatet")
    gp = MembershipFactory(organisation=practice, role=Role.GP)
    colleague = MembershipFactory(organisation=practice, role=Role.MEDICAL_SECRETARY)
    other_gp = MembershipFactory(organisation=other_practice, role=Role.GP)
    specialist = MembershipFactory(organisation=department, role=Role.HOSPITAL_SPECIALIST)
    admin = MembershipFactory(organisation=secretariat, role=Role.ADMINISTRATOR)
    return {
        "users": {
            "gp": gp.user,
            "colleague": colleague.user,
            "other_gp": other_gp.user,
            "specialist": specialist.user,
            "administrator": admin.user,
            "no_membership": UserFactory(),
        },
        "objects": {"practice": practice, "gp_membership": gp, "department": department},
    }


def test_the_matrix_for_organisations_and_memberships(world):
    everyone = world["users"].keys()
    allowed = {(role, "practice", "view_org") for role in everyone}
    allowed |= {(role, "department", "view_org") for role in everyone}
    allowed |= {("administrator", obj, "change_org") for obj in ("practice", "department")}
    allowed |= {(role, "gp_membership", "view_membership") for role in ("gp", "colleague", "administrator")}
    allowed |= {("administrator", "gp_membership", "change_membership")}
    # Superusers administer organisations and memberships (the harness adds them).
    allowed |= {
        ("superuser", obj, action)
        for obj in ("practice", "department")
        for action in ("view_org", "change_org")
    }
    allowed |= {("superuser", "gp_membership", action) for action in ("view_membership", "change_membership")}

    cells = assert_authorisation_matrix(
        users=world["users"],
        objects=world["objects"],
        actions={
            "view_org": lambda u, o: (
                not isinstance(o, Membership) and u.has_perm("accounts.view_organisation", o)
            ),
            "change_org": lambda u, o: (
                not isinstance(o, Membership) and u.has_perm("accounts.change_organisation", o)
            ),
            "view_membership": lambda u, o: (
                isinstance(o, Membership) and u.has_perm("accounts.view_membership", o)
            ),
            "change_membership": lambda u, o: (
                isinstance(o, Membership) and u.has_perm("accounts.change_membership", o)
            ),
        },
        allowed=allowed,
    )
    assert cells == 7 * 3 * 4


def test_the_harness_reports_a_wrong_cell(world):
    with pytest.raises(AssertionError, match="other_gp.*view.*gp_membership.*expected ALLOW"):
        assert_authorisation_matrix(
            users={"other_gp": world["users"]["other_gp"]},
            objects={"gp_membership": world["objects"]["gp_membership"]},
            actions={"view": perm("accounts.view_membership")},
            allowed={("other_gp", "gp_membership", "view")},
        )


def test_out_of_reach_objects_are_404_not_403(world):
    membership = world["objects"]["gp_membership"]
    with pytest.raises(Http404):
        object_for_user_or_404(
            user=world["users"]["other_gp"], perm="accounts.view_membership",
            queryset=Membership.objects.all(), pk=membership.pk,
        )  # fmt: skip
    assert object_for_user_or_404(
        user=world["users"]["colleague"], perm="accounts.view_membership",
        queryset=Membership.objects.all(), pk=membership.pk,
    ) == membership  # fmt: skip
    with pytest.raises(Http404):  # a missing id looks exactly the same
        object_for_user_or_404(
            user=world["users"]["colleague"], perm="accounts.view_membership",
            queryset=Membership.objects.all(), pk=10**9,
        )  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/snippets/accounts/organisation/",
        "/admin/snippets/accounts/organisation/add/",
        "/admin/snippets/accounts/organisation/edit/{practice}/",
        "/admin/snippets/accounts/membership/",
        "/admin/snippets/accounts/membership/edit/{membership}/",
        "/admin/adgangslog/",
    ],
)
def test_superusers_still_administer_in_the_wagtail_admin(client, world, url):
    """The rules bind superusers, but the rules that name administrators let them through."""
    from tests.accounts.login import verified_login

    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    url = url.format(
        practice=world["objects"]["practice"].pk, membership=world["objects"]["gp_membership"].pk
    )
    assert client.get(url).status_code == 200


def test_a_rule_is_the_whole_answer_for_everyone(world, django_assert_num_queries):
    """A permission with a rule is decided by the rule alone: a Django permission granted by
    hand does not open it, and a "no" does not go on to read the permission tables."""
    from django.contrib.auth.models import Permission

    gp = world["users"]["gp"]
    gp.user_permissions.add(Permission.objects.get(codename="add_dropinhour"))
    gp = type(gp).objects.get(pk=gp.pk)  # no permission cache
    assert not gp.has_perm("conferences.add_dropinhour")  # publishing drop-ins is for specialists
    gp = type(gp).objects.get(pk=gp.pk)
    gp.has_perm("conferences.add_dropinhour")  # reads the memberships once
    with django_assert_num_queries(0):
        assert not gp.has_perm("conferences.add_practicevisit")
    assert gp.has_perm("accounts.view_organisation", world["objects"]["practice"])


def test_an_inactive_user_holds_no_ruled_permission(world):
    gp = world["users"]["gp"]
    gp.is_active = False
    assert not gp.has_perm("accounts.view_organisation", world["objects"]["practice"])
