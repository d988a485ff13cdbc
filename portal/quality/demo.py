"""A demo quality cluster for `make run`: the demo GP's practice (Lægerne i Trøjborg) and six
more practices in Sundhedsråd Aarhus, two practices of the area outside it, and a year of
finished activity with the area's cardiology department, so that every figure shows.

Development only (it needs the demo users); idempotent: a second run finds the cluster and
adds nothing. All names are made up; the practices' GPs cannot log in.
"""

from django.db import transaction

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, User
from portal.accounts.roles import Role

from .activity import activity_create
from .models import QualityCluster

CLUSTER_NAME, CLUSTER_SLUG = "Kvalitetsklynge Aarhus Nord", "aarhus-nord"
DEMO_GP = "laege@samspil.test"
OWN_PRACTICE = "Lægerne i Trøjborg"
CLUSTER_PRACTICES = [
    "Lægehuset Risskov",
    "Lægerne på Randersvej",
    "Lægehuset i Lystrup",
    "Egå Lægehus",
    "Lægerne ved Skejby",
    "Lisbjerg Lægepraksis",
]
AREA_PRACTICES = ["Lægerne i Hasle", "Lægehuset Viby Torv"]
DEPARTMENT = ("Kardiologi", "Aarhus Universitetshospital")


def _practice(name: str, area: HealthCouncilArea, index: int) -> Organisation:
    practice, _created = Organisation.objects.get_or_create(
        name=name,
        kind=Organisation.Kind.GENERAL_PRACTICE,
        defaults={"health_council_area": area, "yder_number": f"0990{index:02d}"},  # made up
    )
    return practice


def _colleague(organisation: Organisation, role: str, slug: str, first: str, last: str) -> User:
    email = f"{slug}@kvalitet.samspil.test"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, first_name=first, last_name=last)  # no password
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@transaction.atomic
def demo_quality_load() -> int:
    """The demo cluster and its activity; returns the number of referrals made (0 on a re-run)."""
    if QualityCluster.objects.filter(slug=CLUSTER_SLUG).exists():
        return 0
    gp = User.objects.filter(email=DEMO_GP).first()
    department = Organisation.objects.filter(
        name=DEPARTMENT[0], kind=Organisation.Kind.DEPARTMENT, parent__name=DEPARTMENT[1]
    ).first()
    own = Organisation.objects.filter(name=OWN_PRACTICE, kind=Organisation.Kind.GENERAL_PRACTICE).first()
    if gp is None or department is None or own is None:
        return 0
    area = own.health_council_area
    names = CLUSTER_PRACTICES + AREA_PRACTICES
    practices = [_practice(name, area, index) for index, name in enumerate(names, start=1)]
    members, others = practices[: len(CLUSTER_PRACTICES)], practices[len(CLUSTER_PRACTICES) :]
    cluster = QualityCluster.objects.create(name=CLUSTER_NAME, slug=CLUSTER_SLUG, health_council_area=area)
    cluster.practices.add(own, *members)
    specialist = _colleague(department, Role.HOSPITAL_SPECIALIST, "kardiolog", "Karen", "Kardiolog")
    gps = {
        p.pk: _colleague(p, Role.GP, f"laege-{index}", "Læge", p.name)
        for index, p in enumerate(members + others, start=1)
    }
    made = activity_create(
        practices=members + others, department=department, gps=gps, specialist=specialist, per_month=3
    )
    # The demo GP's own practice: a little, so that her own row shows without filling her lists.
    mine = activity_create(
        practices=[own], department=department, gps={own.pk: gp}, specialist=specialist, per_month=1, seed=16
    )
    return made.referrals + mine.referrals
