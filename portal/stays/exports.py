"""Calendars and spreadsheets of stays: an .ics of one's own stays (RFC 5545, built by
portal.core.ical), and the coordinator's CSV and XLSX of a region's stays.

Spreadsheet cells that a program would read as a formula get a leading apostrophe
(portal.core.spreadsheets): a name or a decline reason typed as ``=HYPERLINK(...)`` stays text.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.ical import calendar_new, event_new
from portal.core.spreadsheets import rows_csv, rows_xlsx

from .models import Assignment

PRODID = "-//Samspil//Focused stays//DA"
UID_DOMAIN = "ophold.samspil.dk"
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
    return rows_csv([_header(), *(_row(stay) for stay in stays)])


def stays_xlsx(stays: Iterable[Assignment], *, title: str) -> bytes:
    return rows_xlsx([_header(), *(_row(stay) for stay in stays)], title=title, freeze_header=True)


# --- The coordinator's yearly report --------------------------------------------------------


def _score(value) -> float | str:
    return round(value, 2) if value is not None else ""


def _report_rows(report) -> list[list]:
    """One sheet of two blocks: per specialty, then per practice with its capacity used."""
    rows: list[list] = [
        [_("Specialty"), _("Stays done"), _("Weeks hosted"), _("Trainees' score of the practice"),
         _("Evaluations"), _("Supervisors' score of the stay"), _("Evaluations")],
    ]  # fmt: skip
    for r in report.specialties:
        s = r.scores
        rows.append(
            [r.specialty.name, r.stays_done, r.weeks_hosted, _score(s.of_practice), s.of_practice_count,
             _score(s.of_stay), s.of_stay_count]
        )  # fmt: skip
    rows.append([])
    rows.append(
        [_("Practice"), _("Stays done"), _("Weeks hosted"), _("Weeks offered"), _("Capacity used (%)"),
         _("Trainees' score of the practice"), _("Supervisors' score of the stay")]
    )  # fmt: skip
    for p in report.practices:
        used = round(100 * p.capacity_used) if p.capacity_used is not None else ""
        rows.append(
            [p.practice_name, p.stays_done, p.weeks_hosted, p.weeks_offered, used,
             _score(p.scores.of_practice), _score(p.scores.of_stay)]
        )  # fmt: skip
    rows.append([])
    rows.append([_("Learning objective"), _("Specialty"), _("Average score"), _("Evaluations")])
    for o in report.objectives:
        rows.append([o.title, o.specialty, _score(o.average), o.count])
    return rows


def report_csv(report) -> str:
    return rows_csv(_report_rows(report))


def report_xlsx(report) -> bytes:
    return rows_xlsx(_report_rows(report), title=f"{report.region.name} {report.year}")
