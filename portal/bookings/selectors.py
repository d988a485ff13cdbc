"""Reads of the booking core: free slots with their remaining seats, a booker's bookings, an
owning organisation's slots and bookings, the calendar feed.

Each is a fixed number of queries whatever the number of slots or bookings: seats are
counted in subqueries, not per row.
"""

from datetime import datetime, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.accounts.models import CalendarFeedToken, Organisation, User
from portal.accounts.selectors import calendar_feed_token_of, calendar_feed_user, memberships_for_user

from .models import Booking, Hold, Resource, Slot
from .rules import STAFF_ROLES, staff_organisation_ids

# A page of choices, not the calendar: the booker narrows by kind, owner or window for more.
FREE_SLOTS_LIMIT = 50
FEED_DAYS_BACK, FEED_DAYS_AHEAD = 30, 365
MY_BOOKINGS_LIMIT = 100


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("slot").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def slots_with_seats(queryset: QuerySet[Slot], *, now: datetime | None = None) -> QuerySet[Slot]:
    """Slots annotated with ``booked`` (active bookings), ``held`` (unexpired holds) and ``remaining``."""
    now = now or timezone.now()
    return queryset.annotate(
        booked=_count(Booking.objects.filter(slot=OuterRef("pk"), status=Booking.Status.BOOKED)),
        held=_count(Hold.objects.filter(slot=OuterRef("pk"), expires_at__gt=now)),
    ).annotate(remaining=F("capacity") - F("booked") - F("held"))


def free_slots(
    *,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    resource: Resource | None = None,
    kind: str | None = None,
    organisation: Organisation | None = None,
    now: datetime | None = None,
    limit: int = FREE_SLOTS_LIMIT,
) -> list[Slot]:
    """Bookable slots starting in the window with at least one seat left, soonest first.

    Filter by resource, kind and owning organisation (any of them); the window starts no
    earlier than now. Two queries; each slot carries ``remaining`` and its resource and owner.
    """
    now = now or timezone.now()
    start = max(starts_after or now, now)
    resources = Resource.objects.filter(is_active=True)
    if resource is not None:
        resources = resources.filter(pk=resource.pk)
    if kind:
        resources = resources.filter(kind=kind)
    if organisation is not None:
        resources = resources.filter(organisation=organisation)
    # The resources first (a small table), then their ids as a plain list on the slot's own
    # column: the planner tests that before counting seats, which is the expensive part; as a
    # join it counted the seats of every resource's slots in the window first.
    filters = Q(starts_at__gt=start, resource_id__in=list(resources.values_list("pk", flat=True)))
    if starts_before is not None:
        filters &= Q(starts_at__lt=starts_before)
    rows = slots_with_seats(Slot.objects.filter(filters), now=now).filter(remaining__gt=0)
    return list(rows.select_related("resource__organisation__parent").order_by("starts_at", "pk")[:limit])


def _bookings_related(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related(
        "slot__resource__organisation__parent", "organisation__parent", "booked_by", "cancelled_by"
    )


def bookings_for_user(
    user: User, *, now: datetime | None = None, past_days: int = 30, limit: int = MY_BOOKINGS_LIMIT
) -> list[Booking]:
    """My bookings: what the user booked, active or cancelled, from a month back; the first
    ``limit`` by time, as a secretary booking for a whole practice can have thousands. One query."""
    now = now or timezone.now()
    return list(
        _bookings_related(
            Booking.objects.filter(booked_by=user, slot__ends_at__gt=now - timedelta(days=past_days))
        ).order_by("slot__starts_at", "pk")[:limit]
    )


def bookings_for_organisation(
    organisation: Organisation,
    *,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    active_only: bool = False,
) -> QuerySet[Booking]:
    """Bookings on the resources an organisation owns, in a window: the owner's worklist."""
    filters = Q(slot__resource__organisation=organisation)
    if starts_after is not None:
        filters &= Q(slot__starts_at__gte=starts_after)
    if starts_before is not None:
        filters &= Q(slot__starts_at__lt=starts_before)
    if active_only:
        filters &= Q(status=Booking.Status.BOOKED)
    return _bookings_related(Booking.objects.filter(filters)).order_by("slot__starts_at", "pk")


def bookings_made_by_organisation(organisation: Organisation) -> QuerySet[Booking]:
    """Bookings an organisation made (the booker's side), newest time first."""
    return _bookings_related(Booking.objects.filter(organisation=organisation)).order_by(
        "-slot__starts_at", "-pk"
    )


def booking_for_view() -> QuerySet[Booking]:
    return _bookings_related(Booking.objects.all())


def hold_for_view() -> QuerySet[Hold]:
    return Hold.objects.select_related("slot__resource__organisation__parent", "organisation")


def owner_organisations(user: User) -> list[Organisation]:
    """The organisations whose resources the user manages, each once."""
    seen, result = set(), []
    for membership in memberships_for_user(user):
        if membership.role in STAFF_ROLES and membership.organisation_id not in seen:
            seen.add(membership.organisation_id)
            result.append(membership.organisation)
    return result


def booking_organisations(user: User) -> list[Organisation]:
    """The organisations the user may book for (the same staff memberships)."""
    return owner_organisations(user)


def resources_for_user(user: User) -> QuerySet[Resource]:
    """The resources of the organisations the user manages."""
    return Resource.objects.filter(organisation_id__in=staff_organisation_ids(user)).select_related(
        "organisation__parent"
    )


def resource_for_view() -> QuerySet[Resource]:
    return Resource.objects.select_related("organisation__parent")


def resource_slots(
    resource: Resource, *, starts_after: datetime, starts_before: datetime, now: datetime | None = None
) -> list[Slot]:
    """The owner's view of a resource's slots in a window, with seats counted. One query."""
    return list(
        slots_with_seats(
            Slot.objects.filter(resource=resource, starts_at__gte=starts_after, starts_at__lt=starts_before),
            now=now,
        ).order_by("starts_at", "pk")
    )


def calendar_token_user(token: str) -> User | None:
    """The active user a bookings calendar link belongs to, or None."""
    return calendar_feed_user(token=token, feed=CalendarFeedToken.Feed.BOOKINGS)


def calendar_token_of(user: User) -> CalendarFeedToken | None:
    return calendar_feed_token_of(user=user, feed=CalendarFeedToken.Feed.BOOKINGS)


def bookings_feed(user: User, *, now: datetime | None = None) -> QuerySet[Booking]:
    """The user's bookings for their calendar: a month back, a year ahead, cancelled ones too (so
    a subscribed calendar removes them)."""
    now = now or timezone.now()
    return _bookings_related(
        Booking.objects.filter(
            booked_by=user,
            slot__starts_at__gte=now - timedelta(days=FEED_DAYS_BACK),
            slot__starts_at__lt=now + timedelta(days=FEED_DAYS_AHEAD),
        )
    ).order_by("slot__starts_at", "pk")
