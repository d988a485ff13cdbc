"""A small outreach world: two areas, their municipalities and postcodes, practices, a service
department with staff, and services of several kinds."""

from dataclasses import dataclass

from portal.accounts.models import Organisation, User
from portal.accounts.roles import Role
from portal.outreach.models import Municipality, OrganisationPostcode, OutreachService, Postcode
from tests.accounts.factories import (
    DepartmentFactory,
    HealthCouncilAreaFactory,
    HospitalFactory,
    MembershipFactory,
    PracticeFactory,
    UserFactory,
)

VALID_CPR = "0101901234"  # a real date; the patients module accepts it


def member(organisation: Organisation, role: str = Role.GP, **user) -> User:
    person = UserFactory(**user)
    MembershipFactory(user=person, organisation=organisation, role=role)
    return person


@dataclass
class World:
    area: object
    other_area: object
    city: Municipality
    suburb: Municipality
    island: Municipality
    north: Municipality
    practice: Organisation
    other_practice: Organisation
    department: Organisation
    other_department: Organisation
    gp: User
    gp_colleague: User
    practice_secretary: User
    other_gp: User
    nurse: User  # a clinician of the service's department (hospital specialist role)
    service_secretary: User
    other_specialist: User
    blood: OutreachService
    acute: OutreachService


def municipality(code: str, name: str, area, postcodes: list[tuple[str, str]]) -> Municipality:
    m = Municipality.objects.create(code=code, name=name, health_council_area=area)
    for number, town in postcodes:
        Postcode.objects.create(number=number, name=town, municipality=m)
    return m


def service(
    owner, *, kind=OutreachService.Kind.BLOOD_SAMPLING, municipalities=(), **fields
) -> OutreachService:
    defaults = {
        "name": f"{kind} {OutreachService.objects.count() + 1}",
        "hours": "Hverdage 8–15",
        "phone": "+45 70 10 20 30",
    }
    s = OutreachService(kind=kind, owner=owner, **{**defaults, **fields})
    s.full_clean()
    s.save()
    s.municipalities.set(municipalities)
    return s


def outreach_world() -> World:
    area = HealthCouncilAreaFactory(name="Sundhedsråd Østjylland")
    other_area = HealthCouncilAreaFactory(name="Sundhedsråd Vest")
    city = municipality("751", "Aarhus", area, [("8000", "Aarhus C"), ("8200", "Aarhus N")])
    suburb = municipality("710", "Favrskov", area, [("8370", "Hadsten"), ("8450", "Hammel")])
    island = municipality("741", "Samsø", area, [("8305", "Samsø")])
    north = municipality("657", "Herning", other_area, [("7400", "Herning")])
    practice = PracticeFactory(health_council_area=area)
    other_practice = PracticeFactory(health_council_area=other_area)
    OrganisationPostcode.objects.create(organisation=practice, postcode=Postcode.objects.get(number="8000"))
    hospital = HospitalFactory(health_council_area=area)
    department = DepartmentFactory(parent=hospital, name="Klinisk biokemi")
    other_department = DepartmentFactory(parent=hospital, name="Kardiologi")
    w = World(
        area=area,
        other_area=other_area,
        city=city,
        suburb=suburb,
        island=island,
        north=north,
        practice=practice,
        other_practice=other_practice,
        department=department,
        other_department=other_department,
        gp=member(practice, first_name="Hanne", phone="+45 86 00 00 01"),
        gp_colleague=member(practice, first_name="Kirsten"),
        practice_secretary=member(practice, Role.MEDICAL_SECRETARY, first_name="Mette"),
        other_gp=member(other_practice, first_name="Ole"),
        nurse=member(department, Role.HOSPITAL_SPECIALIST, first_name="Birthe"),
        service_secretary=member(department, Role.MEDICAL_SECRETARY, first_name="Lone"),
        other_specialist=member(other_department, Role.HOSPITAL_SPECIALIST, first_name="Per"),
        blood=None,
        acute=None,
    )
    w.blood = service(
        department,
        name="Mobil blodprøvetagning",
        order_form=True,
        municipalities=[city],
        postcodes="8370",
        response_working_days=1,
    )
    w.acute = service(
        department,
        kind=OutreachService.Kind.ACUTE_NURSE,
        name="Akutsygeplejerske",
        municipalities=[city, suburb],
    )
    return w
