"""Arranging the support module for tests: an acute reception (doctor, secretary), the patient's
practice (GP, secretary) with next-day acute slots, another practice and another department."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import Organisation, User
from portal.accounts.roles import Role
from portal.bookings.models import Resource, Slot
from portal.bookings.services import resource_create, slot_publish
from portal.support import services
from portal.support.models import AcuteSlotNote
from tests.accounts.factories import DepartmentFactory, PracticeFactory
from tests.bookings.factories import member

CPR = "0707614285"
REASON = "Faldet hjemme. CRP 45 <ingen feber>. Ses i morgen: sår & smerter?"


@dataclass
class World:
    acute: Organisation
    other_department: Organisation
    practice: Organisation
    other_practice: Organisation
    acute_doctor: User
    acute_secretary: User
    other_specialist: User
    gp: User
    practice_secretary: User
    other_gp: User
    resource: Resource
    slots: list[Slot]


def world(*, slots: int = 3) -> World:
    acute = DepartmentFactory(name="Akutmodtagelsen")
    practice, other_practice = PracticeFactory(name="Lægerne i Trøjborg"), PracticeFactory()
    gp = member(practice, Role.GP, first_name="Hanne")
    resource = resource_create(
        actor=gp,
        organisation=practice,
        kind=Resource.Kind.ACUTE_SLOT,
        name="Akuttider",
        location="Konsultation 2",
    )
    tomorrow = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=16)
    made = [
        slot_publish(
            actor=gp,
            resource=resource,
            starts_at=tomorrow + timedelta(minutes=15 * i),
            ends_at=tomorrow + timedelta(minutes=15 * (i + 1)),
        )
        for i in range(slots)
    ]
    return World(
        acute=acute,
        other_department=DepartmentFactory(name="Kardiologi"),
        practice=practice,
        other_practice=other_practice,
        acute_doctor=member(acute, Role.HOSPITAL_SPECIALIST, first_name="Peter"),
        acute_secretary=member(acute, Role.MEDICAL_SECRETARY, first_name="Mette"),
        other_specialist=None,
        gp=gp,
        practice_secretary=member(practice, Role.MEDICAL_SECRETARY, first_name="Sif"),
        other_gp=member(other_practice, Role.GP),
        resource=resource,
        slots=made,
    )


def with_other_specialist(w: World) -> World:
    w.other_specialist = member(w.other_department, Role.HOSPITAL_SPECIALIST)
    return w


def note(w: World, *, colour=AcuteSlotNote.Colour.RED, slot=None, author=None, **fields) -> AcuteSlotNote:
    taken = set(AcuteSlotNote.objects.values_list("slot_id", flat=True))
    slot = slot or next(s for s in w.slots if s.pk not in taken)
    made, _created = services.acute_note_send(
        author=author or w.acute_secretary,
        department=w.acute,
        patient_cpr=fields.pop("patient_cpr", CPR),
        colour=colour,
        reason=fields.pop("reason", REASON),
        slot_id=slot.public_id,
        **fields,
    )
    return made
