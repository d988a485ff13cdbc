"""Writes of the booking core: resources, publishing slots, holds, bookings, cancelling, rebooking.

Every write that takes or frees a seat locks the slot row first (``_slot_locked``), so that
counting the free seats and taking one is a single step for concurrent bookers; the seat
constraints on the tables are the second line (see models). Services raise
``PermissionDenied`` when the rules say no (views answer 404) and ``ValidationError`` in
Danish when the request breaks a booking rule (views answer 400).
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts import services as accounts_services
from portal.accounts.models import CalendarFeedToken, Organisation, User
from portal.core.deadlines import MONDAY_TO_FRIDAY, is_working_day

from .models import (
    NAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SLOT_MAX_CAPACITY,
    SLOT_MAX_MINUTES,
    Booking,
    Hold,
    Resource,
    Slot,
)

# How far ahead a slot may be published, and how large one series may be: a typo in a year
# must not publish a decade of slots.
PUBLISH_MAX_AHEAD = timedelta(days=2 * 365)
SERIES_MAX_DAYS = 186
SERIES_MAX_SLOTS = 3000
SLOT_MIN_MINUTES = 5


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require(user: User, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


# --- Resources and slots -----------------------------------------------------------------------


@transaction.atomic
def resource_create(
    *, actor: User, organisation: Organisation, kind: str, name: str, location: str = ""
) -> Resource:
    resource = Resource(
        organisation=organisation, kind=kind, name=(name or "").strip(), location=(location or "").strip()
    )
    _require(actor, "bookings.manage_resource", resource)
    if kind not in Resource.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of bookable time.")})
    if not resource.name or len(resource.name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("Give the resource a name of at most 200 characters.")})
    if len(resource.location) > NAME_MAX_LENGTH:
        raise ValidationError({"location": _("The place may be at most 200 characters.")})
    if Resource.objects.filter(organisation=organisation, kind=kind, name=resource.name).exists():
        raise ValidationError({"name": _("The organisation already has a resource with that name.")})
    resource.full_clean(exclude=["public_id"])
    resource.save()
    return resource


def _slot_checked(
    *, resource: Resource, starts_at: datetime, ends_at: datetime, capacity: int, now: datetime
) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("slot times must be aware")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The slot must end after it starts.")})
    if ends_at - starts_at > timedelta(minutes=SLOT_MAX_MINUTES):
        raise ValidationError({"ends_at": _("A slot may be at most 12 hours long.")})
    if starts_at <= now:
        raise ValidationError({"starts_at": _("A slot is published ahead: the start has passed.")})
    if starts_at > now + PUBLISH_MAX_AHEAD:
        raise ValidationError({"starts_at": _("A slot may be published at most two years ahead.")})
    if not isinstance(capacity, int) or not 1 <= capacity <= SLOT_MAX_CAPACITY:
        raise ValidationError(
            {"capacity": _("The capacity must be between 1 and %(max)s.") % {"max": SLOT_MAX_CAPACITY}}
        )


@transaction.atomic
def slot_publish(
    *,
    actor: User,
    resource: Resource,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int = 1,
    now: datetime | None = None,
) -> Slot:
    """Publish one bookable time of ``resource``."""
    now = _now(now)
    _require(actor, "bookings.manage_resource", resource)
    _slot_checked(resource=resource, starts_at=starts_at, ends_at=ends_at, capacity=capacity, now=now)
    if Slot.objects.filter(resource=resource, starts_at=starts_at).exists():
        raise ValidationError({"starts_at": _("The resource already has a slot starting at that time.")})
    slot = Slot(
        resource=resource,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        created_by=actor,
        created_at=now,
    )
    slot.full_clean(exclude=["public_id", "resource", "created_by"], validate_constraints=False)
    slot.save()
    return slot


def _series_starts(
    *, first_day: date, last_day: date, day_start: time, day_end: time, slot_minutes: int, weekdays
) -> Iterable[tuple[datetime, datetime]]:
    length = timedelta(minutes=slot_minutes)
    day = first_day
    while day <= last_day:
        # Working days in Denmark: the weekdays asked for, minus public holidays and the days
        # clinics close (Grundlovsdag, juleaftensdag, nytårsaftensdag; see portal.core.deadlines).
        if is_working_day(day, working_weekdays=weekdays):
            starts = timezone.make_aware(datetime.combine(day, day_start))
            last = timezone.make_aware(datetime.combine(day, day_end))
            while starts + length <= last:
                yield starts, starts + length
                starts += length
        day += timedelta(days=1)


@transaction.atomic
def slot_series_publish(
    *,
    actor: User,
    resource: Resource,
    first_day: date,
    last_day: date,
    day_start: time,
    day_end: time,
    slot_minutes: int,
    capacity: int = 1,
    weekdays: Iterable[int] = MONDAY_TO_FRIDAY,
    now: datetime | None = None,
) -> list[Slot]:
    """Publish back-to-back slots of ``slot_minutes`` from ``day_start`` to ``day_end`` on every
    working day from ``first_day`` to ``last_day`` (Danish public holidays skipped).

    Idempotent: a start the resource already has, or one that has passed, is left out. Returns
    the slots made.
    """
    _require(actor, "bookings.manage_resource", resource)
    return slot_series_create(
        resource=resource,
        created_by=actor,
        first_day=first_day,
        last_day=last_day,
        day_start=day_start,
        day_end=day_end,
        slot_minutes=slot_minutes,
        capacity=capacity,
        weekdays=weekdays,
        now=now,
    )


@transaction.atomic
def slot_series_create(
    *,
    resource: Resource,
    created_by: User | None,
    first_day: date,
    last_day: date,
    day_start: time,
    day_end: time,
    slot_minutes: int,
    capacity: int = 1,
    weekdays: Iterable[int] = MONDAY_TO_FRIDAY,
    now: datetime | None = None,
) -> list[Slot]:
    """``slot_series_publish`` without the permission check, for trusted callers with no user
    behind them (demo content, an import). The same rules and limits apply."""
    now = _now(now)
    if last_day < first_day:
        raise ValidationError({"last_day": _("The last day must not be before the first.")})
    if (last_day - first_day).days >= SERIES_MAX_DAYS:
        raise ValidationError({"last_day": _("A series may span at most half a year.")})
    if day_end <= day_start:
        raise ValidationError({"day_end": _("The day must end after it starts.")})
    if not isinstance(slot_minutes, int) or not SLOT_MIN_MINUTES <= slot_minutes <= SLOT_MAX_MINUTES:
        raise ValidationError({"slot_minutes": _("A slot must be between 5 minutes and 12 hours long.")})
    weekdays = frozenset(weekdays)
    if not weekdays or not weekdays <= frozenset(range(7)):
        raise ValidationError({"weekdays": _("Choose at least one weekday.")})
    times = list(
        _series_starts(
            first_day=first_day,
            last_day=last_day,
            day_start=day_start,
            day_end=day_end,
            slot_minutes=slot_minutes,
            weekdays=weekdays,
        )
    )
    if len(times) > SERIES_MAX_SLOTS:
        raise ValidationError(
            _("The series would make %(count)s slots; at most %(max)s at a time.")
            % {"count": len(times), "max": SERIES_MAX_SLOTS}
        )
    times = [(s, e) for s, e in times if s > now]
    for starts_at, ends_at in times[:1] + times[-1:]:
        _slot_checked(resource=resource, starts_at=starts_at, ends_at=ends_at, capacity=capacity, now=now)
    existing = set(
        Slot.objects.filter(resource=resource, starts_at__in=[s for s, _e in times]).values_list(
            "starts_at", flat=True
        )
    )
    return Slot.objects.bulk_create(
        Slot(
            resource=resource,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            created_by=created_by,
            created_at=now,
        )
        for starts_at, ends_at in times
        if starts_at not in existing
    )


# --- Seats: holds and bookings -----------------------------------------------------------------


def _slot_locked(slot_id: int) -> Slot:
    """The slot, locked until the transaction ends: concurrent bookers of it queue here."""
    return Slot.objects.select_for_update(of=("self",)).select_related("resource").get(pk=slot_id)


def _seat_free(slot: Slot, *, now: datetime) -> int:
    """The lowest seat no active booking or unexpired hold has. Call with the slot locked."""
    if not slot.resource.is_active:
        raise ValidationError(_("The time can no longer be booked."))
    if slot.starts_at <= now:
        raise ValidationError(_("The time has passed. Choose another time."))
    Hold.objects.filter(slot=slot, expires_at__lte=now).delete()
    taken = set(
        Booking.objects.filter(slot=slot, status=Booking.Status.BOOKED).values_list("seat", flat=True)
    ) | set(Hold.objects.filter(slot=slot).values_list("seat", flat=True))
    for seat in range(1, slot.capacity + 1):
        if seat not in taken:
            return seat
    raise ValidationError(_("The time has just been booked by someone else. Choose another time."))


def _seat_taken(make):
    """Create the row that takes a seat; a seat constraint violation is a lost race, said in Danish."""
    try:
        with transaction.atomic():
            return make()
    except IntegrityError as error:
        raise ValidationError(
            _("The time has just been booked by someone else. Choose another time.")
        ) from error


def _hold_minutes() -> int:
    return max(int(settings.BOOKING_HOLD_MINUTES), 1)


@transaction.atomic
def hold_place(*, slot: Slot, user: User, organisation: Organisation, now: datetime | None = None) -> Hold:
    """Keep a seat on ``slot`` for ``user`` for BOOKING_HOLD_MINUTES while they fill in the form.

    Asking again for the same slot renews the user's hold instead of taking a second seat.
    """
    now = _now(now)
    _require(user, "bookings.book_for_organisation", organisation)
    slot = _slot_locked(slot.pk)
    expires_at = now + timedelta(minutes=_hold_minutes())
    mine = Hold.objects.filter(slot=slot, held_by=user, expires_at__gt=now).first()
    if mine is not None:
        mine.expires_at, mine.organisation = expires_at, organisation
        mine.save(update_fields=["expires_at", "organisation"])
        return mine
    seat = _seat_free(slot, now=now)
    return _seat_taken(
        lambda: Hold.objects.create(
            slot=slot,
            seat=seat,
            held_by=user,
            organisation=organisation,
            created_at=now,
            expires_at=expires_at,
        )
    )


@transaction.atomic
def hold_release(*, hold: Hold, user: User) -> None:
    """The booker gave up: the seat is free at once."""
    if hold.held_by_id != user.pk:
        raise PermissionDenied("not your hold")
    Hold.objects.filter(pk=hold.pk).delete()


@transaction.atomic
def hold_confirm(*, hold: Hold, user: User, now: datetime | None = None) -> Booking:
    """Turn the user's unexpired hold into a booking on the same seat."""
    now = _now(now)
    if hold.held_by_id != user.pk:
        raise PermissionDenied("not your hold")
    slot = _slot_locked(hold.slot_id)
    current = Hold.objects.filter(pk=hold.pk).first()
    if current is None or current.is_expired(now):
        raise ValidationError(_("Your reservation has expired. Choose the time again."))
    _require(user, "bookings.book_for_organisation", current.organisation)
    if slot.starts_at <= now:
        raise ValidationError(_("The time has passed. Choose another time."))
    current.delete()
    return _seat_taken(
        lambda: Booking.objects.create(
            slot=slot, seat=current.seat, booked_by=user, organisation=current.organisation, booked_at=now
        )
    )


@transaction.atomic
def booking_create(
    *, slot: Slot, user: User, organisation: Organisation, now: datetime | None = None
) -> Booking:
    """Book a seat on ``slot`` at once, without a hold (a module that books in the same request)."""
    now = _now(now)
    _require(user, "bookings.book_for_organisation", organisation)
    slot = _slot_locked(slot.pk)
    seat = _seat_free(slot, now=now)
    return _seat_taken(
        lambda: Booking.objects.create(
            slot=slot, seat=seat, booked_by=user, organisation=organisation, booked_at=now
        )
    )


def _reason_checked(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Give a reason for the cancellation.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("The reason may be at most 500 characters.")})
    return reason


def _cancel_locked(booking: Booking, *, actor: User, reason: str, now: datetime) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not booking.is_active:
        raise ValidationError(_("The booking is already cancelled."))
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at, booking.cancelled_by, booking.cancellation_reason = now, actor, reason
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancellation_reason"])
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: User, reason: str, now: datetime | None = None) -> Booking:
    """Cancel by the booker's organisation or the owning organisation; the seat is free at once."""
    now = _now(now)
    _require(actor, "bookings.cancel_booking", booking)
    reason = _reason_checked(reason, required=True)
    slot = _slot_locked(booking.slot_id)
    if slot.ends_at <= now:
        raise ValidationError(_("The time is over and can no longer be cancelled."))
    return _cancel_locked(booking, actor=actor, reason=reason, now=now)


@transaction.atomic
def booking_rebook(
    *, booking: Booking, new_slot: Slot, actor: User, reason: str = "", now: datetime | None = None
) -> Booking:
    """Move a booking to another slot of the same owner: cancel and book in one transaction, so
    the booker never ends up with neither or both. The new booking keeps the booker and points
    back with ``rebooked_from``."""
    now = _now(now)
    _require(actor, "bookings.rebook_booking", booking)
    reason = _reason_checked(reason, required=False) or _("Moved to another time.")
    if new_slot.pk == booking.slot_id:
        raise ValidationError({"slot": _("Choose a different time from the booked one.")})
    # Both slots locked, always in the same order, so two rebookings the other way cannot deadlock.
    locked = {pk: _slot_locked(pk) for pk in sorted((booking.slot_id, new_slot.pk))}
    old_slot, target = locked[booking.slot_id], locked[new_slot.pk]
    if target.resource.organisation_id != old_slot.resource.organisation_id:
        raise ValidationError({"slot": _("A booking can only be moved to a time of the same organisation.")})
    seat = _seat_free(target, now=now)
    old = _cancel_locked(booking, actor=actor, reason=reason, now=now)
    return _seat_taken(
        lambda: Booking.objects.create(
            slot=target,
            seat=seat,
            booked_by=old.booked_by,
            organisation=old.organisation,
            booked_at=now,
            rebooked_from=old,
        )
    )


def holds_expire(*, now: datetime | None = None) -> int:
    """Delete expired holds (they already count for nothing); returns how many."""
    deleted, _detail = Hold.objects.filter(expires_at__lte=_now(now)).delete()
    return deleted


# --- The calendar link -------------------------------------------------------------------------


# The link itself lives in accounts (one model for every module's calendar feed).


def calendar_token_get_or_create(*, user: User) -> CalendarFeedToken:
    return accounts_services.calendar_feed_token_get_or_create(
        user=user, feed=CalendarFeedToken.Feed.BOOKINGS
    )


def calendar_token_renew(*, user: User) -> CalendarFeedToken:
    """A new secret; every link with the old one stops working at once."""
    return accounts_services.calendar_feed_token_renew(user=user, feed=CalendarFeedToken.Feed.BOOKINGS)
