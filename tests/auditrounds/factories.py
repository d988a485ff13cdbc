"""Building blocks for audit round tests: a published kit (optionally auditing a published
guideline), a cluster of practices with a GP each, and rounds started through the service."""

from datetime import date

from portal.accounts.roles import Role
from portal.auditrounds import services
from tests.accounts.factories import HealthCouncilAreaFactory, MembershipFactory, PracticeFactory, UserFactory
from tests.content.factories import AuditMaterialPageFactory, GuidelinePageFactory
from tests.quality.factories import QualityClusterFactory

PERIOD = (date(2026, 9, 1), date(2026, 11, 30))


def published(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def guideline():
    return published(GuidelinePageFactory())


def kit(*, audits=None, indicators=None):
    fields = {"period_start": PERIOD[0], "period_end": PERIOD[1]}
    if indicators is not None:
        fields["indicators"] = indicators
    page = AuditMaterialPageFactory(**fields)
    if audits is not None:
        page.guideline = audits
        page.full_clean()
    return published(page)


def two_indicators():
    return [
        (
            "indicator",
            {"name": "Andel med antibiotika", "description": "", "target": "< 30 %", "measure": "proportion"},
        ),
        ("indicator", {"name": "Antal konsultationer", "description": "", "target": "", "measure": "count"}),
    ]


def member(practice, role=Role.GP, **fields):
    user = UserFactory(**fields)
    MembershipFactory(user=user, organisation=practice, role=role)
    return user


def cluster_of(n_practices: int, *, area=None):
    """A cluster of ``n_practices`` practices, each with one GP; returns (cluster, practices, gps)."""
    area = area or HealthCouncilAreaFactory()
    practices = [PracticeFactory(health_council_area=area) for _ in range(n_practices)]
    cluster = QualityClusterFactory(health_council_area=area, practices=practices)
    gps = [member(p) for p in practices]
    return cluster, practices, gps


def start(gp, cluster, the_kit, period=PERIOD):
    return services.audit_round_start(
        actor=gp, cluster=cluster, kit=the_kit, period_start=period[0], period_end=period[1]
    )


def register_all(audit_round, practices, gps, numbers=(3, 10)):
    for practice, gp in zip(practices, gps, strict=True):
        values = {
            i["id"]: (numbers[0], numbers[1] if i["measure"] == "proportion" else None)
            for i in audit_round.indicators
        }
        services.audit_registration_save(actor=gp, audit_round=audit_round, practice=practice, values=values)
