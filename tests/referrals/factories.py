"""Arranging referrals for tests: a practice, a department, another department, a clinic,
a central visitation and the people in them."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Organisation, User
from portal.accounts.roles import Role
from portal.correspondence import services as correspondence
from portal.referrals import services
from portal.referrals.models import AreaVisitation, Referral, SymptomPackage
from tests.accounts.factories import (
    DepartmentFactory,
    HealthCouncilAreaFactory,
    HospitalFactory,
    MembershipFactory,
    PracticeFactory,
    UserFactory,
    specialty,
)

CPR = "0707614285"


def member(organisation: Organisation, role: str, **user_fields) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@dataclass
class World:
    area: HealthCouncilArea
    practice: Organisation
    other_practice: Organisation
    department: Organisation
    other_department: Organisation
    clinic: Organisation
    central: Organisation
    gp: User
    gp_colleague: User
    practice_secretary: User
    other_gp: User
    specialist: User
    secretary: User
    other_specialist: User
    clinic_specialist: User
    visitator: User
    package: SymptomPackage


def world() -> World:
    area = HealthCouncilAreaFactory()
    hospital = HospitalFactory(health_council_area=area)
    practice = PracticeFactory(health_council_area=area)
    other_practice = PracticeFactory(health_council_area=area)
    department = DepartmentFactory(
        parent=hospital, specialty=specialty("lungesygdomme"), name="Lungemedicinsk afdeling"
    )
    other_department = DepartmentFactory(
        parent=hospital, specialty=specialty("kardiologi"), name="Hjertesygdomme"
    )
    clinic = DepartmentFactory(
        parent=hospital, specialty=specialty("akutmedicin"), name="Tværfagligt ambulatorium"
    )
    central = DepartmentFactory(
        parent=hospital, specialty=specialty("akutmedicin"), name="Central visitation"
    )
    AreaVisitation.objects.create(
        health_council_area=area,
        acute_admission_phone="70 11 31 31",
        subacute_admission_phone="70 11 31 32",
        subacute_outpatient_phone="70 11 31 33",
        psychiatry_acute_phone="70 11 31 34",
        psychiatry_subacute_phone="70 11 31 35",
        central_visitation=central,
    )
    package = SymptomPackage.objects.create(
        name="Åndenød", clinic=clinic, checklist="Spirometri\nEKG\nHæmoglobin"
    )
    return World(
        area=area,
        practice=practice,
        other_practice=other_practice,
        department=department,
        other_department=other_department,
        clinic=clinic,
        central=central,
        gp=member(practice, Role.GP, first_name="Grete", last_name="Lægesen"),
        gp_colleague=member(practice, Role.GP, first_name="Kaj", last_name="Kollega"),
        practice_secretary=member(practice, Role.MEDICAL_SECRETARY, first_name="Pia", last_name="Praksis"),
        other_gp=member(other_practice, Role.GP, first_name="Ole", last_name="Andenlæge"),
        specialist=member(department, Role.HOSPITAL_SPECIALIST, first_name="Lene", last_name="Lunge"),
        secretary=member(department, Role.MEDICAL_SECRETARY, first_name="Sara", last_name="Sekretær"),
        other_specialist=member(
            other_department, Role.HOSPITAL_SPECIALIST, first_name="Hans", last_name="Hjerte"
        ),
        clinic_specialist=member(clinic, Role.HOSPITAL_SPECIALIST, first_name="Tove", last_name="Tværfaglig"),
        visitator=member(central, Role.HOSPITAL_SPECIALIST, first_name="Vera", last_name="Visitator"),
        package=package,
    )


def refer(w: World, *, now=None, **fields) -> Referral:
    defaults = {
        "author": w.gp,
        "practice": w.practice,
        "basis": Referral.Basis.DIAGNOSIS,
        "urgency": Referral.Urgency.ROUTINE,
        "clinical_text": "Tiltagende åndenød gennem 3 måneder. Dosis <i.v.> 5 mg.",
        "patient_cpr": CPR,
        "destination": w.department,
        "diagnosis_code": "J44.1",
        "diagnosis_text": "KOL med akut forværring",
    }
    referral, _created = services.referral_create(**(defaults | fields), now=now)
    return referral


def later(hours: float = 1):
    return timezone.now() + timedelta(hours=hours)


def dialogue_with_gp_answer(w: World, referral: Referral) -> Referral:
    referral = services.referral_dialogue_request(
        referral=referral, actor=w.specialist, message="Ring mig venligst."
    )
    correspondence.message_send(thread=referral.dialogue_thread, author=w.gp, body="Jeg har ringet.")
    return referral
