"""Demo bookable times for `make run`: subacute outpatient times at the geriatric department and
a Holter recorder at the cardiology department of Aarhus Universitetshospital, with slots on the
working days of the next two weeks, and one booking by the demo GP.

Idempotent: resources are found by organisation, kind and name; publishing the series again
skips the times that exist.
"""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Organisation, User
from portal.accounts.roles import Role

from .models import Booking, Resource
from .services import booking_create, slot_series_create

HOSPITAL = "Aarhus Universitetshospital"
DAYS_AHEAD = 14

# (department, kind, name, where, day start, day end, minutes per time)
RESOURCES = [
    ("Geriatri", Resource.Kind.SUBACUTE_OUTPATIENT, "Subakut ambulant tid, geriatri",
     "Geriatrisk ambulatorium, indgang J", time(8, 30), time(15, 0), 45),
    ("Kardiologi", Resource.Kind.INVESTIGATION, "Holter-monitorering (24 timer)",
     "Hjertemedicinsk ambulatorium, indgang C", time(8, 0), time(12, 0), 30),
]  # fmt: skip


def _resource(department: Organisation, kind: str, name: str, location: str) -> Resource:
    resource = Resource.objects.filter(organisation=department, kind=kind, name=name).first()
    if resource is None:
        resource = Resource(organisation=department, kind=kind, name=name, location=location)
        resource.full_clean()
        resource.save()
    return resource


@transaction.atomic
def demo_bookings_load() -> int:
    """Create the missing demo resources and times; returns how many slots they have."""
    today = timezone.localdate()
    resources = []
    for department_name, kind, name, location, day_start, day_end, minutes in RESOURCES:
        department = Organisation.objects.filter(
            kind=Organisation.Kind.DEPARTMENT, name=department_name, parent__name=HOSPITAL
        ).first()
        if department is None:
            continue
        resource = _resource(department, kind, name, location)
        slot_series_create(
            resource=resource,
            created_by=None,
            first_day=today,
            last_day=today + timedelta(days=DAYS_AHEAD),
            day_start=day_start,
            day_end=day_end,
            slot_minutes=minutes,
        )
        resources.append(resource)
    _demo_booking(resources)
    return sum(resource.slots.count() for resource in resources)


def _demo_booking(resources: list[Resource]) -> None:
    """The demo GP has booked a subacute time, so "my bookings" and the owner's list show one."""
    gp = User.objects.filter(email="laege@samspil.test").first()
    if gp is None or not resources or Booking.objects.filter(booked_by=gp).exists():
        return
    membership = gp.memberships.filter(role=Role.GP).select_related("organisation").first()
    slot = resources[0].slots.filter(starts_at__gt=timezone.now() + timedelta(days=1)).order_by("starts_at")
    if membership is not None and slot.exists():
        booking_create(slot=slot.first(), user=gp, organisation=membership.organisation)
