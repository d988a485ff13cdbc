"""Reads of the support module. Lists are one query each, whatever the number of notes
(tests/support/test_acute_views.py holds them to that), and show the reason for coming but
never the patient: a list is not a read of a patient; opening a note is, and is logged."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from portal.accounts.models import Organisation
from portal.bookings.models import Resource, Slot
from portal.bookings.selectors import free_slots

from .models import AcuteSlotNote
from .services import ACUTE_SLOT_WINDOW

LIST_LIMIT = 200
_RELATED = ("department__parent", "practice", "author", "slot__resource", "booking", "booked_by")


def note_for_view() -> QuerySet[AcuteSlotNote]:
    return AcuteSlotNote.objects.select_related("patient", *_RELATED)


def notes_for_practices(practice_ids) -> list[AcuteSlotNote]:
    """The practice's incoming notes, the coming times first."""
    return list(
        AcuteSlotNote.objects.filter(practice_id__in=list(practice_ids))
        .select_related(*_RELATED)
        .order_by("-slot__starts_at", "-pk")[:LIST_LIMIT]
    )


def notes_for_departments(department_ids) -> list[AcuteSlotNote]:
    return list(
        AcuteSlotNote.objects.filter(department_id__in=list(department_ids))
        .select_related(*_RELATED)
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )


def free_acute_slots(*, now: datetime | None = None) -> list[Slot]:
    """The practices' free acute times of the next two days, soonest first (two queries)."""
    now = now or timezone.now()
    return [
        slot
        for slot in free_slots(kind=Resource.Kind.ACUTE_SLOT, starts_before=now + ACUTE_SLOT_WINDOW, now=now)
        if slot.resource.organisation.kind == Organisation.Kind.GENERAL_PRACTICE
    ]
