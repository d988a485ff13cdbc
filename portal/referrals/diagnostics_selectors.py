"""Reads of investigation orders: the catalogue with the next free times, the practice's and the
department's lists, one order's page, the overdue result notices.

Every list is a fixed number of queries whatever the number of orders or investigations
(tests/referrals/test_diagnostics_query_counts.py holds it to that). Lists show the
investigation, never the patient: a list is not a read of a patient.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from portal.accounts.models import Organisation
from portal.accounts.selectors import memberships_for_user
from portal.bookings.models import Slot
from portal.bookings.selectors import free_slots, slots_with_seats
from portal.core.deadlines import working_days_between

from .diagnostics_rules import DEPARTMENT_ROLES, PRACTICE_ROLES
from .models import InvestigationOrder, InvestigationOrderEvent, InvestigationType
from .selectors import reminder_round

State = InvestigationOrder.State
LIST_LIMIT = 200
# How far ahead the catalogue looks for free times, and how many it shows per investigation.
CATALOGUE_DAYS_AHEAD = 30
CATALOGUE_TIMES_SHOWN = 3
# A result notice the GP has not acknowledged after this many working days is overdue.
RESULT_FOLLOW_UP_WORKING_DAYS = 2

_ROW_RELATED = (
    "practice",
    "author",
    "department__parent",
    "investigation_type",
    "booking__slot__resource",
    "acknowledged_by",
)


def _orgs(user, roles, kind: str) -> list[Organisation]:
    seen, result = set(), []
    for m in memberships_for_user(user):
        if m.organisation.kind == kind and m.role in roles and m.organisation_id not in seen:
            seen.add(m.organisation_id)
            result.append(m.organisation)
    return result


def ordering_practices(user) -> list[Organisation]:
    """The practices whose orders the user follows: as a GP or a practice secretary."""
    return _orgs(user, PRACTICE_ROLES, Organisation.Kind.GENERAL_PRACTICE)


def performing_departments(user) -> list[Organisation]:
    return _orgs(user, DEPARTMENT_ROLES, Organisation.Kind.DEPARTMENT)


def investigation_types() -> QuerySet[InvestigationType]:
    return InvestigationType.objects.filter(active=True).select_related("department__parent", "resource")


@dataclass
class CatalogueEntry:
    investigation: InvestigationType
    next_times: list[Slot]


def catalogue(*, now: datetime | None = None) -> list[tuple[Organisation | None, list[CatalogueEntry]]]:
    """The active investigations grouped by hospital, each with its next free times. Two queries."""
    now = now or timezone.now()
    types = list(investigation_types().order_by("department__parent__name", "department__name", "name"))
    resource_ids = [t.resource_id for t in types if t.resource_id and t.resource.is_active]
    times: dict[int, list[Slot]] = defaultdict(list)
    if resource_ids:
        slots = slots_with_seats(
            Slot.objects.filter(
                resource_id__in=resource_ids,
                starts_at__gt=now,
                starts_at__lt=now + timedelta(days=CATALOGUE_DAYS_AHEAD),
            ),
            now=now,
        ).filter(remaining__gt=0)
        # Bounded: at most this many rows are read whatever the number of published slots.
        for slot in slots.order_by("starts_at", "pk")[: len(resource_ids) * 100]:
            if len(times[slot.resource_id]) < CATALOGUE_TIMES_SHOWN:
                times[slot.resource_id].append(slot)
    grouped: dict = {}
    for t in types:
        hospital = t.department.parent
        grouped.setdefault(hospital.pk if hospital else None, (hospital, []))[1].append(
            CatalogueEntry(investigation=t, next_times=times.get(t.resource_id, []))
        )
    return list(grouped.values())


def practice_orders(practice_ids) -> list[InvestigationOrder]:
    return list(
        InvestigationOrder.objects.filter(practice_id__in=list(practice_ids))
        .select_related(*_ROW_RELATED)
        .order_by("-last_step_at", "-pk")[:LIST_LIMIT]
    )


def department_orders(department_ids) -> list[InvestigationOrder]:
    """What the department still has to do first (awaiting performance or result), by time."""
    return list(
        InvestigationOrder.objects.filter(department_id__in=list(department_ids))
        .select_related(*_ROW_RELATED)
        .annotate(
            todo=Case(
                When(state__in=[State.ORDERED, State.BOOKED], then=Value(0)),
                When(state=State.PERFORMED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("todo", "booking__slot__starts_at", "-created_at", "-pk")[:LIST_LIMIT]
    )


def is_result_overdue(order: InvestigationOrder, now: datetime) -> bool:
    return bool(
        order.state == InvestigationOrder.State.RESULT_AVAILABLE
        and order.result_at
        and working_days_between(order.result_at, now) >= RESULT_FOLLOW_UP_WORKING_DAYS
    )


def overdue_result_notices(practice_ids, *, now: datetime | None = None) -> list[InvestigationOrder]:
    """Result notices nobody in the practice has acknowledged within the follow-up working days."""
    now = now or timezone.now()
    # N working days are at least N calendar days: the database narrows, the calendar decides.
    candidates = (
        InvestigationOrder.objects.filter(
            practice_id__in=list(practice_ids),
            state=InvestigationOrder.State.RESULT_AVAILABLE,
            result_at__lte=now - timedelta(days=RESULT_FOLLOW_UP_WORKING_DAYS),
        )
        .select_related(*_ROW_RELATED)
        .order_by("result_at", "pk")[:LIST_LIMIT]
    )
    return [order for order in candidates if is_result_overdue(order, now)]


def result_notices_due_a_reminder(*, now: datetime) -> list[int]:
    """The unacknowledged result notices whose next reminder is due (ids, oldest first): the
    first when the notice becomes overdue, then one per further follow-up period."""
    every = RESULT_FOLLOW_UP_WORKING_DAYS
    candidates = InvestigationOrder.objects.filter(
        state=InvestigationOrder.State.RESULT_AVAILABLE,
        result_at__lte=now - timedelta(days=every),
    ).order_by("result_at", "pk")
    return [
        pk
        for pk, result_at, reminded_at in candidates.values_list("pk", "result_at", "result_reminded_at")
        if reminder_round(since=result_at, at=now, every=every)
        > reminder_round(since=result_at, at=reminded_at, every=every)
    ]


def order_for_view(*, public_id) -> QuerySet[InvestigationOrder]:
    return InvestigationOrder.objects.select_related(*_ROW_RELATED, "patient").filter(public_id=public_id)


def order_events(order: InvestigationOrder) -> list[InvestigationOrderEvent]:
    return list(order.events.all())


def free_times(investigation: InvestigationType, *, now: datetime | None = None) -> list[Slot]:
    """The free times of a bookable investigation, soonest first (a page of choices)."""
    if investigation.drop_in or investigation.resource_id is None:
        return []
    return free_slots(resource=investigation.resource, now=now)
