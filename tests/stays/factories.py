"""Arranging focused stays for tests: a region with a hospital department and two practices,
another region with its own, the trainees, GPs and coordinators in them."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Organisation, Region, User
from portal.accounts.roles import Role
from portal.stays import services
from portal.stays.models import HostOffer, LearningObjective, RegionCoordinator, StayNeed
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
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def next_monday(weeks_ahead: int = 2) -> date:
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) % 7 + 7 * weeks_ahead)


@dataclass
class World:
    region: Region
    area: HealthCouncilArea
    other_region: Region
    department: Organisation
    other_department: Organisation
    practice: Organisation
    second_practice: Organisation
    other_practice: Organisation
    secretariat: Organisation
    trainee: User
    other_trainee: User
    gp: User
    second_gp: User
    other_gp: User
    coordinator: User
    other_coordinator: User
    hospital_coordinator: User


def world() -> World:
    area = HealthCouncilAreaFactory()
    other_area = HealthCouncilAreaFactory()
    hospital = HospitalFactory(health_council_area=area)
    other_hospital = HospitalFactory(health_council_area=other_area)
    department = DepartmentFactory(parent=hospital, specialty=specialty("paediatri"), name="Børneafdelingen")
    other_department = DepartmentFactory(parent=other_hospital, specialty=specialty("paediatri"))
    practice = PracticeFactory(health_council_area=area, name="Lægerne i Midtbyen")
    second_practice = PracticeFactory(health_council_area=area, name="Lægehuset ved Åen")
    other_practice = PracticeFactory(health_council_area=other_area)
    secretariat = Organisation.objects.create(kind=Organisation.Kind.SECRETARIAT, name="Sekretariatet")
    coordinator = member(secretariat, Role.TRAINING_COORDINATOR, first_name="Line")
    RegionCoordinator.objects.create(user=coordinator, region=area.region)
    other_coordinator = member(secretariat, Role.TRAINING_COORDINATOR, first_name="Ole")
    RegionCoordinator.objects.create(user=other_coordinator, region=other_area.region)
    return World(
        region=area.region,
        area=area,
        other_region=other_area.region,
        department=department,
        other_department=other_department,
        practice=practice,
        second_practice=second_practice,
        other_practice=other_practice,
        secretariat=secretariat,
        trainee=member(department, Role.TRAINEE, first_name="Ali"),
        other_trainee=member(other_department, Role.TRAINEE, first_name="Bo"),
        gp=member(practice, Role.GP, first_name="Hanne"),
        second_gp=member(second_practice, Role.GP, first_name="Jens"),
        other_gp=member(other_practice, Role.GP, first_name="Kirsten"),
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        # Coordinates the region through the hospital's membership, named nowhere else.
        hospital_coordinator=member(hospital, Role.TRAINING_COORDINATOR, first_name="Mads"),
    )


def objectives(slug: str = "paediatri", count: int = 3) -> list[LearningObjective]:
    return [
        LearningObjective.objects.create(specialty=specialty(slug), title=f"Læringsmål {i}", position=i)
        for i in range(count)
    ]


def offer(
    w: World, *, practice=None, gp=None, weeks: int = 12, capacity: int = 1, slugs=("paediatri",)
) -> HostOffer:
    practice = practice or w.practice
    gp = gp or w.gp
    made = services.offer_save(
        actor=gp,
        practice=practice,
        supervisor=gp,
        specialties=[specialty(s) for s in slugs],
        practice_type="partnership",
        latitude=56.15,
        longitude=10.2,
        notes="Parkering i gården.",
    )
    start = next_monday(1)
    services.period_add(
        actor=gp,
        offer=made,
        starts_on=start,
        ends_on=start + timedelta(weeks=weeks, days=-3),
        capacity=capacity,
    )
    return made


def need(w: World, *, trainee=None, department=None, weeks_window: int = 8, length: int = 2) -> StayNeed:
    trainee = trainee or w.trainee
    department = department or w.department
    start = next_monday(2)
    return services.need_register(
        actor=trainee,
        department=department,
        specialty=department.specialty,
        earliest_start=start,
        latest_end=start + timedelta(weeks=weeks_window, days=-3),
        length_weeks=length,
    )


def proposal(w: World, the_need: StayNeed, the_offer: HostOffer, *, run=None, start=None):
    """A run's proposal made by hand, as the matching would store it (for tests of what follows)."""
    from portal.stays.models import Assignment, MatchingRun

    run = run or MatchingRun.objects.create(
        region=the_need.region, run_by=w.coordinator, started_at=timezone.now(), status="optimal"
    )
    start = start or the_need.earliest_start
    return Assignment.objects.create(
        run=run,
        need=the_need,
        offer=the_offer,
        starts_on=start,
        ends_on=start + timedelta(weeks=the_need.length_weeks, days=-3),
        length_weeks=the_need.length_weeks,
    )


def published(w: World, the_need: StayNeed, the_offer: HostOffer):
    assignment = proposal(w, the_need, the_offer)
    services.run_publish(actor=w.coordinator, run=assignment.run)
    assignment.refresh_from_db()
    return assignment


def ended(w: World, the_need: StayNeed, the_offer: HostOffer, *, weeks_ago: int = 1, start=None):
    """A stay both sides confirmed, moved into the past so that it has ended (the services do not
    let a need start in the past, so the dates are set afterwards)."""
    from portal.stays.models import Assignment

    stay = published(w, the_need, the_offer)
    services.assignment_confirm(actor=the_offer.supervisor, assignment=stay, side="practice")
    services.assignment_confirm(actor=the_need.trainee, assignment=stay, side="trainee")
    today = timezone.localdate()
    start = start or today - timedelta(days=today.weekday() + 7 * (weeks_ago + stay.length_weeks))
    Assignment.objects.filter(pk=stay.pk).update(
        starts_on=start, ends_on=start + timedelta(weeks=stay.length_weeks, days=-3)
    )
    stay.refresh_from_db()
    return stay
