"""Reads for quality clusters: whose clusters, which practices."""

from django.db.models import Q, QuerySet

from portal.accounts.models import HealthCouncilArea, Organisation
from portal.accounts.roles import Role

from .models import QualityCluster

# The roles that make someone a member of her practice's clusters.
PRACTICE_ROLES = (Role.GP, Role.MEDICAL_SECRETARY)


def practices_of(user) -> QuerySet[Organisation]:
    """The general practices the user works in."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.GENERAL_PRACTICE,
        memberships__user=user,
        memberships__role__in=PRACTICE_ROLES,
    ).distinct()


def clusters_of(user) -> QuerySet[QualityCluster]:
    """The clusters the user belongs to through her practices; none for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return QualityCluster.objects.none()
    return (
        QualityCluster.objects.filter(practices__in=practices_of(user))
        .select_related("health_council_area")
        .distinct()
    )


def is_member(user, cluster: QualityCluster) -> bool:
    return clusters_of(user).filter(pk=cluster.pk).exists()


def own_practices_in(user, cluster: QualityCluster) -> list[Organisation]:
    """The cluster's practices the user works in: the only practices whose own rows she sees."""
    return list(practices_of(user).filter(quality_clusters=cluster).order_by("name"))


def practices_in_area_of(user, area: HealthCouncilArea) -> QuerySet[Organisation]:
    """The user's practices that belong to the area, directly or through one of its clusters."""
    return practices_of(user).filter(
        Q(health_council_area=area) | Q(quality_clusters__health_council_area=area)
    )


def areas_of(user) -> QuerySet[HealthCouncilArea]:
    """The health council areas of the user's practices (directly or through a cluster)."""
    practices = practices_of(user)
    return HealthCouncilArea.objects.filter(
        Q(organisations__in=practices) | Q(quality_clusters__practices__in=practices)
    ).distinct()
