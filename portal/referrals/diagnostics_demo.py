"""Demo catalogue of investigations at Aarhus Universitetshospital and one Holter order by the
demo GP that has taken place and has a result notice awaiting follow-up.

Idempotent: investigations are found by department and name; the order is made once. Runs
after ``demo_bookings_load`` (the Holter resource and its slots) and ``demo_referrals_load``.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.accounts.demo import DEMO_PASSWORD
from portal.accounts.models import Membership, Organisation, User
from portal.accounts.roles import Role
from portal.bookings.models import Resource

from . import diagnostics_services as services
from .demo import DEMO_CPR
from .models import InvestigationOrder, InvestigationType

HOSPITAL = "Aarhus Universitetshospital"
HOLTER = "Holter-monitorering (24 timer)"
CARDIOLOGIST = "kardiolog@samspil.test"
_NS = uuid.UUID("0c1f2e2a-8d4b-4f4e-9b8e-6d2f6a1c7e55")

# (department name, investigation, preparation, drop-in hours or None for the booked Holter)
CATALOGUE = [
    ("Kardiologi", HOLTER, "Bær løstsiddende tøj. Ingen bad, mens apparatet sidder på (24 timer).", None),
    ("Kardiologi", "Ekkokardiografi", "Ingen særlig forberedelse.", "Hverdage 8-14 efter aftale"),
    ("Kardiologi", "Tåtryk", "Hvil 10 minutter før målingen.", "Hverdage 9-12"),
    ("Geriatri", "Drop-in røntgen af thorax", "Medbring intet; fjern smykker.", "Hverdage 8-15"),
]  # fmt: skip


def _department(name: str) -> Organisation | None:
    return Organisation.objects.filter(
        kind=Organisation.Kind.DEPARTMENT, name=name, parent__name=HOSPITAL
    ).first()


@transaction.atomic
def demo_diagnostics_load() -> int:
    """The catalogue and one Holter order with a result notice; returns the number of orders."""
    for department_name, name, preparation, drop_in_hours in CATALOGUE:
        department = _department(department_name)
        if department is None:
            continue
        resource = None
        if drop_in_hours is None:
            resource = Resource.objects.filter(
                organisation=department, kind=Resource.Kind.INVESTIGATION, name=name
            ).first()
            if resource is None:
                continue
        if not InvestigationType.objects.filter(department=department, name=name).exists():
            investigation = InvestigationType(
                department=department,
                name=name,
                preparation=preparation,
                resource=resource,
                drop_in=resource is None,
                drop_in_hours=drop_in_hours or "",
            )
            investigation.full_clean()
            investigation.save()
    _demo_order()
    return InvestigationOrder.objects.count()


def _cardiologist(department: Organisation) -> User | None:
    """The department's specialist who reads the Holter; the demo users have none in Kardiologi,
    so a demo cardiologist is added (development settings only, like every demo user)."""
    found = (
        User.objects.filter(memberships__organisation=department, memberships__role=Role.HOSPITAL_SPECIALIST)
        .order_by("pk")
        .first()
    )
    if found is not None or not getattr(settings, "SAMSPIL_CREATE_DEMO_USERS", False):
        return found
    user = User.objects.filter(email=CARDIOLOGIST).first() or User.objects.create_user(
        CARDIOLOGIST,
        DEMO_PASSWORD,
        first_name="Karen",
        last_name="Hjort",
        title="Overlæge",
        phone="+45 70 00 00 00",
    )
    membership = Membership(user=user, organisation=department, role=Role.HOSPITAL_SPECIALIST)
    membership.full_clean()
    membership.save()
    return user


def _demo_order() -> None:
    gp = User.objects.filter(email="laege@samspil.test").first()
    holter = InvestigationType.objects.filter(name=HOLTER).select_related("resource", "department").first()
    if gp is None or holter is None or InvestigationOrder.objects.filter(author=gp).exists():
        return
    membership = gp.memberships.filter(role=Role.GP).select_related("organisation").first()
    staff = _cardiologist(holter.department)
    slot = (
        holter.resource.slots.filter(starts_at__gt=timezone.now() + timedelta(hours=1))
        .order_by("starts_at")
        .first()
    )
    if membership is None or staff is None or slot is None:
        return
    # Ordered a week ago (the demo's "now" for the order), then performed and answered.
    now = timezone.now()
    order, _created = services.investigation_order_create(
        author=gp,
        practice=membership.organisation,
        investigation=holter,
        patient_cpr=DEMO_CPR,
        clinical_question="Palpitationer og svimmelhed i anfald. Atrieflimren?",
        slot_id=slot.public_id,
        client_token=uuid.uuid5(_NS, "holter"),
    )
    services.investigation_performed_record(order=order, actor=staff, performed_at=now)
    services.investigation_result_record(
        order=order,
        actor=staff,
        notice="Paroksystisk atrieflimren i 3 episoder. Overvej AK-behandling (CHA2DS2-VASc).",
    )
