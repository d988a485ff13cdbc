"""Arranging the booking core for tests: an owning department with staff, two booking practices."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from portal.accounts.models import Organisation, User
from portal.accounts.roles import Role
from portal.bookings.models import Resource, Slot
from portal.bookings.services import resource_create, slot_publish
from tests.accounts.factories import DepartmentFactory, MembershipFactory, PracticeFactory, UserFactory


def member(organisation: Organisation, role: str, **fields) -> User:
    user = UserFactory(**fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return User.objects.get(pk=user.pk)  # fresh: memberships are cached on the user object


@dataclass
class World:
    department: Organisation
    other_department: Organisation
    practice: Organisation
    other_practice: Organisation
    specialist: User
    secretary: User
    other_specialist: User
    gp: User
    gp_colleague: User
    other_gp: User
    resource: Resource


def world() -> World:
    department = DepartmentFactory(name="Subakut ambulatorium")
    other_department = DepartmentFactory(name="Kardiologisk afdeling")
    practice, other_practice = PracticeFactory(), PracticeFactory()
    specialist = member(department, Role.HOSPITAL_SPECIALIST, first_name="Peter")
    w = World(
        department=department,
        other_department=other_department,
        practice=practice,
        other_practice=other_practice,
        specialist=specialist,
        secretary=member(department, Role.MEDICAL_SECRETARY, first_name="Mette"),
        other_specialist=member(other_department, Role.HOSPITAL_SPECIALIST),
        gp=member(practice, Role.GP, first_name="Hanne"),
        gp_colleague=member(practice, Role.GP),
        other_gp=member(other_practice, Role.GP),
        resource=None,
    )
    w.resource = resource_create(
        actor=specialist,
        organisation=department,
        kind=Resource.Kind.SUBACUTE_OUTPATIENT,
        name="Subakut tid",
        location="Indgang J",
    )
    return w


def future(hours: float = 24) -> datetime:
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def slot(w: World, *, hours: float = 24, minutes: int = 30, capacity: int = 1, resource=None) -> Slot:
    starts = future(hours)
    return slot_publish(
        actor=w.specialist,
        resource=resource or w.resource,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        capacity=capacity,
    )
