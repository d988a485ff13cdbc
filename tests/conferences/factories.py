"""Arranging conferences for tests: a practice, two geriatric conference specialists, rosters."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Organisation, User
from portal.accounts.roles import Role
from portal.conferences.models import Conference
from portal.conferences.services import conference_request, duty_period_create
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


def member(
    organisation: Organisation, role: str, *, conference_specialist: bool = False, **user_fields
) -> User:
    user = UserFactory(title=user_fields.pop("title", ""), phone=user_fields.pop("phone", ""), **user_fields)
    MembershipFactory(
        user=user, organisation=organisation, role=role, is_conference_specialist=conference_specialist
    )
    return user


@dataclass
class World:
    area: HealthCouncilArea
    practice: Organisation
    other_practice: Organisation
    department: Organisation
    gp: User
    gp_colleague: User
    other_gp: User
    specialist: User
    next_specialist: User
    colleague: User  # a specialist of the department, not on duty
    secretary: User


def world() -> World:
    area = HealthCouncilAreaFactory()
    hospital = HospitalFactory(health_council_area=area)
    practice = PracticeFactory(health_council_area=area, phone="70 10 20 30")
    other_practice = PracticeFactory(health_council_area=area)
    department = DepartmentFactory(
        parent=hospital, specialty=specialty("geriatri"), name="Geriatrisk afdeling"
    )
    return World(
        area=area,
        practice=practice,
        other_practice=other_practice,
        department=department,
        gp=member(practice, Role.GP, first_name="Grete", last_name="Lægesen"),
        gp_colleague=member(practice, Role.GP, first_name="Kaj", last_name="Kollega"),
        other_gp=member(other_practice, Role.GP, first_name="Ole", last_name="Andenlæge"),
        specialist=member(
            department,
            Role.HOSPITAL_SPECIALIST,
            conference_specialist=True,
            first_name="Gerda",
            last_name="Geriater",
            title="Overlæge",
            phone="78 45 00 00",
        ),
        next_specialist=member(
            department,
            Role.HOSPITAL_SPECIALIST,
            conference_specialist=True,
            first_name="Niels",
            last_name="Næste",
        ),
        colleague=member(department, Role.HOSPITAL_SPECIALIST, first_name="Carl", last_name="Kollega"),
        secretary=member(department, Role.MEDICAL_SECRETARY, first_name="Sekre", last_name="Tær"),
    )


def on_duty(w: World, user: User | None = None, *, hours_ago: float = 1, hours_ahead: float = 7, **kwargs):
    now = kwargs.pop("now", None) or timezone.now()
    return duty_period_create(
        specialist=user or w.specialist,
        department=w.department,
        starts_at=now - timedelta(hours=hours_ago),
        ends_at=now + timedelta(hours=hours_ahead),
        phone=kwargs.pop("phone", "78 45 12 34"),
        video_url=kwargs.pop("video_url", "https://video.example.dk/geriatri"),
    )


def request_from_gp(w: World, *, patient_cpr: str = CPR, **kwargs) -> Conference:
    conference, _created = conference_request(
        requester=kwargs.pop("requester", w.gp),
        practice=kwargs.pop("practice", w.practice),
        specialty=kwargs.pop("specialty", w.department.specialty),
        topic=kwargs.pop("topic", "Skrøbelig 88-årig med fald"),
        urgency=kwargs.pop("urgency", Conference.Urgency.TODAY),
        mode=kwargs.pop("mode", Conference.Mode.VIDEO),
        patient_cpr=patient_cpr,
        **kwargs,
    )
    return conference


def request_from_hospital(w: World, *, kind: str = Conference.Kind.DISCHARGE, **kwargs) -> Conference:
    from portal.conferences.questions import questions_for

    conference, _created = conference_request(
        requester=kwargs.pop("requester", w.specialist),
        kind=kind,
        department=kwargs.pop("department", w.department),
        practice=kwargs.pop("practice", w.practice),
        topic=kwargs.pop("topic", "Udskrivelse efter lang indlæggelse"),
        urgency=kwargs.pop("urgency", Conference.Urgency.PLANNED),
        mode=kwargs.pop("mode", Conference.Mode.VIDEO),
        template_answers=kwargs.pop(
            "template_answers", {key: f"Svar på {key}" for key, _q in questions_for(kind)}
        ),
        patient_cpr=kwargs.pop("patient_cpr", CPR),
        **kwargs,
    )
    return conference


def drop_in_hour(w: World, *, starts_in_minutes: float = 60, host: User | None = None, **kwargs):
    """A drop-in hour of the world's geriatric department; ``starts_in_minutes`` may be negative."""
    from portal.conferences.drop_in_services import drop_in_publish

    now = timezone.now()
    starts = now + timedelta(minutes=starts_in_minutes)
    return drop_in_publish(
        host=host or w.specialist,
        department=w.department,
        starts_at=starts,
        video_url=kwargs.pop("video_url", "https://video.example.dk/drop-in"),
        duration_minutes=kwargs.pop("duration_minutes", 60),
        title=kwargs.pop("title", "Demens"),
        now=min(now, starts),
    )


def case_session(w: World, *, starts_in_minutes: float = 24 * 60, organiser: User | None = None, **kwargs):
    """A joint case session of the world's geriatric department, ``starts_in_minutes`` ahead."""
    from portal.conferences.case_session_services import case_session_plan

    return case_session_plan(
        organiser=organiser or w.specialist,
        department=w.department,
        title=kwargs.pop("title", "Hjertesvigt hos den skrøbelige ældre"),
        starts_at=timezone.now() + timedelta(minutes=starts_in_minutes),
        video_url=kwargs.pop("video_url", "https://video.example.dk/casekonference"),
        duration_minutes=kwargs.pop("duration_minutes", 90),
        max_cases=kwargs.pop("max_cases", 6),
        **kwargs,
    )


def session_case(session, gp: User, *, question: str = "Skal vi seponere diuretika?", **kwargs):
    from portal.conferences.case_session_services import session_case_submit

    return session_case_submit(
        session=session,
        gp=gp,
        question=question,
        description=kwargs.pop(
            "description", "Kvinde i 80'erne, EF 35 %, fald og svimmelhed.\nDosis <i.v.> 5 mg."
        ),
        age_band=kwargs.pop("age_band", "80+"),
        sex=kwargs.pop("sex", "female"),
    )


def move_to_past(session, *, minutes_ago: float = 120):
    """The session as if it had taken place: it is planned ahead, so tests move it back."""
    from portal.conferences.models import CaseSession

    CaseSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    session.refresh_from_db()
    return session
