"""Reads for audit rounds: whose rounds, who may register for which practice, and the figures.

Every figure is an SQL aggregate (one query for the cluster, one for the area, one for the
user's own practices), so the results page costs the same for 2 practices as for 200.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet, Sum

from content.blocks.audit import COUNT
from content.models import AuditMaterialPage
from content.models.audit import guideline_changed_since
from portal.accounts.models import Organisation
from portal.accounts.roles import Role
from portal.quality import privacy
from portal.quality.selectors import PRACTICE_ROLES, clusters_of

from .models import AuditRound, IndicatorResult


def rounds_of(user) -> QuerySet[AuditRound]:
    """The rounds of the user's clusters; none for anyone outside them, superusers included."""
    return AuditRound.objects.filter(cluster__in=clusters_of(user).values("pk")).select_related(
        "cluster__health_council_area", "guideline", "started_by"
    )


def round_get(user, pk: int) -> AuditRound | None:
    return rounds_of(user).filter(pk=pk).first()


def _practices_with_role(user, roles) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=Organisation.Kind.GENERAL_PRACTICE, memberships__user=user, memberships__role__in=roles
    ).distinct()


def startable_clusters(user):
    """Clusters in which the user may start a round: those of the practices she is a GP in."""
    if not user.is_authenticated or not user.is_active:
        return clusters_of(user)
    return clusters_of(user).filter(practices__in=_practices_with_role(user, [Role.GP]))


def registrable_practices(user, audit_round: AuditRound) -> QuerySet[Organisation]:
    """The practices the user may register for in the round: her own in the cluster, while open."""
    if not audit_round.is_open or not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    return _practices_with_role(user, PRACTICE_ROLES).filter(quality_clusters=audit_round.cluster_id)


def kits_to_audit() -> QuerySet[AuditMaterialPage]:
    return AuditMaterialPage.objects.live().order_by("title")


def guideline_changed(audit_round: AuditRound) -> bool:
    return guideline_changed_since(audit_round.guideline, audit_round.guideline_revision_id)


@dataclass
class Figure:
    """One indicator over a group of practices (or one practice), or "too few" to show."""

    measure: str
    practices: int
    numerator: int | None = None
    denominator: int | None = None
    mean: float | None = None
    reportable: bool = True

    @property
    def value(self) -> float | None:
        """The proportion in per cent, or for a count the mean per practice."""
        if not self.reportable:
            return None
        if self.measure == COUNT:
            return self.mean
        if not self.denominator:
            return None
        return 100 * self.numerator / self.denominator


@dataclass
class IndicatorRow:
    indicator: dict
    own: dict = field(default_factory=dict)  # practice id -> Figure
    cluster: Figure | None = None
    area: Figure | None = None


def _aggregate(results: QuerySet[IndicatorResult], *, suppress: bool) -> dict[str, Figure]:
    rows = results.values("indicator_id", "measure").annotate(
        practices=Count("registration__practice", distinct=True),
        numerator_sum=Sum("numerator"),
        denominator_sum=Sum("denominator"),
        mean=Avg("numerator"),
    )
    figures = {}
    for row in rows:
        reportable = not suppress or privacy.is_reportable(row["practices"])
        figures[row["indicator_id"]] = Figure(
            measure=row["measure"],
            practices=row["practices"],
            numerator=row["numerator_sum"] if reportable else None,
            denominator=row["denominator_sum"] if reportable else None,
            mean=row["mean"] if reportable else None,
            reportable=reportable,
        )
    return figures


def area_results(audit_round: AuditRound) -> QuerySet[IndicatorResult]:
    """Every registration in the area's rounds of the same kit whose period overlaps this one."""
    if audit_round.kit_id is None:
        return IndicatorResult.objects.filter(registration__audit_round=audit_round)
    return IndicatorResult.objects.filter(
        registration__audit_round__kit_id=audit_round.kit_id,
        registration__audit_round__cluster__health_council_area_id=audit_round.cluster.health_council_area_id,
        registration__audit_round__period_start__lte=audit_round.period_end,
        registration__audit_round__period_end__gte=audit_round.period_start,
    )


@dataclass
class RoundResults:
    rows: list[IndicatorRow]
    registered_practices: int
    area_practices: int
    own_practices: list


def round_results(audit_round: AuditRound, *, own_practices) -> RoundResults:
    """The cluster's and the area's anonymised aggregates, and the user's own practices' figures.

    ``own_practices`` are the practices the viewer belongs to in this cluster: their figures are
    shown unsuppressed to their own members only (a practice knows its own numbers).
    """
    own_practices = list(own_practices)
    cluster = _aggregate(IndicatorResult.objects.filter(registration__audit_round=audit_round), suppress=True)
    area_qs = area_results(audit_round)
    area = _aggregate(area_qs, suppress=True)
    # The area's rounds include this one, so one query counts both.
    counts = area_qs.aggregate(
        registered=Count(
            "registration__practice", distinct=True, filter=Q(registration__audit_round=audit_round)
        ),
        area=Count("registration__practice", distinct=True),
    )
    own: dict[int, dict[str, Figure]] = {}
    if own_practices:
        for result in IndicatorResult.objects.filter(
            registration__audit_round=audit_round, registration__practice__in=own_practices
        ).values("indicator_id", "measure", "numerator", "denominator", "registration__practice_id"):
            own.setdefault(result["registration__practice_id"], {})[result["indicator_id"]] = Figure(
                measure=result["measure"],
                practices=1,
                numerator=result["numerator"],
                denominator=result["denominator"],
                mean=result["numerator"],
            )
    rows = [
        IndicatorRow(
            indicator=indicator,
            own={p.pk: own.get(p.pk, {}).get(indicator["id"]) for p in own_practices},
            cluster=cluster.get(indicator["id"]),
            area=area.get(indicator["id"]),
        )
        for indicator in audit_round.indicators
    ]
    return RoundResults(
        rows=rows,
        registered_practices=counts["registered"],
        area_practices=counts["area"],
        own_practices=own_practices,
    )


def registration_values(audit_round: AuditRound, practice: Organisation) -> dict[str, dict]:
    """A practice's registered numbers, to fill its form again."""
    return {
        r["indicator_id"]: r
        for r in IndicatorResult.objects.filter(
            registration__audit_round=audit_round, registration__practice=practice
        ).values("indicator_id", "numerator", "denominator")
    }


def gps_of_cluster(cluster):
    """Who hears about the cluster's rounds: the active GPs of its practices."""
    from portal.accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__role=Role.GP,
        memberships__organisation__quality_clusters=cluster,
    ).distinct()
