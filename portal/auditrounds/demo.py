"""A demo audit round: the demo GP's cluster runs the antibiotics audit kit, and her practice
has registered. Safe to run again.

The cluster is the quality demo's (``portal.quality.demo``), loaded before this; without it (a
database whose quality demo was not loaded) the round makes it, with the demo practice only.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from content.models import AuditMaterialPage
from portal.accounts.models import Organisation, User
from portal.quality.demo import CLUSTER_NAME, CLUSTER_SLUG
from portal.quality.models import QualityCluster

from .models import AuditRound
from .services import audit_registration_save, audit_round_start

DEMO_CLUSTER_SLUG, DEMO_CLUSTER_NAME = CLUSTER_SLUG, CLUSTER_NAME
DEMO_KIT_SLUG = "audit-antibiotikaordination-ved-luftvejsinfektioner"
# Per indicator of the kit, in its order: (numerator, denominator); a count ignores the second.
DEMO_NUMBERS = [(31, 120), (24, 31), (4, 46), (9, 52), (70, 89)]


def demo_cluster_ensure(practice: Organisation) -> QualityCluster:
    cluster, _created = QualityCluster.objects.get_or_create(
        slug=DEMO_CLUSTER_SLUG,
        defaults={"name": DEMO_CLUSTER_NAME, "health_council_area": practice.health_council_area},
    )
    cluster.practices.add(practice)
    return cluster


@transaction.atomic
def demo_audit_rounds_load() -> int:
    gp = User.objects.filter(email="laege@samspil.test").first()
    kit = AuditMaterialPage.objects.live().filter(slug=DEMO_KIT_SLUG).first()
    practice = Organisation.objects.filter(
        kind=Organisation.Kind.GENERAL_PRACTICE, memberships__user=gp
    ).first()
    if gp is None or kit is None or practice is None or practice.health_council_area_id is None:
        return 0
    cluster = demo_cluster_ensure(practice)
    audit_round = AuditRound.objects.filter(cluster=cluster, kit=kit).first()
    if audit_round is None:
        today = timezone.localdate()
        audit_round = audit_round_start(
            actor=gp,
            cluster=cluster,
            kit=kit,
            period_start=kit.period_start or today,
            # Still open when the demo is shown, so the demo GP can register and change her numbers.
            period_end=max(kit.period_end or today, today + timedelta(days=30)),
        )
    if audit_round.is_open and not audit_round.registrations.filter(practice=practice).exists():
        values = {
            indicator["id"]: (numerator, denominator if indicator["measure"] == "proportion" else None)
            for indicator, (numerator, denominator) in zip(audit_round.indicators, DEMO_NUMBERS, strict=False)
        }
        audit_registration_save(actor=gp, audit_round=audit_round, practice=practice, values=values)
    return AuditRound.objects.filter(cluster=cluster).count()
