"""The drop-in hours of a specialty and area as an iCalendar feed (RFC 5545).

Calendars and events are built by portal.core.ical (times in UTC, no VTIMEZONE). UIDs are
the drop-in hour's public id: stable across downloads, so a calendar that subscribes updates
its events instead of duplicating them.
No patient data exists in a drop-in hour; the video link is in the event (LOCATION, URL is
the session page in Samspil).
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import HealthCouncilArea, Specialty
from portal.core.ical import calendar_new, event_new, utc

from .models import DropInHour

PRODID = "-//Samspil//Drop-in hours//DA"
UID_DOMAIN = "drop-in.samspil.dk"


def drop_in_uid(drop_in: DropInHour) -> str:
    return f"{drop_in.public_id}@{UID_DOMAIN}"


def drop_in_feed_ics(
    drop_ins: Iterable[DropInHour],
    *,
    specialty: Specialty,
    area: HealthCouncilArea,
    page_url: Callable[[DropInHour], str],
    now: datetime | None = None,
) -> bytes:
    now = utc(now or timezone.now())
    name = _("Drop-in hours: %(specialty)s, %(area)s") % {"specialty": specialty.name, "area": area.name}
    calendar = calendar_new(prodid=PRODID, name=name)
    for drop_in in drop_ins:
        summary = _("Drop-in hour: %(specialty)s") % {"specialty": drop_in.specialty.name}
        if drop_in.title:
            summary = f"{summary} – {drop_in.title}"
        host = drop_in.host.get_full_name()
        calendar.add_component(
            event_new(
                uid=drop_in_uid(drop_in),
                now=now,
                created_at=drop_in.created_at,
                starts_at=drop_in.starts_at,
                ends_at=drop_in.ends_at,
                summary=summary,
                description=_("With %(host)s, %(department)s. Join via the video link.")
                % {"host": host, "department": drop_in.department},
                location=drop_in.video_url,
                url=page_url(drop_in),
            )
        )
    return calendar.to_ical()
