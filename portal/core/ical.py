"""iCalendar (RFC 5545) building blocks shared by the login modules, built with icalendar.

Times are written in UTC (``...Z``), which every calendar program converts to its own zone,
so no feed needs a VTIMEZONE. A UID must be stable across downloads so that a subscribed
calendar updates its events instead of duplicating them: callers pass a public id.
"""

from datetime import UTC, datetime

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def calendar_new(*, prodid: str, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    return calendar


def event_new(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    created_at: datetime | None = None,
    cancelled: bool = False,
    now: datetime | None = None,
) -> Event:
    """One VEVENT; a cancelled one keeps its UID so calendars that have it remove or strike it."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", utc(now or timezone.now()))
    if created_at is not None:
        event.add("created", utc(created_at))
    event.add("dtstart", utc(starts_at))
    event.add("dtend", utc(ends_at))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def ics_response(body: bytes, *, filename: str, secret_url: bool = False) -> HttpResponse:
    """A calendar download; a feed found by a secret token in its URL is kept out of logs and indexes."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if secret_url:
        # The URL is a secret: keep it out of other sites' logs and out of search engines.
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
