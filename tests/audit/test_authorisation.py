"""The access log in the authorisation matrix: only superusers read or export it."""

import pytest

from portal.accounts.roles import Role
from tests.accounts.factories import DepartmentFactory, MembershipFactory, PracticeFactory, UserFactory
from tests.authz import assert_authorisation_matrix, perm

from .factories import AccessLogEntryFactory

pytestmark = pytest.mark.django_db


def test_only_superusers_may_read_or_export_the_access_log():
    users = {
        "gp": MembershipFactory(organisation=PracticeFactory(), role=Role.GP).user,
        "specialist": MembershipFactory(organisation=DepartmentFactory(), role=Role.HOSPITAL_SPECIALIST).user,
        "editor_staff": UserFactory(is_staff=True),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    objects = {"entry_about_a_patient": AccessLogEntryFactory(actor=users["gp"])}
    allowed = {
        ("superuser", "entry_about_a_patient", "view"),
        ("superuser", "entry_about_a_patient", "export"),
    }
    cells = assert_authorisation_matrix(
        users=users,
        objects=objects,
        actions={"view": perm("audit.view_accesslogentry"), "export": perm("audit.export_accesslogentry")},
        allowed=allowed,
    )
    assert cells == 8
