"""Demo content for `make run`: next-day acute times at the demo GP's practice (Lægerne i
Trøjborg, 08.00-09.00 on the working days of the next week), an acute reception secretary at
Akutmedicin, Aarhus Universitetshospital (akutsekretaer@samspil.test, development settings only)
and one red note she has booked for a patient; video times at the practice (13.00-14.00 on the
working days of the next two weeks) with one video consultation booked by the demo specialist of
Geriatri; one palliative handover from Geriatri awaiting the demo GP's acceptance; and one
proposal from Geriatri that the practice becomes tovholder for a patient with complex
multimorbidity, awaiting the demo GP's acknowledgement.

Idempotent: the resource is found by practice, kind and name; publishing again skips existing
times; the user and the note are made once (the note by a fixed client token).
"""

import uuid
from datetime import time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.accounts.demo import DEMO_PASSWORD
from portal.accounts.models import Membership, Organisation, User
from portal.accounts.roles import Role
from portal.bookings.models import Resource
from portal.bookings.services import slot_series_create
from portal.referrals.coordinator_services import coordinator_handover_propose
from portal.referrals.palliative_services import palliative_handover_propose

from . import services
from .models import AcuteSlotNote, VideoConsultation

PRACTICE = "Lægerne i Trøjborg"
HOSPITAL = "Aarhus Universitetshospital"
ACUTE_DEPARTMENT = "Akutmedicin"
ACUTE_SECRETARY = "akutsekretaer@samspil.test"
RESOURCE_NAME = "Akuttider dagen efter"
DEMO_CPR = "0101501248"
DEMO_VIDEO_CPR = "0202421008"
DEMO_PALLIATIVE_CPR = "0303391002"
DEMO_COORDINATOR_CPR = "0404381004"
SPECIALIST = "speciallaege@samspil.test"
VIDEO_RESOURCE_NAME = "Videokonsultation, Hanne Mikkelsen"
_NS = uuid.UUID("8a7d1f3e-2b6c-4e7a-9f0d-3c5b1a2e4d6f")


@transaction.atomic
def demo_support_load() -> int:
    """The practice's acute times and one red note; returns the number of notes."""
    practice = Organisation.objects.filter(kind=Organisation.Kind.GENERAL_PRACTICE, name=PRACTICE).first()
    if practice is None:
        return 0
    resource = Resource.objects.filter(
        organisation=practice, kind=Resource.Kind.ACUTE_SLOT, name=RESOURCE_NAME
    ).first()
    if resource is None:
        resource = Resource(
            organisation=practice,
            kind=Resource.Kind.ACUTE_SLOT,
            name=RESOURCE_NAME,
            location="Konsultation 2",
        )
        resource.full_clean()
        resource.save()
    today = timezone.localdate()
    slot_series_create(
        resource=resource,
        created_by=None,
        first_day=today,
        last_day=today + timedelta(days=7),
        day_start=time(8, 0),
        day_end=time(9, 0),
        slot_minutes=15,
    )
    _demo_note(resource)
    _demo_video(practice, today)
    _demo_palliative(practice)
    _demo_coordinator(practice)
    return AcuteSlotNote.objects.count()


def _acute_secretary(department: Organisation) -> User | None:
    if not getattr(settings, "SAMSPIL_CREATE_DEMO_USERS", False):
        return None
    user = User.objects.filter(email=ACUTE_SECRETARY).first() or User.objects.create_user(
        ACUTE_SECRETARY,
        DEMO_PASSWORD,
        first_name="Anne",
        last_name="Friis",
        title="Lægesekretær",
        phone="+45 70 00 00 00",
    )
    if not Membership.objects.filter(user=user, organisation=department).exists():
        membership = Membership(user=user, organisation=department, role=Role.MEDICAL_SECRETARY)
        membership.full_clean()
        membership.save()
    return User.objects.get(pk=user.pk)  # fresh: memberships are cached on the user object


def _demo_note(resource: Resource) -> None:
    department = Organisation.objects.filter(
        kind=Organisation.Kind.DEPARTMENT, name=ACUTE_DEPARTMENT, parent__name=HOSPITAL
    ).first()
    secretary = _acute_secretary(department) if department is not None else None
    if secretary is None or AcuteSlotNote.objects.filter(author=secretary).exists():
        return
    now = timezone.now()
    slot = (
        resource.slots.filter(
            starts_at__gt=now + timedelta(hours=2), starts_at__lt=now + services.ACUTE_SLOT_WINDOW
        )
        .exclude(bookings__status="booked")
        .order_by("starts_at")
        .first()
    )
    if slot is None:  # a weekend or holiday ahead: no acute time within two days
        return
    services.acute_note_send(
        author=secretary,
        department=department,
        patient_cpr=DEMO_CPR,
        colour=AcuteSlotNote.Colour.RED,
        reason="Set i akutmodtagelsen for svimmelhed efter fald. Intet brud. Blodtryk 95/60: "
        "vurder blodtrykmedicinen og se til såret på venstre underarm.",
        slot_id=slot.public_id,
        client_token=uuid.uuid5(_NS, "red"),
    )


def _video_resource(practice: Organisation) -> Resource:
    resource = Resource.objects.filter(
        organisation=practice, kind=Resource.Kind.VIDEO_CONSULTATION, name=VIDEO_RESOURCE_NAME
    ).first()
    if resource is None:
        resource = Resource(
            organisation=practice, kind=Resource.Kind.VIDEO_CONSULTATION, name=VIDEO_RESOURCE_NAME
        )
        resource.full_clean()
        resource.save()
    return resource


def _demo_specialist() -> tuple[User | None, Organisation | None]:
    specialist = User.objects.filter(email=SPECIALIST).first()
    membership = (
        specialist.memberships.filter(role=Role.HOSPITAL_SPECIALIST).select_related("organisation").first()
        if specialist is not None
        else None
    )
    return (specialist, membership.organisation) if membership is not None else (None, None)


def _demo_video(practice: Organisation, today) -> None:
    resource = _video_resource(practice)
    slot_series_create(
        resource=resource,
        created_by=None,
        first_day=today,
        last_day=today + timedelta(days=14),
        day_start=time(13, 0),
        day_end=time(14, 0),
        slot_minutes=20,
    )
    specialist, ward = _demo_specialist()
    if specialist is None or VideoConsultation.objects.filter(hospital_doctor=specialist).exists():
        return
    slot = (
        resource.slots.filter(starts_at__gt=timezone.now() + timedelta(days=1))
        .exclude(bookings__status="booked")
        .order_by("starts_at")
        .first()
    )
    if slot is None:
        return
    services.video_consultation_book(
        actor=specialist,
        department=ward,
        patient_cpr=DEMO_VIDEO_CPR,
        purpose="Udskrivelse efter 5 ugers indlæggelse: blodtryk, medicinliste og hvem der følger op på "
        "vægttabet. Patienten deltager fra afsnittet.",
        video_url="https://video.samspil.test/rum/geriatri-1",
        slot_id=slot.public_id,
        client_token=uuid.uuid5(_NS, "video"),
    )


def _demo_palliative(practice: Organisation) -> None:
    specialist, department = _demo_specialist()
    if specialist is None:
        return
    palliative_handover_propose(
        actor=specialist,
        department=department,
        practice=practice,
        patient_cpr=DEMO_PALLIATIVE_CPR,
        phone_agreement="Hanne Mikkelsen, aftalt i telefonen i dag kl. 11.15",
        plan="Palliativ fase, ingen genoplivning (aftalt med patient og pårørende).\n"
        "Morfin 5 mg s.c. ved smerter eller åndenød, højst hver 4. time.\n"
        "Hjemmesygeplejen og det palliative team er orienteret; ved uro kontaktes egen læge.",
        client_token=uuid.uuid5(_NS, "palliative"),
    )


def _demo_coordinator(practice: Organisation) -> None:
    specialist, department = _demo_specialist()
    if specialist is None:
        return
    coordinator_handover_propose(
        actor=specialist,
        department=department,
        practice=practice,
        patient_cpr=DEMO_COORDINATOR_CPR,
        note="KOL, hjertesvigt og type 2-diabetes; 9 faste lægemidler.\n"
        "Egen læge samler kontrollerne hver 3. måned og medicingennemgangen; Geriatri ser patienten "
        "årligt og ved fald. Ved forværring kontaktes egen læge først.",
        client_token=uuid.uuid5(_NS, "coordinator"),
    )
