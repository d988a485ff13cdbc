"""Demo focused stays for `make run`: the demo coordinator (koordinator@samspil.test) plans
Region Midtjylland, where six practices offer places and eight trainees at Aarhus
Universitetshospital await a practice, the demo trainee (hoveduddannelse@samspil.test) among
them; the demo GP's practice (laege@samspil.test) is one of the hosts. Learning objectives are
loaded for the focused-stay specialties of the demo hospital.

The extra GPs and trainees cannot log in (no usable password): they are there to be matched.
Dates are counted from today, so the windows always lie ahead. Only with demo users.
Idempotent: a second run finds what the first made.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Membership, Organisation, Region, Specialty, User
from portal.accounts.roles import Role

from . import services
from .models import HostOffer, LearningObjective, RegionCoordinator, SiteLocation, StayNeed

REGION = "region-midtjylland"
AREA = "sundhedsraad-aarhus"
HOSPITAL = "Aarhus Universitetshospital"
HOSPITAL_LOCATION = (Decimal("56.19100"), Decimal("10.16900"))

OBJECTIVES = {
    "paediatri": [
        "Det febrile barn i almen praksis: triage og opfølgning",
        "Astma og pibende vejrtrækning hos småbørn",
        "Børneundersøgelser og vaccinationsprogrammet",
        "Samtalen med bekymrede forældre",
    ],
    "neurologi": [
        "Hovedpine: røde flag og behandling i almen praksis",
        "Svimmelhed og balanceproblemer",
        "Opfølgning efter apopleksi i eget hjem",
    ],
    "akutmedicin": [
        "Akutte henvendelser i dagtid: visitation i telefonen",
        "Brystsmerter hos den praktiserende læge",
        "Ældre med uspecifik funktionsnedsættelse",
    ],
    "kardiologi": [
        "Hjertesvigt: titrering og kontrol i almen praksis",
        "Atrieflimren: antikoagulation og frekvenskontrol",
        "Hypertension: diagnostik og behandlingsmål",
    ],
    "geriatri": [
        "Polyfarmaci og medicingennemgang",
        "Fald og faldforebyggelse",
        "Demens: udredning og samarbejde med kommunen",
    ],
    "lungesygdomme": [
        "KOL: årskontrol og exacerbationsplan",
        "Spirometri i almen praksis",
        "Rygestop-samtalen",
    ],
}

# (practice, yder number, GP first, last, practice type, welcomed specialties, lat, lon, address, notes)
PRACTICES = [
    ("Lægerne i Trøjborg", "041230", None, None, "partnership",
     ["paediatri", "geriatri", "kardiologi"], "56.17100", "10.20900", "Trøjborgvej 12, 8200 Aarhus N",
     "Gratis parkering i gården. Vi taler dansk og engelsk."),
    ("Lægehuset Viby", "041241", "Karen", "Bech", "collaborative",
     ["paediatri", "neurologi", "akutmedicin"], "56.12600", "10.16000", "Viby Torv 3, 8260 Viby J",
     "Bus 4A til døren. Vi taler dansk, engelsk og tysk."),
    ("Lægerne i Skødstrup", "041242", "Mikkel", "Friis", "partnership",
     ["kardiologi", "lungesygdomme", "geriatri"], "56.26100", "10.30600", "Skødstrupvej 8, 8541 Skødstrup",
     "Parkering foran huset. Medbring eget stetoskop."),
    ("Lægehuset Odder", "041243", "Sofie", "Dam", "solo",
     ["paediatri", "geriatri"], "55.97500", "10.15300", "Rosensgade 22, 8300 Odder",
     "Togforbindelse fra Aarhus H; 30 minutter."),
    ("Lægerne i Hammel", "041244", "Peter", "Lind", "collaborative",
     ["neurologi", "akutmedicin", "lungesygdomme"], "56.25700", "9.86300", "Torvet 5, 8450 Hammel",
     "Vi har et ekstra konsultationsrum til uddannelseslæger."),
    ("Regionsklinikken Samsø", "041245", "Ida", "Krogh", "clinic",
     ["paediatri", "akutmedicin", "geriatri", "kardiologi"], "55.87400", "10.61000",
     "Tranebjerg Hovedgade 1, 8305 Samsø", "Færge fra Hou; bolig stilles til rådighed."),
]  # fmt: skip

# (first, last, department specialty, weeks from now to the window's start, window weeks, length)
TRAINEES = [
    (None, None, "paediatri", 3, 10, 2),
    ("Emma", "Holt", "paediatri", 2, 8, 2),
    ("Jonas", "Kjær", "neurologi", 4, 10, 2),
    ("Freja", "Nørgaard", "akutmedicin", 2, 6, 2),
    ("Oliver", "Sand", "kardiologi", 3, 12, 3),
    ("Maja", "Vestergaard", "geriatri", 5, 8, 2),
    ("Noah", "Lund", "lungesygdomme", 3, 10, 2),
    ("Clara", "Bak", "paediatri", 6, 8, 2),
]


def _offline_user(email: str, first: str, last: str, title: str) -> User:
    """A named person in the demo who cannot log in."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, first_name=first, last_name=last, title=title)
    return user


def _membership(user: User, organisation: Organisation, role: str) -> None:
    if not Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        membership = Membership(user=user, organisation=organisation, role=role)
        membership.full_clean()
        membership.save()


def demo_objectives_load() -> int:
    for slug, titles in OBJECTIVES.items():
        specialty = Specialty.objects.get(slug=slug)
        for position, title in enumerate(titles):
            LearningObjective.objects.get_or_create(
                specialty=specialty, title=title, defaults={"position": position}
            )
    return LearningObjective.objects.count()


@transaction.atomic
def demo_stays_load() -> int:
    """The demo region's offers and needs; returns the number of open needs in the region."""
    coordinator = User.objects.filter(email="koordinator@samspil.test").first()
    trainee = User.objects.filter(email="hoveduddannelse@samspil.test").first()
    gp = User.objects.filter(email="laege@samspil.test").first()
    if coordinator is None or trainee is None or gp is None:
        return 0
    region = Region.objects.get(slug=REGION)
    area = HealthCouncilArea.objects.get(slug=AREA)
    hospital = Organisation.objects.get(name=HOSPITAL, kind=Organisation.Kind.HOSPITAL)
    RegionCoordinator.objects.get_or_create(user=coordinator, region=region)
    SiteLocation.objects.get_or_create(
        organisation=hospital, defaults={"latitude": HOSPITAL_LOCATION[0], "longitude": HOSPITAL_LOCATION[1]}
    )
    demo_objectives_load()
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    for name, yder, first, last, kind, slugs, lat, lon, address, notes in PRACTICES:
        _practice_offer_load(
            gp=gp,
            area=area,
            monday=monday,
            row=(name, yder, first, last, kind, slugs, lat, lon, address, notes),
        )
    for index, (first, last, slug, start_in, window, length) in enumerate(TRAINEES):
        # The first department of the specialty is the one the accounts demo made (other demos
        # add clinics of the same specialty to the hospital).
        department = (
            Organisation.objects.filter(
                parent=hospital, specialty__slug=slug, kind=Organisation.Kind.DEPARTMENT
            )
            .order_by("pk")
            .first()
        )
        person = trainee
        if first is not None:
            person = _offline_user(f"hu{index}.ophold@samspil.test", first, last, "Hoveduddannelseslæge")
            _membership(person, department, Role.TRAINEE)
        if StayNeed.objects.filter(trainee=person).exists():
            continue
        start = monday + timedelta(weeks=start_in)
        objectives = list(LearningObjective.objects.filter(specialty__slug=slug)[:2])
        services.need_register(
            actor=person,
            department=department,
            specialty=department.specialty,
            earliest_start=start,
            latest_end=start + timedelta(weeks=window, days=-3),
            length_weeks=length,
            objectives=objectives,
            preferred_practice_types=["partnership"] if index % 3 == 0 else [],
            preferred_areas=[area] if index % 2 == 0 else [],
        )
    return StayNeed.objects.filter(region=region, state=StayNeed.State.OPEN).count()


def _practice_offer_load(*, gp: User, area: HealthCouncilArea, monday, row) -> None:
    name, yder, first, last, kind, slugs, lat, lon, address, notes = row
    practice = Organisation.objects.filter(kind=Organisation.Kind.GENERAL_PRACTICE, yder_number=yder).first()
    if practice is None:
        practice = Organisation(
            kind=Organisation.Kind.GENERAL_PRACTICE, name=name, yder_number=yder, health_council_area=area
        )
        practice.full_clean()
        practice.save()
    host = gp
    if first is not None:
        host = _offline_user(f"gp.{yder}@samspil.test", first, last, "Praktiserende læge")
        _membership(host, practice, Role.GP)
    if HostOffer.objects.filter(practice=practice).exists():
        return
    offer = services.offer_save(
        actor=host,
        practice=practice,
        supervisor=host,
        specialties=list(Specialty.objects.filter(slug__in=slugs)),
        practice_type=kind,
        address=address,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        notes=notes,
    )
    capacity = 2 if kind == "collaborative" else 1
    services.period_add(
        actor=host,
        offer=offer,
        starts_on=monday + timedelta(weeks=1),
        ends_on=monday + timedelta(weeks=17, days=-3),
        capacity=capacity,
    )
