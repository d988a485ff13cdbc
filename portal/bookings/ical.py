"""A booking in the booked party's calendar: one .ics per booking and a personal feed.

Only what the booker needs to show up: what (the resource and its kind), where, when, and
for which organisation. Never patient data: the booking core has none, and a module that
books for a patient keeps the patient on its own row.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.ical import calendar_new, event_new, utc

from .models import Booking

PRODID = "-//Samspil//Bookings//DA"
UID_DOMAIN = "booking.samspil.dk"


def booking_uid(booking: Booking) -> str:
    return f"{booking.public_id}@{UID_DOMAIN}"


def _event(booking: Booking, *, page_url: Callable[[Booking], str], now: datetime):
    resource = booking.slot.resource
    owner = resource.organisation
    summary = f"{resource.get_kind_display()}: {resource.name}"
    description = _("At %(owner)s. Booked for %(organisation)s.") % {
        "owner": owner,
        "organisation": booking.organisation,
    }
    if not booking.is_active:
        description = _("Cancelled: %(reason)s") % {"reason": booking.cancellation_reason}
    return event_new(
        uid=booking_uid(booking),
        now=now,
        created_at=booking.booked_at,
        starts_at=booking.slot.starts_at,
        ends_at=booking.slot.ends_at,
        summary=summary,
        description=description,
        location=resource.location or str(owner),
        url=page_url(booking),
        cancelled=not booking.is_active,
    )


def bookings_ics(
    bookings: Iterable[Booking],
    *,
    name: str,
    page_url: Callable[[Booking], str],
    now: datetime | None = None,
) -> bytes:
    now = utc(now or timezone.now())
    calendar = calendar_new(prodid=PRODID, name=name)
    for booking in bookings:
        calendar.add_component(_event(booking, page_url=page_url, now=now))
    return calendar.to_ical()
