"""The drop-in hours of a specialty and area as an iCalendar feed (RFC 5545), built with icalendar.

Times are written in UTC (``...Z``), which every calendar program converts to its own zone,
so the feed needs no VTIMEZONE. UIDs are the drop-in hour's public id: stable across
downloads, so a calendar that subscribes updates its events instead of duplicating them.
No patient data exists in a drop-in hour; the video link is in the event (LOCATION, URL is
the session page in Samspil).
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal.accounts.models import HealthCouncilArea, Specialty

from .models import DropInHour

PRODID = "-//Samspil//Drop-in hours//DA"
UID_DOMAIN = "drop-in.samspil.dk"


def drop_in_uid(drop_in: DropInHour) -> str:
    return f"{drop_in.public_id}@{UID_DOMAIN}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def drop_in_feed_ics(
    drop_ins: Iterable[DropInHour],
    *,
    specialty: Specialty,
    area: HealthCouncilArea,
    page_url: Callable[[DropInHour], str],
    now: datetime | None = None,
) -> bytes:
    now = _utc(now or timezone.now())
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _("Drop-in hours: %(specialty)s, %(area)s") % {"specialty": specialty.name, "area": area.name}
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    for drop_in in drop_ins:
        event = Event()
        event.add("uid", drop_in_uid(drop_in))
        event.add("dtstamp", now)
        event.add("created", _utc(drop_in.created_at))
        event.add("dtstart", _utc(drop_in.starts_at))
        event.add("dtend", _utc(drop_in.ends_at))
        summary = _("Drop-in hour: %(specialty)s") % {"specialty": drop_in.specialty.name}
        if drop_in.title:
            summary = f"{summary} – {drop_in.title}"
        event.add("summary", summary)
        host = drop_in.host.get_full_name()
        event.add(
            "description",
            _("With %(host)s, %(department)s. Join via the video link.")
            % {"host": host, "department": drop_in.department},
        )
        event.add("location", drop_in.video_url)
        event.add("url", page_url(drop_in))
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
