"""Reads for quality clusters: whose clusters, which practices."""

from django.db.models import QuerySet

from portal.accounts.models import Organisation
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
