"""The quality cluster kernel: who belongs, who sees, and the minimum group size."""

import pytest
from django.core.exceptions import ValidationError

from portal.accounts.roles import Role
from portal.quality import privacy
from portal.quality.selectors import clusters_of
from tests.accounts.factories import DepartmentFactory, MembershipFactory, PracticeFactory, UserFactory
from tests.authz import assert_authorisation_matrix, perm
from tests.quality.factories import QualityClusterFactory

pytestmark = pytest.mark.django_db


def _member(organisation, role=Role.GP):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def test_a_gp_belongs_to_the_clusters_of_her_practices_only():
    practice, other_practice = PracticeFactory(), PracticeFactory()
    cluster = QualityClusterFactory(practices=[practice])
    QualityClusterFactory(practices=[other_practice])
    gp = _member(practice)
    secretary = _member(practice, Role.MEDICAL_SECRETARY)

    assert list(clusters_of(gp)) == [cluster]
    assert list(clusters_of(secretary)) == [cluster]


def test_only_the_members_practices_see_a_cluster_superusers_included():
    practice, other_practice = PracticeFactory(), PracticeFactory()
    cluster = QualityClusterFactory(practices=[practice])
    specialist = _member(DepartmentFactory(), Role.HOSPITAL_SPECIALIST)
    assert_authorisation_matrix(
        users={"gp": _member(practice), "other_gp": _member(other_practice), "specialist": specialist},
        objects={"cluster": cluster},
        actions={"view": perm("quality.view_qualitycluster")},
        allowed={("gp", "cluster", "view")},
    )


def test_a_cluster_takes_general_practices_only():
    cluster = QualityClusterFactory(practices=[PracticeFactory()])
    cluster.practices.add(DepartmentFactory())
    with pytest.raises(ValidationError) as error:
        cluster.full_clean()
    assert "practices" in error.value.message_dict


def test_figures_below_the_minimum_group_size_are_not_reportable(settings):
    settings.QUALITY_MIN_GROUP_SIZE = 5
    assert not privacy.is_reportable(4)
    assert not privacy.is_reportable(None)
    assert privacy.is_reportable(5)
