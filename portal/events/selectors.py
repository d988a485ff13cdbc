"""Reads of meetings and registrations. A fixed number of queries each."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from content.models import EventPage
from portal.accounts.models import Membership

from .models import Registration

Status = Registration.Status


def event_for_registration(page_id: int) -> EventPage | None:
    """A live, public meeting, or None."""
    return EventPage.objects.live().public().filter(pk=page_id).first()


@dataclass(frozen=True)
class Seats:
    registered: int
    waiting: int
    limit: int | None

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.registered, 0)


def seats(event: EventPage) -> Seats:
    counts = Registration.objects.filter(event=event).aggregate(
        registered=Count("pk", filter=Q(status=Status.REGISTERED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )
    return Seats(counts["registered"], counts["waiting"], event.seats)


def registration_of(event: EventPage, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list."""
    if registration.status != Status.WAITING:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=Status.WAITING).filter(
        Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def my_registrations(user, *, now=None, limit: int = 100) -> list[Registration]:
    """Coming meetings the user is registered or waiting for, the soonest first."""
    now = now or timezone.now()
    return list(
        Registration.objects.filter(
            user=user, status__in=(Status.REGISTERED, Status.WAITING), event__ends_at__gte=now
        )
        .select_related("event")
        .order_by("event__starts_at", "pk")[:limit]
    )


def organised_events(user) -> QuerySet[EventPage]:
    """The meetings the user organises, with their counts, the latest first."""
    return (
        EventPage.objects.filter(organisers=user)
        .annotate(
            registered_count=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
            waiting_count=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
        )
        .order_by("-starts_at", "-pk")
    )


def attendance_list(event: EventPage) -> list[Registration]:
    """Everyone who registered: seats first, then the waiting list in order, then those who
    withdrew; each with her organisations (two more queries, whatever the number)."""
    order = {Status.REGISTERED: 0, Status.WAITING: 1, Status.CANCELLED: 2}
    rows = list(
        Registration.objects.filter(event=event)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__memberships", queryset=Membership.objects.select_related("organisation").order_by("pk")
            )
        )
    )
    rows.sort(key=lambda r: (order[r.status], r.queued_at or r.registered_at, r.pk))
    return rows
