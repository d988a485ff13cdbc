"""The booking core's writes: publishing, holds, booking, cancelling, rebooking, expiry."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.bookings import selectors, services
from portal.bookings.models import Booking, Hold, Resource, Slot

from .factories import future, slot, world

pytestmark = pytest.mark.django_db


def test_a_hold_confirmed_becomes_a_booking_on_the_same_seat():
    w = world()
    s = slot(w, capacity=2)
    hold = services.hold_place(slot=s, user=w.gp, organisation=w.practice)
    assert hold.seat == 1
    assert hold.expires_at - hold.created_at == timedelta(minutes=10)
    booking = services.hold_confirm(hold=hold, user=w.gp)
    assert (booking.seat, booking.status, booking.organisation, booking.booked_by) == (
        1,
        Booking.Status.BOOKED,
        w.practice,
        w.gp,
    )
    assert not Hold.objects.exists()


def test_holding_again_renews_the_users_hold_instead_of_taking_a_second_seat():
    w = world()
    s = slot(w, capacity=3)
    first = services.hold_place(slot=s, user=w.gp, organisation=w.practice, now=timezone.now())
    again = services.hold_place(
        slot=s, user=w.gp, organisation=w.practice, now=timezone.now() + timedelta(minutes=5)
    )
    assert again.pk == first.pk and again.expires_at > first.expires_at
    assert Hold.objects.count() == 1


def test_the_hold_minutes_come_from_the_setting(settings):
    settings.BOOKING_HOLD_MINUTES = 3
    w = world()
    hold = services.hold_place(slot=slot(w), user=w.gp, organisation=w.practice)
    assert hold.expires_at - hold.created_at == timedelta(minutes=3)


def test_capacity_counts_active_bookings_and_unexpired_holds():
    w = world()
    s = slot(w, capacity=2)
    services.booking_create(slot=s, user=w.gp, organisation=w.practice)
    services.hold_place(slot=s, user=w.other_gp, organisation=w.other_practice)
    with pytest.raises(ValidationError, match="booket af en anden|booked by someone else"):
        services.booking_create(slot=s, user=w.gp_colleague, organisation=w.practice)
    assert selectors.free_slots(resource=w.resource) == []


def test_an_expired_hold_frees_its_seat_and_cannot_be_confirmed():
    w = world()
    s = slot(w)
    now = timezone.now()
    hold = services.hold_place(slot=s, user=w.gp, organisation=w.practice, now=now)
    later = now + timedelta(minutes=11)
    assert [x.pk for x in selectors.free_slots(resource=w.resource, now=later)] == [s.pk]
    booking = services.booking_create(slot=s, user=w.other_gp, organisation=w.other_practice, now=later)
    assert booking.seat == 1
    with pytest.raises(ValidationError):
        services.hold_confirm(hold=hold, user=w.gp, now=later)
    assert Booking.objects.filter(status="booked").count() == 1


def test_someone_elses_hold_cannot_be_confirmed_or_released():
    w = world()
    hold = services.hold_place(slot=slot(w), user=w.gp, organisation=w.practice)
    with pytest.raises(PermissionDenied):
        services.hold_confirm(hold=hold, user=w.gp_colleague)
    with pytest.raises(PermissionDenied):
        services.hold_release(hold=hold, user=w.gp_colleague)
    services.hold_release(hold=hold, user=w.gp)
    assert not Hold.objects.exists()


def test_a_user_books_only_for_an_organisation_they_belong_to():
    w = world()
    with pytest.raises(PermissionDenied):
        services.booking_create(slot=slot(w), user=w.gp, organisation=w.other_practice)
    assert not Booking.objects.exists()


def test_a_past_slot_or_an_inactive_resource_cannot_be_booked():
    w = world()
    s = slot(w, hours=1)
    with pytest.raises(ValidationError):
        services.booking_create(slot=s, user=w.gp, organisation=w.practice, now=s.starts_at)
    Resource.objects.filter(pk=w.resource.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        services.booking_create(slot=s, user=w.gp, organisation=w.practice)
    assert not Booking.objects.exists()


def test_cancel_by_the_booker_or_the_owner_with_a_reason_frees_the_seat():
    w = world()
    s = slot(w)
    booking = services.booking_create(slot=s, user=w.gp, organisation=w.practice)
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, actor=w.gp, reason="   ")
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, actor=w.other_gp, reason="Ikke min")
    cancelled = services.booking_cancel(booking=booking, actor=w.secretary, reason="Lægen er syg")
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancellation_reason) == (
        "cancelled",
        w.secretary,
        "Lægen er syg",
    )
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=cancelled, actor=w.gp, reason="Igen")
    again = services.booking_create(slot=s, user=w.gp_colleague, organisation=w.practice)
    assert again.seat == 1


def test_rebooking_moves_the_booking_atomically_and_keeps_the_link():
    w = world()
    first, second = slot(w, hours=24), slot(w, hours=48)
    booking = services.booking_create(slot=first, user=w.gp, organisation=w.practice)
    moved = services.booking_rebook(booking=booking, new_slot=second, actor=w.specialist, reason="Flyttet")
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancellation_reason == "Flyttet"
    assert (moved.slot, moved.rebooked_from, moved.booked_by, moved.organisation) == (
        second,
        booking,
        w.gp,
        w.practice,
    )
    assert booking.rebooked_as == moved


def test_a_failed_rebooking_leaves_the_old_booking_in_place():
    w = world()
    first, full = slot(w, hours=24), slot(w, hours=48)
    services.booking_create(slot=full, user=w.other_gp, organisation=w.other_practice)
    booking = services.booking_create(slot=first, user=w.gp, organisation=w.practice)
    with pytest.raises(ValidationError):
        services.booking_rebook(booking=booking, new_slot=full, actor=w.gp)
    booking.refresh_from_db()
    assert booking.status == "booked"
    other_owner = services.resource_create(
        actor=w.other_specialist, organisation=w.other_department, kind="investigation", name="Holter"
    )
    elsewhere = slot_of(w, other_owner)
    with pytest.raises(ValidationError):
        services.booking_rebook(booking=booking, new_slot=elsewhere, actor=w.gp)
    booking.refresh_from_db()
    assert booking.status == "booked" and Booking.objects.count() == 2


def slot_of(w, resource):
    starts = future(30)
    return services.slot_publish(
        actor=w.other_specialist, resource=resource, starts_at=starts, ends_at=starts + timedelta(minutes=30)
    )


def test_the_database_refuses_two_active_bookings_on_one_seat():
    w = world()
    s = slot(w)
    Booking.objects.create(slot=s, seat=1, booked_by=w.gp, organisation=w.practice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=s, seat=1, booked_by=w.other_gp, organisation=w.other_practice)
    # A cancelled booking does not hold its seat.
    Booking.objects.filter(slot=s).update(status="cancelled", cancelled_at=timezone.now())
    Booking.objects.create(slot=s, seat=1, booked_by=w.other_gp, organisation=w.other_practice)


def test_the_database_refuses_a_slot_that_ends_before_it_starts_or_has_no_capacity():
    w = world()
    starts = future()
    for ends, capacity in ((starts - timedelta(minutes=1), 1), (starts + timedelta(minutes=5), 0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Slot.objects.create(resource=w.resource, starts_at=starts, ends_at=ends, capacity=capacity)


def test_publishing_checks_the_owner_and_the_times():
    w = world()
    starts = future()
    with pytest.raises(PermissionDenied):
        services.slot_publish(
            actor=w.gp, resource=w.resource, starts_at=starts, ends_at=starts + timedelta(minutes=30)
        )
    bad = [
        dict(starts_at=starts, ends_at=starts - timedelta(minutes=5)),
        dict(starts_at=starts, ends_at=starts + timedelta(minutes=30), capacity=0),
        dict(starts_at=starts, ends_at=starts + timedelta(minutes=30), capacity=10**9),
        dict(starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()),
        dict(starts_at=starts, ends_at=starts + timedelta(hours=13)),
    ]
    for fields in bad:
        with pytest.raises(ValidationError):
            services.slot_publish(actor=w.specialist, resource=w.resource, **fields)
    assert not Slot.objects.exists()


def test_a_series_skips_weekends_and_danish_public_holidays_and_is_idempotent():
    w = world()
    # 2027: Skærtorsdag 25 March, Langfredag 26 March, 2. påskedag 29 March.
    args = dict(
        actor=w.secretary,
        resource=w.resource,
        first_day=date(2027, 3, 22),
        last_day=date(2027, 4, 2),
        day_start=time(8, 0),
        day_end=time(10, 0),
        slot_minutes=30,
        now=timezone.make_aware(timezone.datetime(2027, 3, 1, 12, 0)),
    )
    made = services.slot_series_publish(**args)
    days = sorted({timezone.localtime(s.starts_at).date() for s in made})
    assert days == [
        date(2027, 3, 22),
        date(2027, 3, 23),
        date(2027, 3, 24),
        date(2027, 3, 30),
        date(2027, 3, 31),
        date(2027, 4, 1),
        date(2027, 4, 2),
    ]
    assert len(made) == 7 * 4
    assert {timezone.localtime(s.starts_at).time() for s in made} == {
        time(8, 0),
        time(8, 30),
        time(9, 0),
        time(9, 30),
    }
    assert services.slot_series_publish(**args) == []
    assert Slot.objects.count() == 28


def test_a_series_refuses_a_backwards_or_oversized_range():
    w = world()
    base = dict(actor=w.specialist, resource=w.resource, day_start=time(8), day_end=time(9), slot_minutes=30)
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.slot_series_publish(first_day=today, last_day=today - timedelta(days=1), **base)
    with pytest.raises(ValidationError):
        services.slot_series_publish(first_day=today, last_day=today + timedelta(days=400), **base)
    with pytest.raises(ValidationError):
        services.slot_series_publish(
            first_day=today,
            last_day=today + timedelta(days=180),
            **{**base, "slot_minutes": 5, "day_end": time(23)},
        )
    assert not Slot.objects.exists()


def test_the_expire_command_deletes_only_expired_holds():
    w = world()
    now = timezone.now()
    services.hold_place(slot=slot(w), user=w.gp, organisation=w.practice, now=now - timedelta(hours=1))
    kept = services.hold_place(slot=slot(w, hours=30), user=w.gp, organisation=w.practice, now=now)
    call_command("bookings_expire_holds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Hold.objects.all()) == [kept]
