"""Acute slot notes: red books the practice's acute time at once, yellow suggests it; the
practice sees why the patient comes; every write is one transaction with the access log and
the outbox; bad input is a Danish refusal with nothing saved."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from portal.audit.models import AccessLogEntry
from portal.bookings.models import Booking, Resource
from portal.bookings.services import booking_create, resource_create, slot_publish
from portal.outbox.models import OutboxEmail
from portal.patients.models import PatientReference
from portal.support import services
from portal.support.models import AcuteSlotNote

from .factories import CPR, REASON, note, with_other_specialist, world

pytestmark = pytest.mark.django_db


def test_a_red_note_books_the_acute_time_for_the_patient_and_tells_the_practice():
    w = world()
    made = note(w, colour="red")
    assert made.practice == w.practice
    assert made.booking.slot == w.slots[0] and made.booking.is_active
    assert made.booking.organisation == w.acute and made.booked_by == w.acute_secretary
    assert made.reason == REASON  # clinical text kept exactly as written
    assert (
        AccessLogEntry.objects.filter(
            action="create", object_type="support.acuteslotnote", object_id=str(made.pk)
        ).count()
        == 1
    )
    email = OutboxEmail.objects.get(to=[w.practice_secretary.email])  # secretaries run the time book
    assert "booket en af jeres akuttider" in email.body
    assert CPR not in email.body and "CRP" not in email.body and "0707" not in email.subject


def test_a_yellow_note_suggests_the_time_and_the_practice_books_it_when_the_patient_calls():
    w = world()
    made = note(w, colour="yellow")
    assert made.booking is None
    assert not Booking.objects.exists()
    assert "bedt en patient" in OutboxEmail.objects.get(to=[w.practice_secretary.email]).body
    booked = services.acute_note_book(note=made, actor=w.practice_secretary)
    assert booked.booking.organisation == w.practice and booked.booking.slot == made.slot
    with translation.override("da"), pytest.raises(ValidationError, match="allerede booket"):
        services.acute_note_book(note=made, actor=w.gp)


def test_only_the_practice_books_a_yellow_note_and_nobody_outside_sees_it():
    w = with_other_specialist(world())
    made = note(w, colour="yellow")
    for outsider in (w.acute_doctor, w.other_gp, w.other_specialist):
        with pytest.raises(PermissionDenied):
            services.acute_note_book(note=made, actor=outsider)
    for outsider in (w.other_gp, w.other_specialist):
        with pytest.raises(PermissionDenied):
            services.acute_note_read(note=made, user=outsider)
    assert not Booking.objects.exists()


def test_the_same_submit_twice_gives_one_note_and_one_booking():
    w = world()
    token = uuid.uuid4()
    first = note(w, client_token=token)
    again = note(w, client_token=token, slot=w.slots[1])
    assert first.pk == again.pk
    assert AcuteSlotNote.objects.count() == 1 and Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "  \n "}, "Hvorfor patienten kommer skal udfyldes"),
        ({"reason": "x" * 1001}, "højst være 1000 tegn"),
        ({"patient_cpr": "3213001234"}, "CPR"),
        ({"colour": "green"}, "gul eller en rød"),
    ],
)
def test_bad_input_is_a_danish_refusal_with_nothing_saved(fields, message):
    w = world()
    with translation.override("da"), pytest.raises(ValidationError) as error:
        note(w, **fields)
    assert message in " ".join(error.value.messages)
    assert not AcuteSlotNote.objects.exists() and not Booking.objects.exists()
    assert not PatientReference.objects.exists() or "patient_cpr" not in fields


def test_only_a_practices_acute_time_within_two_days_can_be_chosen():
    w = world()
    department_time = resource_create(
        actor=w.acute_doctor, organisation=w.acute, kind=Resource.Kind.ACUTE_SLOT, name="Ikke praksis"
    )
    subacute = resource_create(
        actor=w.gp, organisation=w.practice, kind=Resource.Kind.SUBACUTE_OUTPATIENT, name="Andet"
    )
    start = timezone.now().replace(second=0, microsecond=0)
    too_late = slot_publish(
        actor=w.gp,
        resource=w.resource,
        starts_at=start + timedelta(days=3),
        ends_at=start + timedelta(days=3, minutes=15),
    )
    others = [
        slot_publish(
            actor=actor,
            resource=resource,
            starts_at=start + timedelta(hours=5),
            ends_at=start + timedelta(hours=6),
        )
        for actor, resource in ((w.acute_doctor, department_time), (w.gp, subacute))
    ]
    for slot in [*others, too_late]:
        with translation.override("da"), pytest.raises(ValidationError):
            note(w, slot=slot)
    with translation.override("da"), pytest.raises(ValidationError, match="praksissernes ledige akuttider"):
        services.acute_note_send(
            author=w.acute_secretary,
            department=w.acute,
            patient_cpr=CPR,
            colour="red",
            reason="x",
            slot_id="nope",
        )
    assert not AcuteSlotNote.objects.exists()


def test_a_taken_last_time_is_the_booking_cores_danish_refusal_and_nothing_is_saved():
    w = world(slots=1)
    booking_create(slot=w.slots[0], user=w.gp, organisation=w.practice)
    with translation.override("da"), pytest.raises(ValidationError, match="netop booket af en anden"):
        note(w, slot=w.slots[0])
    assert not AcuteSlotNote.objects.exists() and not PatientReference.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_only_the_departments_staff_send_its_notes():
    w = with_other_specialist(world())
    for outsider in (w.gp, w.other_specialist):
        with pytest.raises(PermissionDenied):
            note(w, author=outsider)
    with pytest.raises(PermissionDenied):
        services.acute_note_send(
            author=w.gp,
            department=w.practice,
            patient_cpr=CPR,
            colour="red",
            reason="x",
            slot_id=w.slots[0].public_id,
        )
    assert not AcuteSlotNote.objects.exists()
