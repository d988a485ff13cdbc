"""Reads of conferences: who is on duty, a user's dashboard, a conference, the list for quality.

Every list is a fixed number of queries whatever its length
(tests/conferences/test_query_counts.py holds it to that).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Organisation, Specialty
from portal.accounts.roles import Role
from portal.accounts.selectors import memberships_for_user

from .models import Conference, ConferenceNote, DutyPeriod, PatientOverview

_CONFERENCE_RELATED = (
    "practice",
    "department__parent",
    "specialty",
    "requester",
    "gp",
    "specialist",
    "duty_period",
)


ON_DUTY_LIMIT = 50  # more specialists on duty at once for one specialty and area is not a roster


def on_duty(
    *, specialty: Specialty, area: HealthCouncilArea, at: datetime | None = None
) -> QuerySet[DutyPeriod]:
    """The duty periods running at ``at`` for ``specialty`` in ``area``, longest-running first.

    One range scan of the (specialty, area, starts_at) index, filtered by the end.
    """
    at = at or timezone.now()
    # The periods first, bounded, then their people: PostgreSQL cannot know that
    # "starts before and ends after now" matches a handful of years of rows, and, joining
    # the people in the same step, hashed the whole user table (25 ms at 10,000
    # specialists; bench/conferences.py). A bounded id list makes it look them up by key.
    running = (
        DutyPeriod.objects.filter(
            specialty=specialty, health_council_area=area, starts_at__lte=at, ends_at__gt=at
        )
        .order_by("starts_at", "pk")
        .values("pk")[:ON_DUTY_LIMIT]
    )
    return (
        DutyPeriod.objects.filter(pk__in=running)
        .select_related("specialist", "department__parent")
        .order_by("starts_at", "pk")
    )


def next_on_duty(
    *, specialty: Specialty, area: HealthCouncilArea, at: datetime | None = None
) -> DutyPeriod | None:
    """The first duty period that starts after ``at``."""
    at = at or timezone.now()
    return (
        DutyPeriod.objects.filter(specialty=specialty, health_council_area=area, starts_at__gt=at)
        .select_related("specialist", "department__parent")
        .order_by("starts_at", "pk")
        .first()
    )


def gp_practices(user) -> list[Organisation]:
    """The practices the user is a GP in, each once."""
    seen, result = set(), []
    for membership in memberships_for_user(user):
        if membership.role == Role.GP and membership.organisation_id not in seen:
            seen.add(membership.organisation_id)
            result.append(membership.organisation)
    return result


def specialist_departments(user) -> list[Organisation]:
    """The departments the user is a hospital specialist in, each once."""
    seen, result = set(), []
    for membership in memberships_for_user(user):
        if membership.role == Role.HOSPITAL_SPECIALIST and membership.organisation_id not in seen:
            seen.add(membership.organisation_id)
            result.append(membership.organisation)
    return result


def conference_for_view() -> QuerySet[Conference]:
    """The queryset a conference page fetches from: one query with its people and organisations."""
    return Conference.objects.select_related(*_CONFERENCE_RELATED, "health_council_area", "patient")


@dataclass
class ConferencePage:
    events: list
    notes: dict  # kind → ConferenceNote


def conference_page(conference: Conference) -> ConferencePage:
    events = list(conference.events.select_related("specialist"))
    notes = {note.kind: note for note in conference.notes.all()}
    return ConferencePage(events=events, notes=notes)


def overview_for_view(*, conference: Conference) -> PatientOverview | None:
    """The overview, only while the conference is open: status and rows read in one query,
    so a view racing the close sees either the open conference with its overview or nothing."""
    return (
        PatientOverview.objects.filter(conference=conference, conference__status=Conference.Status.OPEN)
        .select_related("conference")
        .prefetch_related("diagnoses")
        .first()
    )


def _with_note_flags(queryset: QuerySet[Conference]) -> QuerySet[Conference]:
    notes = ConferenceNote.objects.filter(conference=OuterRef("pk"))
    return queryset.annotate(
        has_note=Exists(notes.filter(kind=ConferenceNote.Kind.SPECIALIST_NOTE)),
        has_resume=Exists(notes.filter(kind=ConferenceNote.Kind.GP_RESUME)),
    )


@dataclass
class Dashboard:
    waiting_for_me: list[Conference]  # requests I can accept
    sent: list[Conference]  # my requests nobody has accepted yet
    open: list[Conference]
    tasks: list[Conference]  # closed, my note or résumé missing


DASHBOARD_LIMIT = 50
_DASHBOARD_RELATED = ("practice", "department__parent", "gp", "specialist")


def dashboard(user) -> Dashboard:
    """A user's conferences, four lists of four queries whatever their length."""
    if not user.is_authenticated:
        return Dashboard([], [], [], [])
    practice_ids = [p.pk for p in gp_practices(user)]
    # Only what the list shows: fewer joins and no note flags keep each query cheap to build
    # and run (bench/conferences.py: a GP with 120 conferences among 200,000).
    base = Conference.objects.select_related(*_DASHBOARD_RELATED)
    waiting = Q(status=Conference.Status.REQUESTED) & (
        Q(initiated_by=Conference.Initiator.PRACTICE, specialist=user)
        | Q(initiated_by=Conference.Initiator.HOSPITAL, gp__isnull=True, practice_id__in=practice_ids)
    )
    mine = Q(gp=user) | Q(specialist=user)
    notes = ConferenceNote.objects.filter(conference=OuterRef("pk"))
    tasks = Q(status=Conference.Status.CLOSED) & (
        (Q(specialist=user) & ~Exists(notes.filter(kind=ConferenceNote.Kind.SPECIALIST_NOTE)))
        | (Q(gp=user) & ~Exists(notes.filter(kind=ConferenceNote.Kind.GP_RESUME)))
    )
    return Dashboard(
        waiting_for_me=list(base.filter(waiting).order_by("requested_at", "pk")[:DASHBOARD_LIMIT]),
        sent=list(
            base.filter(status=Conference.Status.REQUESTED, requester=user).order_by("-requested_at", "-pk")[
                :DASHBOARD_LIMIT
            ]
        ),
        open=list(
            base.filter(mine, status=Conference.Status.OPEN).order_by("-accepted_at", "-pk")[:DASHBOARD_LIMIT]
        ),
        tasks=list(base.filter(tasks).order_by("closed_at", "pk")[:DASHBOARD_LIMIT]),
    )


def due_for_escalation(*, now: datetime) -> QuerySet[Conference]:
    """Requests from practices that nobody accepted in time."""
    return Conference.objects.filter(
        status=Conference.Status.REQUESTED,
        initiated_by=Conference.Initiator.PRACTICE,
        escalate_at__lte=now,
    ).order_by("escalate_at", "pk")


def conference_list(*, since: datetime, until: datetime | None = None) -> QuerySet[Conference]:
    """Conferences requested in a window, with whether each note exists: for the quality view.

    Never the overview: its data are for treatment only and no report pools them.
    """
    until = until or timezone.now()
    return (
        _with_note_flags(Conference.objects.select_related("practice", "department__parent", "specialty"))
        .filter(requested_at__gte=since, requested_at__lt=until)
        .order_by("-requested_at", "-pk")
    )
