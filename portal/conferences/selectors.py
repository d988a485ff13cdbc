"""Reads of conferences: who is on duty, a user's dashboard, a conference, the quality figures.

Every list is a fixed number of queries whatever its length
(tests/conferences/test_query_counts.py holds it to that).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Organisation, Specialty
from portal.accounts.roles import Role
from portal.accounts.selectors import memberships_for_user
from portal.core.deadlines import reply_time_stats

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


@dataclass
class NoteQualityRow:
    """One department's or practice's figures: counts, and time to note and to résumé."""

    organisation: Organisation
    closed: int = 0
    notes_missing: int = 0
    resumes_missing: int = 0
    note_times: list[timedelta] = field(default_factory=list, repr=False)
    resume_times: list[timedelta] = field(default_factory=list, repr=False)

    @property
    def note_stats(self) -> dict:
        return reply_time_stats(self.note_times)

    @property
    def resume_stats(self) -> dict:
        return reply_time_stats(self.resume_times)


def _time_to_note(written_at: datetime, accepted_at: datetime, closed_at: datetime) -> timedelta:
    # A note may be written while the conference is still open: then it counts from the accept,
    # so that writing during the call is never a negative time.
    start = closed_at if written_at >= closed_at else accepted_at
    return max(written_at - start, timedelta(0))


def conference_note_quality(*, since: datetime, until: datetime | None = None) -> list[NoteQualityRow]:
    """Per department and per practice: closed conferences, notes and résumés missing, time to each.

    Over the closed conferences of ``conference_list`` (requested in the window). Three queries
    whatever the number of conferences: the counts grouped in SQL, the note times, the
    organisations. Reads no topic, patient or overview: organisations and times only.
    """
    closed = conference_list(since=since, until=until).filter(status=Conference.Status.CLOSED)
    counts = (
        closed.order_by()
        .values("department_id", "practice_id")
        .annotate(
            closed=Count("pk"),
            notes_missing=Count("pk", filter=Q(has_note=False)),
            resumes_missing=Count("pk", filter=Q(has_resume=False)),
        )
    )
    rows: dict[int, NoteQualityRow] = {}
    by_organisation: dict[int, dict] = defaultdict(
        lambda: {"closed": 0, "notes_missing": 0, "resumes_missing": 0}
    )
    for group in counts:
        for organisation_id in (group["department_id"], group["practice_id"]):
            for key in ("closed", "notes_missing", "resumes_missing"):
                by_organisation[organisation_id][key] += group[key]
    times = ConferenceNote.objects.filter(conference__in=closed.values("pk")).values_list(
        "kind",
        "written_at",
        "conference__accepted_at",
        "conference__closed_at",
        "conference__department_id",
        "conference__practice_id",
    )
    note_times: dict[int, list[timedelta]] = defaultdict(list)
    resume_times: dict[int, list[timedelta]] = defaultdict(list)
    for kind, written_at, accepted_at, closed_at, department_id, practice_id in times.iterator(
        chunk_size=5000
    ):
        target = note_times if kind == ConferenceNote.Kind.SPECIALIST_NOTE else resume_times
        duration = _time_to_note(written_at, accepted_at, closed_at)
        target[department_id].append(duration)
        target[practice_id].append(duration)
    for organisation in Organisation.objects.filter(pk__in=by_organisation).select_related("parent"):
        rows[organisation.pk] = NoteQualityRow(
            organisation=organisation,
            note_times=note_times[organisation.pk],
            resume_times=resume_times[organisation.pk],
            **by_organisation[organisation.pk],
        )
    return sorted(rows.values(), key=lambda row: (row.organisation.kind, str(row.organisation)))
