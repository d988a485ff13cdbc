"""Reads of conferences: who is on duty, a user's dashboard, a conference, the quality figures.

Every list is a fixed number of queries whatever its length
(tests/conferences/test_query_counts.py holds it to that).
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Case, Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from portal.accounts.models import HealthCouncilArea, Organisation, Specialty, User
from portal.accounts.roles import Role
from portal.accounts.selectors import memberships_for_user
from portal.core.deadlines import reply_time_stats
from portal.core.sql import SecondsBetween

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


@dataclass(frozen=True, slots=True)
class DashboardEntry:
    """A conference as a dashboard list shows it: ids, words and times read as plain values.

    Not a model instance: a GP's dashboard holds a few dozen rows, each of which would be five
    instances (the conference, two organisations, two people) built and thrown away.
    """

    pk: int
    public_id: uuid.UUID
    kind: str
    initiated_by: str
    topic: str
    patient_id: int | None
    urgency: str
    mode: str
    status: str
    requester_id: int
    gp_id: int | None
    specialist_id: int | None
    practice_id: int
    requested_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    practice_name: str
    department_name: str
    department_kind: str
    hospital_name: str | None
    gp_first_name: str | None
    gp_last_name: str | None
    specialist_first_name: str | None
    specialist_last_name: str | None
    # Tasks only: which of the two notes exist (a task stays on both dashboards until both do).
    note_written: bool = True
    resume_written: bool = True

    def own_note_missing(self, user_pk: int) -> bool:
        """Whether the missing note is this user's to write (what the badge counts)."""
        return (self.specialist_id == user_pk and not self.note_written) or (
            self.gp_id == user_pk and not self.resume_written
        )

    @property
    def department(self) -> str:
        # As Organisation.__str__: a department with its hospital.
        if self.department_kind == Organisation.Kind.DEPARTMENT and self.hospital_name:
            return f"{self.department_name}, {self.hospital_name}"
        return self.department_name

    @property
    def gp_name(self) -> str:
        return f"{self.gp_first_name or ''} {self.gp_last_name or ''}".strip()

    @property
    def specialist_name(self) -> str:
        return f"{self.specialist_first_name or ''} {self.specialist_last_name or ''}".strip()


# The conference's own columns a list reads, in DashboardEntry's order; the names of the
# organisations and people come after them from two small queries (``_entries``).
_OWN_COLUMNS = (
    "pk",
    "public_id",
    "kind",
    "initiated_by",
    "topic",
    "patient_id",
    "urgency",
    "mode",
    "status",
    "requester_id",
    "gp_id",
    "specialist_id",
    "practice_id",
    "requested_at",
    "accepted_at",
    "closed_at",
    "department_id",
)
_GP, _SPECIALIST, _PRACTICE, _DEPARTMENT = (
    _OWN_COLUMNS.index(c) for c in ("gp_id", "specialist_id", "practice_id", "department_id")
)


@dataclass
class Dashboard:
    waiting_for_me: list[DashboardEntry]  # requests I can accept
    sent: list[DashboardEntry]  # my requests nobody has accepted yet
    open: list[DashboardEntry]
    tasks: list[DashboardEntry]  # closed, my note or résumé missing: one page, the oldest first
    task_page: int = 1
    more_tasks: bool = False  # a later page of tasks exists


DASHBOARD_LIMIT = 50  # rows per list of open work
# Requested and open conferences read at most: requests come first (see ``dashboard``), and an
# unaccepted request passes to the next on duty within minutes, so they are few.
ACTIVE_LIMIT = 3 * DASHBOARD_LIMIT
TASKS_PER_PAGE = 20


def _entries(*row_lists: list[tuple]) -> list[list[DashboardEntry]]:
    """Rows of ``_OWN_COLUMNS`` (and the note flags of tasks) made entries, with the names of
    their organisations and people read in two queries for all lists together.

    Not joined into the conference queries: PostgreSQL spent more time planning the six-table
    join (2-3 ms a query) than running it, and Django as long compiling it.
    """
    rows = [row for row_list in row_lists for row in row_list]
    organisations = {
        pk: (name, kind, parent)
        for pk, name, kind, parent in Organisation.objects.filter(
            pk__in={row[_PRACTICE] for row in rows} | {row[_DEPARTMENT] for row in rows}
        ).values_list("pk", "name", "kind", "parent__name")
    }
    people_ids = {row[_GP] for row in rows} | {row[_SPECIALIST] for row in rows}
    people_ids.discard(None)
    people = (
        {
            pk: (first, last)
            for pk, first, last in User.objects.filter(pk__in=people_ids).values_list(
                "pk", "first_name", "last_name"
            )
        }
        if people_ids
        else {}
    )
    nobody = (None, None)

    def entry(row: tuple) -> DashboardEntry:
        department = organisations[row[_DEPARTMENT]]
        return DashboardEntry(
            *row[:_DEPARTMENT],
            organisations[row[_PRACTICE]][0],
            *department,
            *people.get(row[_GP], nobody),
            *people.get(row[_SPECIALIST], nobody),
            *row[_DEPARTMENT + 1 :],
        )

    return [[entry(row) for row in row_list] for row_list in row_lists]


def dashboard(user, *, task_page: int = 1) -> Dashboard:
    """A user's open work in four queries whatever its size: the requested and open conferences
    in one, sorted into three lists here, one page of tasks (notes missing) in the other, and
    the names of their organisations and people in two more (see ``_entries``).

    Closed conferences whose notes are written are not on the dashboard at all; a closed
    conference stays a task on both participants' dashboards until both the specialist's note
    and the GP's résumé exist (issue 11), each row saying whose note is missing.
    """
    if not user.is_authenticated:
        return Dashboard([], [], [], [])
    practice_ids = {p.pk for p in gp_practices(user)}
    Status, Initiator = Conference.Status, Conference.Initiator
    involved = Q(gp=user) | Q(specialist=user) | Q(requester=user)
    if practice_ids:
        # A hospital's request to the practice that no GP has taken yet.
        involved |= Q(initiated_by=Initiator.HOSPITAL, gp__isnull=True, practice_id__in=practice_ids)
    # "-status": 'requested' sorts after 'open', so requests come first and are never the ones
    # the limit cuts off.
    active_rows = list(
        Conference.objects.filter(involved, status__in=(Status.REQUESTED, Status.OPEN))
        .order_by("-status", "-requested_at", "-pk")
        .values_list(*_OWN_COLUMNS)[:ACTIVE_LIMIT]
    )
    task_page = max(task_page, 1)
    start = (task_page - 1) * TASKS_PER_PAGE
    # One row past the page tells whether there is a next one, without counting them all.
    task_rows = list(
        _with_note_flags(Conference.objects)
        .filter(
            Q(specialist=user) | Q(gp=user),
            Q(has_note=False) | Q(has_resume=False),
            status=Status.CLOSED,
        )
        .order_by("closed_at", "pk")
        .values_list(*_OWN_COLUMNS, "has_note", "has_resume")[start : start + TASKS_PER_PAGE + 1]
    )
    active, page = _entries(active_rows, task_rows)

    def waiting_for(c: DashboardEntry) -> bool:
        if c.initiated_by == Initiator.PRACTICE:
            return c.specialist_id == user.pk
        return c.gp_id is None and c.practice_id in practice_ids

    requested = [c for c in active if c.status == Status.REQUESTED]
    waiting = sorted((c for c in requested if waiting_for(c)), key=lambda c: (c.requested_at, c.pk))
    sent = [c for c in requested if c.requester_id == user.pk]  # newest first, as read
    open_ = sorted(
        (c for c in active if c.status == Status.OPEN and user.pk in (c.gp_id, c.specialist_id)),
        key=lambda c: (c.accepted_at, c.pk),
        reverse=True,
    )
    return Dashboard(
        waiting_for_me=waiting[:DASHBOARD_LIMIT],
        sent=sent[:DASHBOARD_LIMIT],
        open=open_[:DASHBOARD_LIMIT],
        tasks=page[:TASKS_PER_PAGE],
        task_page=task_page,
        more_tasks=len(page) > TASKS_PER_PAGE,
    )


def waiting_count(user) -> int:
    """What waits for this user's action on the dashboard, counted for the header badge: requests
    to accept and closed conferences whose note is the user's to write. One count, no joins: the
    badge is fetched after every page load, and reading the dashboard's rows for it cost more
    than the page it decorated.
    """
    if not user.is_authenticated:
        return 0
    Status, Initiator, Kind = Conference.Status, Conference.Initiator, ConferenceNote.Kind
    waiting = Q(status=Status.REQUESTED, initiated_by=Initiator.PRACTICE, specialist=user)
    practice_ids = [p.pk for p in gp_practices(user)]
    if practice_ids:
        waiting |= Q(
            status=Status.REQUESTED,
            initiated_by=Initiator.HOSPITAL,
            gp__isnull=True,
            practice_id__in=practice_ids,
        )
    notes = ConferenceNote.objects.filter(conference=OuterRef("pk"))
    own_note_missing = Q(status=Status.CLOSED) & (
        (Q(specialist=user) & ~Exists(notes.filter(kind=Kind.SPECIALIST_NOTE)))
        | (Q(gp=user) & ~Exists(notes.filter(kind=Kind.GP_RESUME)))
    )
    return Conference.objects.filter(waiting | own_note_missing).count()


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


def time_to_note_seconds(note_at: str) -> Case:
    """``_time_to_note`` in seconds as an SQL expression over a conference, for figures pooled in
    the database (portal.quality); ``note_at`` names the note's time, NULL when there is none.
    The same rule as the function above, kept beside it."""
    return Case(
        When(**{f"{note_at}__isnull": True}, then=Value(None)),
        When(
            **{f"{note_at}__gte": F("closed_at")},
            then=Greatest(SecondsBetween(note_at, "closed_at"), Value(0.0)),
        ),
        default=Greatest(SecondsBetween(note_at, "accepted_at"), Value(0.0)),
        output_field=FloatField(),
    )


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


@dataclass(frozen=True)
class FaqSource:
    """What an FAQ proposal starts from: the question, the answer, and the names to take out."""

    question: str
    answer: str
    names: list[str]


def conference_faq_source(conference: Conference) -> FaqSource:
    """The topic and the template's answers as the question, the specialist's note as the answer,
    and the names of everyone in the conference or its history. Two queries."""
    from .questions import questions_for

    answers = [
        f"{question}: {conference.template_answers.get(key, '')}"
        for key, question in questions_for(conference.kind)
        if conference.template_answers.get(key)
    ]
    notes = list(conference.notes.select_related("author"))
    note = next((n for n in notes if n.kind == ConferenceNote.Kind.SPECIALIST_NOTE), None)
    names = [n.author_name for n in notes] + [n.author.get_full_name() for n in notes]
    for event in conference.events.select_related("specialist"):
        names += [event.actor_name, event.specialist.get_full_name() if event.specialist_id else ""]
    for user in (conference.requester, conference.gp, conference.specialist):
        if user is not None:
            names.append(user.get_full_name())
    return FaqSource(
        question="\n".join([conference.topic, *answers]),
        answer=note.text if note else "",
        names=sorted({n for n in names if n}),
    )
