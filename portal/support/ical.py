"""A video consultation in both doctors' calendars: one .ics with the time, the video link and
the two organisations. Never the patient (a calendar leaves our control)."""

from django.utils.translation import gettext as _

from portal.core.ical import calendar_new, event_new

PRODID = "-//Samspil//Videokonsultation//DA"
UID_DOMAIN = "video.samspil.dk"


def video_ics(consultation, *, page_url: str) -> bytes:
    slot = consultation.booking.slot
    summary = _("Video consultation: %(department)s and %(practice)s") % {
        "department": consultation.department,
        "practice": consultation.practice,
    }
    description = _("Video link: %(url)s\nThe details are in Samspil: %(page)s") % {
        "url": consultation.video_url,
        "page": page_url,
    }
    calendar = calendar_new(prodid=PRODID, name=_("Video consultation"))
    calendar.add_component(
        event_new(
            uid=f"{consultation.public_id}@{UID_DOMAIN}",
            created_at=consultation.created_at,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            summary=summary,
            description=description,
            location=consultation.video_url,
            url=consultation.video_url,
            cancelled=not consultation.booking.is_active,
        )
    )
    return calendar.to_ical()
