"""Arranging correspondence for tests: a GP, a receiving department, threads through the services."""

from dataclasses import dataclass

from portal.accounts.models import Organisation, User
from portal.accounts.roles import Role
from portal.correspondence.models import Category, Thread
from portal.correspondence.services import thread_open
from tests.accounts.factories import (
    DepartmentFactory,
    HealthCouncilAreaFactory,
    HospitalFactory,
    MembershipFactory,
    PracticeFactory,
    UserFactory,
    specialty,
)


def member(organisation: Organisation, role: str, **user_fields) -> User:
    user = UserFactory(title=user_fields.pop("title", ""), phone=user_fields.pop("phone", ""), **user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@dataclass
class World:
    """Two practices and two departments of one specialty in one health council area."""

    area: object
    practice: Organisation
    other_practice: Organisation
    department: Organisation
    other_department: Organisation
    gp: User
    other_gp: User
    specialist: User
    other_specialist: User
    secretary: User


def world(specialty_slug: str = "kardiologi") -> World:
    area = HealthCouncilAreaFactory()
    hospital = HospitalFactory(health_council_area=area)
    practice = PracticeFactory(health_council_area=area, phone="70 10 20 30")
    other_practice = PracticeFactory(health_council_area=area)
    department = DepartmentFactory(
        parent=hospital, specialty=specialty(specialty_slug), name="Hjertemedicinsk afdeling"
    )
    other_department = DepartmentFactory(
        parent=hospital, specialty=specialty("geriatri"), name="Geriatrisk afdeling"
    )
    return World(
        area=area,
        practice=practice,
        other_practice=other_practice,
        department=department,
        other_department=other_department,
        gp=member(practice, Role.GP, first_name="Grete", last_name="Lægesen", title="Praktiserende læge"),
        other_gp=member(other_practice, Role.GP, first_name="Ole", last_name="Andenlæge"),
        specialist=member(
            department,
            Role.HOSPITAL_SPECIALIST,
            first_name="Sune",
            last_name="Specialist",
            title="Overlæge",
            phone="78 45 00 00",
        ),
        other_specialist=member(
            other_department, Role.HOSPITAL_SPECIALIST, first_name="Gerda", last_name="Geriater"
        ),
        secretary=member(department, Role.MEDICAL_SECRETARY, first_name="Sekre", last_name="Tær"),
    )


def open_thread(
    w: World, *, patient_cpr: str = "", subject: str = "Spørgsmål om behandling", **kwargs
) -> Thread:
    kwargs.setdefault("category", Category.HEALTHCARE)
    kwargs.setdefault("body", "Kan I hjælpe med **dosis**?")
    thread, _created = thread_open(
        author=kwargs.pop("author", w.gp),
        sender_organisation=kwargs.pop("sender_organisation", w.practice),
        subject=subject,
        specialty=kwargs.pop("specialty", w.department.specialty),
        area=kwargs.pop("area", w.area),
        patient_cpr=patient_cpr,
        **kwargs,
    )
    return thread
