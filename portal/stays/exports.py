"""Calendars and spreadsheets of stays: an .ics of one's own stays (RFC 5545, built by
portal.core.ical), and the coordinator's CSV and XLSX of a region's stays.

Spreadsheet cells that a program would read as a formula (=, +, -, @) get a leading
apostrophe: a name or a decline reason typed as ``=HYPERLINK(...)`` stays text.
"""

import csv
import io
from collections.abc import Callable, Iterable
from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal.core.ical import calendar_new, event_new

from .models import Assignment

PRODID = "-//Samspil//Focused stays//DA"
UID_DOMAIN = "ophold.samspil.dk"
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A stay day in the practice: from 8 to 16, local time, Monday to Friday.
DAY_STARTS, DAY_ENDS = time(8, 0), time(16, 0)


def _local(day, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def stays_ics(stays: Iterable[Assignment], *, name: str, page_url: Callable[[Assignment], str]) -> bytes:
    """One event per stay, from the first Monday at 8 to the last Friday at 16; a declined stay
    stays in the feed as cancelled, so a calendar that has it strikes it."""
    calendar = calendar_new(prodid=PRODID, name=name)
    for stay in stays:
        calendar.add_component(
            event_new(
                uid=f"{stay.public_id}@{UID_DOMAIN}",
                starts_at=_local(stay.starts_on, DAY_STARTS),
                ends_at=_local(stay.ends_on, DAY_ENDS),
                summary=_("Focused stay: %(trainee)s in %(practice)s")
                % {"trainee": stay.need.trainee.get_full_name(), "practice": stay.offer.practice.name},
                description=_("Supervising GP: %(supervisor)s. %(notes)s")
                % {"supervisor": stay.offer.supervisor.get_full_name(), "notes": stay.offer.notes},
                location=stay.offer.address or stay.offer.practice.name,
                url=page_url(stay),
                cancelled=stay.state == Assignment.State.DECLINED,
            )
        )
    return calendar.to_ical()


def _cell(value) -> str | int | float:
    if isinstance(value, int | float):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _header() -> list[str]:
    return [
        _("Trainee"),
        _("Specialty"),
        _("Department"),
        _("Practice"),
        _("Supervising GP"),
        _("Starts"),
        _("Ends"),
        _("Weeks"),
        _("Distance (km)"),
        _("State"),
        _("Confirmed by the practice"),
        _("Confirmed by the trainee"),
        _("Reason for declining"),
    ]


def _row(stay: Assignment) -> list:
    def when(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    return [
        stay.need.trainee.get_full_name(),
        stay.need.specialty.name,
        str(stay.need.department),
        stay.offer.practice.name,
        stay.offer.supervisor.get_full_name(),
        stay.starts_on.isoformat(),
        stay.ends_on.isoformat(),
        stay.length_weeks,
        round(stay.distance_km) if stay.distance_km is not None else "",
        stay.get_state_display(),
        when(stay.practice_confirmed_at),
        when(stay.trainee_confirmed_at),
        stay.decline_reason,
    ]


def stays_csv(stays: Iterable[Assignment]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # Danish spreadsheets read ; as the separator
    writer.writerow(_header())
    for stay in stays:
        writer.writerow([_cell(v) for v in _row(stay)])
    return "\ufeff" + out.getvalue()  # the BOM makes spreadsheets read UTF-8 (æøå)


def stays_xlsx(stays: Iterable[Assignment], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append(_header())
    for stay in stays:
        sheet.append([_cell(v) for v in _row(stay)])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
