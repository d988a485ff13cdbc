"""Demo organisations and, in development only, one demo user per role.

Used by ``load_demo_content``. Idempotent: re-running finds what it made.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .models import HealthCouncilArea, Membership, Organisation, Region, Specialty, User
from .roles import Role

# Fictitious, but shaped like the real thing.
DEMO_PASSWORD = "samspil-demo-2026"  # noqa: S105 - development only, listed in the README

AREAS = [
    ("region-midtjylland", "Region Midtjylland", "sundhedsraad-aarhus", "Sundhedsråd Aarhus"),
    ("region-nordjylland", "Region Nordjylland", "sundhedsraad-nordjylland", "Sundhedsråd Nordjylland"),
]

PRACTICES = [
    ("Lægerne i Trøjborg", "sundhedsraad-aarhus", "041230"),
    ("Lægehuset Vestergade", "sundhedsraad-nordjylland", "081944"),
]

HOSPITALS = [
    ("Aarhus Universitetshospital", "sundhedsraad-aarhus", "265161000016000",
     ["geriatri", "kardiologi", "lungesygdomme", "paediatri", "neurologi", "akutmedicin"]),
    ("Aalborg Universitetshospital", "sundhedsraad-nordjylland", "276341000016000",
     ["geriatri", "urologi", "psykiatri", "gynaekologi-og-obstetrik"]),
]  # fmt: skip

# (e-mail, first name, last name, title, role, organisation name, conference specialist)
USERS = [
    ("laege@samspil.test", "Hanne", "Mikkelsen", "Praktiserende læge", Role.GP, "Lægerne i Trøjborg", False),
    ("speciallaege@samspil.test", "Peter", "Juhl", "Overlæge", Role.HOSPITAL_SPECIALIST, "Geriatri", True),
    ("sekretaer@samspil.test", "Mette", "Holm", "Lægesekretær", Role.MEDICAL_SECRETARY, "Geriatri", False),
    ("redaktoer@samspil.test", "Jonas", "Brandt", "Redaktør", Role.EDITOR, "Samspil sekretariat", False),
    ("koordinator@samspil.test", "Line", "Dahl", "Uddannelseskoordinator", Role.TRAINING_COORDINATOR,
     "Samspil sekretariat", False),
    ("hoveduddannelse@samspil.test", "Ali", "Yilmaz", "Hoveduddannelseslæge", Role.TRAINEE, "Pædiatri", False),
    ("pko@samspil.test", "Birgitte", "Lund", "Praksiskonsulent", Role.PRACTICE_CONSULTANT,
     "KAP-enheden Midt", False),
    ("admin@samspil.test", "Søren", "Kragh", "Administrator", Role.ADMINISTRATOR, "Samspil sekretariat", False),
]  # fmt: skip


@transaction.atomic
def demo_organisations_load() -> dict[str, Organisation]:
    areas = {}
    for region_slug, region_name, area_slug, area_name in AREAS:
        region, _ = Region.objects.get_or_create(slug=region_slug, defaults={"name": region_name})
        areas[area_slug], _ = HealthCouncilArea.objects.get_or_create(
            slug=area_slug, defaults={"name": area_name, "region": region}
        )
    orgs: dict[str, Organisation] = {}
    for name, area, yder in PRACTICES:
        orgs[name] = _organisation(
            name=name,
            kind=Organisation.Kind.GENERAL_PRACTICE,
            health_council_area=areas[area],
            yder_number=yder,
        )
    for name, area, sor, specialties in HOSPITALS:
        hospital = _organisation(
            name=name, kind=Organisation.Kind.HOSPITAL, health_council_area=areas[area], sor_code=sor
        )
        orgs[name] = hospital
        for index, slug in enumerate(specialties, start=1):
            specialty = Specialty.objects.get(slug=slug)
            department_name = specialty.name.removeprefix("Intern medicin: ").capitalize()
            department = _organisation(
                name=department_name,
                kind=Organisation.Kind.DEPARTMENT,
                parent=hospital,
                specialty=specialty,
                sor_code=f"{sor[:-3]}{index:03d}",
            )
            orgs.setdefault(department_name, department)
    orgs["KAP-enheden Midt"] = _organisation(
        name="KAP-enheden Midt",
        kind=Organisation.Kind.KAP_UNIT,
        health_council_area=areas["sundhedsraad-aarhus"],
    )
    orgs["Samspil sekretariat"] = _organisation(
        name="Samspil sekretariat", kind=Organisation.Kind.SECRETARIAT
    )
    return orgs


def _organisation(*, name: str, kind: str, parent=None, **fields) -> Organisation:
    org = Organisation.objects.filter(name=name, kind=kind, parent=parent).first()
    if org is None:
        org = Organisation(name=name, kind=kind, parent=parent, **fields)
        org.full_clean()
        org.save()
    return org


@transaction.atomic
def demo_users_load(orgs: dict[str, Organisation]) -> list[User]:
    """One user per role. Refused outside development and test settings."""
    if not getattr(settings, "SAMSPIL_CREATE_DEMO_USERS", False):
        raise ImproperlyConfigured("Demo users are only created in development settings.")
    moderators = Group.objects.filter(name="Moderators").first()
    users = []
    for email, first, last, title, role, org_name, conference in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, first_name=first, last_name=last, title=title, phone="+45 70 00 00 00"
            )
        if role == Role.ADMINISTRATOR and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        if role == Role.EDITOR and moderators is not None:
            user.groups.add(moderators)
        membership = Membership(
            user=user, organisation=orgs[org_name], role=role, is_conference_specialist=conference
        )
        if not Membership.objects.filter(user=user, organisation=orgs[org_name], role=role).exists():
            membership.full_clean()
            membership.save()
        users.append(user)
    return users
