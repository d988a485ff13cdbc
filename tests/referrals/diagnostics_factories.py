"""Arranging investigation orders for tests: the referrals world plus a Holter with free times
at the cardiology department ("Hjertesygdomme") and a drop-in X-ray at the pulmonary department."""

from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone

from portal.accounts.roles import Role
from portal.bookings.models import Resource, Slot
from portal.bookings.services import slot_series_create
from portal.referrals import diagnostics_services as services
from portal.referrals.models import InvestigationOrder, InvestigationType

from .factories import CPR, World, member, world


@dataclass
class DiagnosticsWorld:
    w: World
    holter: InvestigationType
    xray: InvestigationType
    slots: list[Slot]
    cardiologist: object
    cardiology_secretary: object


def diagnostics_world() -> DiagnosticsWorld:
    w = world()
    resource = Resource.objects.create(
        organisation=w.other_department,
        kind=Resource.Kind.INVESTIGATION,
        name="Holter-monitorering (24 timer)",
        location="Hjertemedicinsk ambulatorium, indgang C",
    )
    today = timezone.localdate()
    slots = slot_series_create(
        resource=resource,
        created_by=None,
        first_day=today + timedelta(days=1),
        last_day=today + timedelta(days=14),
        day_start=time(8, 0),
        day_end=time(10, 0),
        slot_minutes=30,
    )
    holter = InvestigationType.objects.create(
        name="Holter-monitorering 24 t",
        department=w.other_department,
        preparation="Bær løstsiddende tøj.",
        resource=resource,
    )
    xray = InvestigationType.objects.create(
        name="Drop-in røntgen af thorax", department=w.department, drop_in=True, drop_in_hours="Hverdage 8-15"
    )
    return DiagnosticsWorld(
        w=w,
        holter=holter,
        xray=xray,
        slots=sorted(slots, key=lambda s: s.starts_at),
        cardiologist=w.other_specialist,
        cardiology_secretary=member(
            w.other_department, Role.MEDICAL_SECRETARY, first_name="Sif", last_name="Sek"
        ),
    )


def order(d: DiagnosticsWorld, *, slot=None, investigation=None, **fields) -> InvestigationOrder:
    investigation = investigation or d.holter
    if slot is None and not investigation.drop_in:
        taken = InvestigationOrder.objects.filter(booking__isnull=False).values_list(
            "booking__slot_id", flat=True
        )
        slot = next(s for s in d.slots if s.pk not in set(taken))
    defaults = {
        "author": d.w.gp,
        "practice": d.w.practice,
        "investigation": investigation,
        "patient_cpr": CPR,
        "clinical_question": "Palpitationer. Atrieflimren? Dosis <i.v.> 5 mg.",
        "slot_id": slot.public_id if slot else None,
    }
    created, _new = services.investigation_order_create(**(defaults | fields))
    return created


def with_result(d: DiagnosticsWorld, o: InvestigationOrder, *, now=None) -> InvestigationOrder:
    o = services.investigation_performed_record(
        order=o, actor=d.cardiologist, performed_at=timezone.now(), now=now
    )
    return services.investigation_result_record(
        order=o, actor=d.cardiologist, notice="Paroksystisk AF.", now=now
    )
