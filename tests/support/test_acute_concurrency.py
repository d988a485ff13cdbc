"""Two acute receptions book a practice's last acute time at the same instant: the booking
core's slot lock gives one red note with its booking and one Danish refusal with nothing saved.

On PostgreSQL the two run in threads with their own connections, released together by a
barrier; SQLite's in-memory test database cannot serve concurrent writers, so there they run in
turn (the assertions are the same), as tests/bookings/test_concurrency.py does.
"""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.accounts.roles import Role
from portal.bookings.models import Booking
from portal.patients.models import PatientReference
from portal.support.models import AcuteSlotNote
from tests.accounts.factories import DepartmentFactory
from tests.bookings.factories import member
from tests.bookings.test_concurrency import race

from .factories import world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_simultaneous_red_notes_for_the_last_acute_time_give_one_booking():
    w = world(slots=1)
    other_acute = DepartmentFactory(name="Akutmodtagelsen, Randers")
    secretaries = [w.acute_secretary, member(other_acute, Role.MEDICAL_SECRETARY, first_name="Ida")]
    departments = [w.acute, other_acute]
    cprs = ["0707614285", "1205731234"]

    def send(i):
        with translation.override("da"):
            try:
                from portal.support import services

                services.acute_note_send(
                    author=secretaries[i],
                    department=departments[i],
                    patient_cpr=cprs[i],
                    colour="red",
                    reason="Svimmelhed",
                    slot_id=w.slots[0].public_id,
                )
                return "booked"
            except ValidationError as error:
                return error.messages[0]

    outcomes = Counter(race(send, 2))
    assert outcomes == {"booked": 1, "Tiden er netop booket af en anden. Vælg en anden tid.": 1}
    assert Booking.objects.filter(slot=w.slots[0], status="booked").count() == 1
    assert AcuteSlotNote.objects.count() == 1
    # The loser's patient reference rolled back with its note: nothing half-saved.
    assert PatientReference.objects.count() == 1
