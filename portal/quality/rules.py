"""Who sees a quality cluster, and a health council area's figures. Deny by default; views
answer 404 otherwise.

A cluster: only the members of the cluster's practices, superusers included: a cluster's
figures are colleagues' own data, shared among themselves. An area: its practices' GPs and
secretaries, the practice consultants and the administrators (by role).
"""

import rules

from portal.accounts.roles import Role

from .models import QualityCluster
from .selectors import is_member, practices_in_area_of


@rules.predicate
def is_cluster_member(user, cluster: QualityCluster) -> bool:
    return cluster is not None and is_member(user, cluster)


rules.add_perm("quality.view_qualitycluster", rules.is_authenticated & rules.is_active & is_cluster_member)


@rules.predicate
def works_in_area(user, area) -> bool:
    """A GP or secretary in a practice of the area (placed in it, or in one of its clusters)."""
    return area is not None and practices_in_area_of(user, area).exists()


@rules.predicate
def is_consultant_or_administrator(user) -> bool:
    """Practice consultants (PKO) carry the quality work to the areas; administrators keep the
    clusters. By role, not by the superuser flag: a bare superuser reads no area's figures."""
    return user.memberships.filter(role__in=(Role.PRACTICE_CONSULTANT, Role.ADMINISTRATOR)).exists()


# An area's figures are aggregates only (no practice's row), under the minimum group size.
rules.add_perm(
    "quality.view_area_figures",
    rules.is_authenticated & rules.is_active & (works_in_area | is_consultant_or_administrator),
)
