"""The shared membership look-ups: right answers, and one query per request however often asked."""

import pytest

from portal.accounts.roles import Role
from portal.accounts.selectors import (
    memberships_for_user,
    user_clinician_organisations,
    user_has_role_in,
    user_is_clinician,
)
from tests.accounts.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_gp_is_a_clinician_of_her_practice_only(django_assert_num_queries):
    gp = MembershipFactory(role=Role.GP)
    other = MembershipFactory(role=Role.GP)
    user = gp.user
    with django_assert_num_queries(1):
        assert user_is_clinician(user)
        assert user_has_role_in(user, gp.organisation_id, {Role.GP})
        assert not user_has_role_in(user, other.organisation_id, {Role.GP})
        assert not user_has_role_in(user, gp.organisation_id, {Role.MEDICAL_SECRETARY})
        assert user_clinician_organisations(user) == [gp.organisation]


def test_a_secretary_or_a_user_without_memberships_is_no_clinician():
    secretary = MembershipFactory(role=Role.MEDICAL_SECRETARY)
    assert not user_is_clinician(secretary.user)
    assert user_clinician_organisations(secretary.user) == []
    assert not user_is_clinician(UserFactory())
    assert not user_has_role_in(secretary.user, None, {Role.MEDICAL_SECRETARY})


def test_anonymous_users_have_no_memberships():
    from django.contrib.auth.models import AnonymousUser

    assert memberships_for_user(AnonymousUser()) == []
