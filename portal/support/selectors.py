"""Reads of the support module. Lists are one query each, whatever the number of notes
(tests/support/test_acute_views.py holds them to that), and show the reason for coming but
never the patient: a list is not a read of a patient; opening a note is, and is logged."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.accounts.models import Organisation
from portal.bookings.models import Resource, Slot
from portal.bookings.selectors import free_slots

from .models import AcuteSlotNote, InpatientGpVisit, VideoConsultation
from .services import ACUTE_SLOT_WINDOW, VIDEO_WINDOW, VISIT_WINDOW

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


# --- Video consultations ------------------------------------------------------------------------

_VIDEO_RELATED = ("department__parent", "practice", "hospital_doctor", "booking__slot__resource")


def video_for_view() -> QuerySet[VideoConsultation]:
    return VideoConsultation.objects.select_related("patient", *_VIDEO_RELATED)


def videos_for(organisation_ids) -> list[VideoConsultation]:
    """Video consultations of these practices or wards, the latest time first (one query)."""
    ids = list(organisation_ids)
    return list(
        VideoConsultation.objects.filter(Q(practice_id__in=ids) | Q(department_id__in=ids))
        .select_related(*_VIDEO_RELATED)
        .order_by("-booking__slot__starts_at", "-pk")[:LIST_LIMIT]
    )


def video_practices() -> list[Organisation]:
    """Practices that offer video times (one query)."""
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.GENERAL_PRACTICE,
            booking_resources__kind=Resource.Kind.VIDEO_CONSULTATION,
            booking_resources__is_active=True,
        )
        .distinct()
        .order_by("name", "pk")
    )


def free_video_slots(practice: Organisation | None, *, now: datetime | None = None) -> list[Slot]:
    """The practice's free video times of the next two weeks, soonest first (two queries)."""
    if practice is None:
        return []
    now = now or timezone.now()
    return free_slots(
        kind=Resource.Kind.VIDEO_CONSULTATION,
        organisation=practice,
        starts_before=now + VIDEO_WINDOW,
        now=now,
    )


# --- Inpatients to their own GP -----------------------------------------------------------------

_VISIT_RELATED = ("department__parent", "practice", "booked_by", "confirmed_by", "booking__slot__resource")


def visit_for_view() -> QuerySet[InpatientGpVisit]:
    return InpatientGpVisit.objects.select_related("patient", *_VISIT_RELATED)


def visits_for(organisation_ids) -> list[InpatientGpVisit]:
    """Consultations booked by these wards or at these practices, the awaiting first (one query)."""
    ids = list(organisation_ids)
    return list(
        InpatientGpVisit.objects.filter(Q(practice_id__in=ids) | Q(department_id__in=ids))
        .select_related(*_VISIT_RELATED)
        .order_by("state", "-booking__slot__starts_at", "-pk")[:LIST_LIMIT]
    )


def consultation_practices() -> list[Organisation]:
    """Practices that offer consultation times to wards (one query)."""
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.GENERAL_PRACTICE,
            booking_resources__kind=Resource.Kind.GP_CONSULTATION,
            booking_resources__is_active=True,
        )
        .distinct()
        .order_by("name", "pk")
    )


def free_consultation_slots(practice: Organisation | None, *, now: datetime | None = None) -> list[Slot]:
    if practice is None:
        return []
    now = now or timezone.now()
    return free_slots(
        kind=Resource.Kind.GP_CONSULTATION, organisation=practice, starts_before=now + VISIT_WINDOW, now=now
    )
