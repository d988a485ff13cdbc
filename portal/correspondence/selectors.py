"""Reads of correspondence: who belongs where, the inboxes, a thread, the quality figures.

Every list is built from a fixed number of queries whatever the number of threads
or messages (tests/correspondence/test_query_counts.py holds it to that).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from portal.accounts.models import Membership, Organisation

from .deadlines import DEFAULT_WORKING_DAYS, reply_time_stats
from .models import Attachment, InboxSettings, Message, Participant, ReadMark, Side, SpecialtyDeadline, Thread
from .roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES


def user_memberships(user) -> list[Membership]:
    """The user's memberships, each with ``shares_inbox``; cached on the user object for the request."""
    cached = getattr(user, "_correspondence_memberships", None)
    if cached is None:
        shares = InboxSettings.objects.filter(organisation=OuterRef("organisation_id")).values(
            "shared_with_members"
        )
        cached = list(
            Membership.objects.filter(user=user)
            .select_related("organisation")
            .annotate(inbox_shared=Subquery(shares[:1]))
        )
        for membership in cached:
            # No settings row: the default, shared.
            membership.shares_inbox = membership.inbox_shared is not False
        user._correspondence_memberships = cached
    return cached


def _seeing_organisation_ids(user) -> list[int]:
    return sorted(
        {m.organisation_id for m in user_memberships(user) if m.shares_inbox or m.role in DISTRIBUTOR_ROLES}
    )


def user_clinician_organisations(user) -> list[Organisation]:
    """The practices and departments the user may write from."""
    seen, result = set(), []
    for membership in user_memberships(user):
        if membership.role in CLINICIAN_ROLES and membership.organisation_id not in seen:
            seen.add(membership.organisation_id)
            result.append(membership.organisation)
    return result


def threads_visible_to(user) -> QuerySet[Thread]:
    """Every thread ``user`` may see: as a participant, or through a sharing organisation.

    The three ways in are one UNION of thread ids, not three ORed conditions: an OR with
    a subquery in it cannot use the indexes, and PostgreSQL then read all threads (26 ms
    at 100,000) where the union reads only the user's.
    """
    if not user.is_authenticated:
        return Thread.objects.none()
    visible = Participant.objects.filter(user=user).values("thread_id")
    organisations = _seeing_organisation_ids(user)
    if organisations:
        visible = visible.union(
            Thread.objects.filter(sender_organisation_id__in=organisations).order_by().values("pk"),
            Thread.objects.filter(recipient_organisation_id__in=organisations).order_by().values("pk"),
        )
    return Thread.objects.filter(pk__in=visible)


class Box:
    """The inbox views, by their Danish URL value."""

    AWAITING_ME = "afventer-mig"
    AWAITING_THEM = "afventer-dem"
    ORGANISATION = "organisation"
    OVERDUE = "overskredet"
    CLOSED = "lukkede"
    ALL = (AWAITING_ME, AWAITING_THEM, ORGANISATION, OVERDUE, CLOSED)


@dataclass(frozen=True)
class InboxFilters:
    specialty_id: int | None = None
    category: str = ""
    patient_id: int | None = None
    text: str = ""


def _box_condition(user, box: str, now: datetime) -> Q:
    """What puts a visible thread in ``box`` for ``user``: one Q, used by the list and the counts."""
    mine_sender = Participant.objects.filter(user=user, side=Side.SENDER).values("thread_id")
    mine_recipient = Participant.objects.filter(user=user, side=Side.RECIPIENT).values("thread_id")
    my_organisations = [m.organisation_id for m in user_memberships(user)]
    open_ = Q(status=Thread.Status.OPEN)
    if box == Box.AWAITING_ME:
        return open_ & (
            Q(awaiting=Side.SENDER, pk__in=mine_sender)
            | Q(awaiting=Side.RECIPIENT, assignee=user)
            | Q(
                awaiting=Side.RECIPIENT, assignee__isnull=True, recipient_organisation_id__in=my_organisations
            )
        )
    if box == Box.AWAITING_THEM:
        return open_ & (
            Q(awaiting=Side.RECIPIENT, pk__in=mine_sender) | Q(awaiting=Side.SENDER, pk__in=mine_recipient)
        )
    if box == Box.OVERDUE:
        return open_ & Q(due_at__lt=now)
    if box == Box.CLOSED:
        return Q(status=Thread.Status.CLOSED)
    return open_


_BOX_ORDER = {
    Box.AWAITING_ME: ("due_at", "-last_message_at"),
    Box.AWAITING_THEM: ("due_at", "-last_message_at"),
    Box.OVERDUE: ("due_at",),
    Box.CLOSED: ("-closed_at",),
    Box.ORGANISATION: ("-last_message_at",),
}


def inbox(user, *, box: str, filters: InboxFilters = InboxFilters(), now: datetime | None = None):
    """The threads of one inbox view, newest activity first (deadline first where a reply is due).

    Only what selects and orders them: ``inbox_rows`` loads the page that is shown. A
    busy department's box holds thousands of threads, and the database sorts them all
    before it cuts a page; with the rows' joins and read marks in the same statement it
    made them for every thread, not the 25 shown (half of the inbox page's time).
    """
    now = now or timezone.now()
    box = box if box in Box.ALL else Box.ORGANISATION
    condition = _box_condition(user, box, now)
    threads = threads_visible_to(user).filter(condition).order_by(*_BOX_ORDER[box], "-pk")
    if filters.specialty_id:
        threads = threads.filter(
            Q(addressed_specialty_id=filters.specialty_id)
            | Q(recipient_organisation__specialty_id=filters.specialty_id)
        )
    if filters.category:
        threads = threads.filter(category=filters.category)
    if filters.patient_id:
        threads = threads.filter(patient_id=filters.patient_id)
    if filters.text:
        # Only within the user's own threads (never the public index): subject or any message.
        matching = Message.objects.filter(body__icontains=filters.text).values("thread_id")
        threads = threads.filter(Q(subject__icontains=filters.text) | Q(pk__in=matching))
    return threads


def inbox_rows(user, thread_ids) -> list[Thread]:
    """The threads ``thread_ids`` (one inbox page), in that order, with what a row shows.

    Rows carry ``last_read_by_me`` (None: never opened) for the unread marker.
    """
    thread_ids = list(thread_ids)
    rows = (
        Thread.objects.filter(pk__in=thread_ids)
        .select_related(
            "sender_organisation__parent",
            "recipient_organisation__parent",
            "assignee",
            "addressed_specialty",
        )
        .annotate(
            last_read_by_me=Subquery(
                ReadMark.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")[:1]
            )
        )
    )
    by_id = {thread.pk: thread for thread in rows}
    return [by_id[pk] for pk in thread_ids if pk in by_id]


def inbox_counts(user, *, now: datetime | None = None) -> dict[str, int]:
    """How many threads each box holds, for the tabs: one pass over the visible threads."""
    now = now or timezone.now()
    return threads_visible_to(user).aggregate(
        **{box: Count("pk", filter=_box_condition(user, box, now)) for box in Box.ALL}
    )


def thread_for_view(*, public_id) -> QuerySet[Thread]:
    """The queryset a thread page fetches from: one query for the thread and its organisations."""
    return (
        Thread.objects.select_related(
            "sender_organisation__parent",
            "recipient_organisation__parent",
            "assignee",
            "addressed_specialty",
            "addressed_area",
            "patient",
            "closed_by",
        )
        .prefetch_related("participants")
        .filter(public_id=public_id)
    )


@dataclass
class ThreadPage:
    thread: Thread
    messages: list[Message]
    events: list
    read_marks: list[ReadMark]


def thread_page(thread: Thread) -> ThreadPage:
    """Messages (with attachments and who on the other side has read each), and the history."""
    messages = list(
        thread.messages.prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    read_marks = list(thread.read_marks.select_related("user"))
    for message in messages:
        message.read_by = [
            mark for mark in read_marks if mark.side != message.side and mark.read_at >= message.created_at
        ]
    # With the organisations' hospitals: a department's name includes its hospital's.
    events = list(
        thread.events.select_related("from_organisation__parent", "to_organisation__parent", "assignee")
    )
    return ThreadPage(thread=thread, messages=messages, events=events, read_marks=read_marks)


def reply_working_days(organisation: Organisation) -> int:
    """The organisation's own deadline, else its specialty's, else 3 working days."""
    own = InboxSettings.objects.filter(
        organisation=organisation, reply_working_days__isnull=False
    ).values_list("reply_working_days", flat=True)
    for days in own:
        return days
    if organisation.specialty_id:
        for days in SpecialtyDeadline.objects.filter(specialty_id=organisation.specialty_id).values_list(
            "reply_working_days", flat=True
        ):
            return days
    return DEFAULT_WORKING_DAYS


def receiving_departments(*, specialty, area) -> QuerySet[Organisation]:
    """Departments of ``specialty`` in ``area`` (through their hospital), in name order."""
    return Organisation.objects.filter(
        Q(health_council_area=area) | Q(parent__health_council_area=area),
        kind=Organisation.Kind.DEPARTMENT,
        specialty=specialty,
    ).order_by("name", "pk")


def overdue_threads(*, now: datetime) -> QuerySet[Thread]:
    """Open threads past their reply deadline whose responsible person has not been told yet."""
    return Thread.objects.filter(
        status=Thread.Status.OPEN, due_at__lt=now, overdue_notified_at__isnull=True
    ).select_related("sender_organisation", "recipient_organisation", "assignee", "opened_by")


@dataclass(frozen=True)
class ReplyTimeRow:
    organisation: Organisation
    answered: dict  # reply times of this organisation's answers: count, median, p90
    received: dict  # reply times of the answers it received


def reply_time_quality(*, since: datetime, until: datetime | None = None) -> list[ReplyTimeRow]:
    """Median and 90th percentile reply time per department and per practice, both directions.

    "answered": how long the organisation took to answer messages sent to it;
    "received": how long others took to answer the organisation's messages.
    Two queries over the answered messages in the window, whatever its size.
    """
    until = until or timezone.now()
    answered = (
        Message.objects.filter(answered_at__gte=since, answered_at__lt=until)
        .exclude(answered_by_organisation__isnull=True)
        .values_list("organisation_id", "answered_by_organisation_id", "created_at", "answered_at")
    )
    given, got = defaultdict(list), defaultdict(list)
    for asker, answerer, created, answered_at in answered.iterator(chunk_size=5000):
        duration = max(answered_at - created, timedelta(0))
        given[answerer].append(duration)
        got[asker].append(duration)
    organisations = Organisation.objects.filter(pk__in=set(given) | set(got)).select_related("parent")
    rows = [
        ReplyTimeRow(
            organisation=organisation,
            answered=reply_time_stats(given.get(organisation.pk, ())),
            received=reply_time_stats(got.get(organisation.pk, ())),
        )
        for organisation in organisations
    ]
    rows.sort(key=lambda row: (row.organisation.kind, str(row.organisation)))
    return rows
