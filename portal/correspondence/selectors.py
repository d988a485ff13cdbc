"""Reads of correspondence: who belongs where, the inboxes, a thread, the quality figures.

Every list is built from a fixed number of queries whatever the number of threads
or messages (tests/correspondence/test_query_counts.py holds it to that).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from portal.accounts.models import Membership, Organisation
from portal.accounts.roles import DISTRIBUTOR_ROLES
from portal.accounts.selectors import memberships_for_user
from portal.core.deadlines import DEFAULT_WORKING_DAYS, reply_time_stats

from .models import (
    Attachment,
    InboxEntry,
    InboxSettings,
    Message,
    ReadMark,
    Side,
    SpecialtyDeadline,
    Thread,
    ThreadEvent,
)


def inbox_sharing(user) -> dict[int, bool]:
    """For each of the user's organisations, whether it shares its inbox with all members;
    cached on the user object for the request (rules ask for every row of an inbox)."""
    cached = getattr(user, "_correspondence_inbox_sharing", None)
    if cached is None:
        ids = {m.organisation_id for m in memberships_for_user(user)}
        restricted = set(
            InboxSettings.objects.filter(organisation_id__in=ids, shared_with_members=False).values_list(
                "organisation_id", flat=True
            )
        )
        # No settings row: the default, shared.
        cached = {organisation_id: organisation_id not in restricted for organisation_id in ids}
        user._correspondence_inbox_sharing = cached
    return cached


def sees_inbox_of(user, membership: Membership) -> bool:
    """Secretaries distribute the inbox, so they always see it; others when it is shared."""
    return membership.role in DISTRIBUTOR_ROLES or inbox_sharing(user).get(membership.organisation_id, True)


def _seeing_organisation_ids(user) -> list[int]:
    return sorted({m.organisation_id for m in memberships_for_user(user) if sees_inbox_of(user, m)})


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


def _visible_entries(user) -> Q:
    """The inbox entries through which ``user`` sees threads: the user's own (as a participant)
    and those of the organisations whose inbox the user shares or distributes."""
    visible = Q(user=user)
    organisations = _seeing_organisation_ids(user)
    if organisations:
        visible |= Q(organisation_id__in=organisations)
    return visible


def _unread_by(user) -> Exists:
    """True on an entry whose thread has news ``user`` has not seen: a message, or the closing
    (the other side's answer may be its summary). Own messages and closings move the user's own
    read mark, so only what others did counts."""
    last_activity = Greatest(
        OuterRef("last_message_at"), Coalesce(OuterRef("closed_at"), OuterRef("last_message_at"))
    )
    return ~Exists(
        ReadMark.objects.filter(thread_id=OuterRef("thread_id"), user=user, read_at__gte=last_activity)
    )


def _box_condition(user, box: str, now: datetime) -> Q:
    """What puts a thread in ``box`` for ``user``, on one of its visible inbox entries: used by
    the list and the counts. Every entry carries its thread's columns; ``user``/``side`` say
    whose way in it is, so "I take part as sender" is the user's own entry.

    "Awaiting me" is where a user looks first, so it also holds the threads the user takes part
    in with news not yet read, whatever the turn or status: an answer sent without awaiting a
    reply, or a thread the other side closed with its answer, would otherwise be only under
    "My organisation's" or "Closed", where nobody looks for an answer.
    """
    my_organisations = [m.organisation_id for m in memberships_for_user(user)]
    open_ = Q(status=Thread.Status.OPEN)
    if box == Box.AWAITING_ME:
        return (
            open_
            & (
                Q(user=user, side=Side.SENDER, awaiting=Side.SENDER)
                | Q(awaiting=Side.RECIPIENT, assignee=user)
                | Q(
                    awaiting=Side.RECIPIENT,
                    assignee__isnull=True,
                    recipient_organisation_id__in=my_organisations,
                )
            )
        ) | (Q(user=user) & _unread_by(user))
    if box == Box.AWAITING_THEM:
        return open_ & (
            Q(user=user, side=Side.SENDER, awaiting=Side.RECIPIENT)
            | Q(user=user, side=Side.RECIPIENT, awaiting=Side.SENDER)
        )
    if box == Box.OVERDUE:
        return open_ & Q(due_at__lt=now)
    if box == Box.CLOSED:
        return Q(status=Thread.Status.CLOSED)
    return open_


# Threads without a deadline after those with one, on both databases (SQLite puts NULL first).
_BOX_ORDER = {
    Box.AWAITING_ME: (F("due_at").asc(nulls_last=True), "-last_message_at"),
    Box.AWAITING_THEM: (F("due_at").asc(nulls_last=True), "-last_message_at"),
    Box.OVERDUE: ("due_at",),
    Box.CLOSED: ("-closed_at",),
    Box.ORGANISATION: ("-last_message_at",),
}


def inbox(user, *, box: str, filters: InboxFilters = InboxFilters(), now: datetime | None = None):
    """The ids of the threads of one inbox view, newest activity first (deadline first where a
    reply is due); ``inbox_rows`` loads the page that is shown.

    Read from the inbox projection (``InboxEntry``): each box is index ranges on it. A
    thread reached two ways (as participant and through the organisation) is listed once.
    """
    if not user.is_authenticated:
        return InboxEntry.objects.none().values_list("thread_id", flat=True)
    now = now or timezone.now()
    box = box if box in Box.ALL else Box.ORGANISATION
    entries = InboxEntry.objects.filter(_visible_entries(user)).filter(_box_condition(user, box, now))
    if filters.specialty_id:
        entries = entries.filter(
            Q(thread__addressed_specialty_id=filters.specialty_id)
            | Q(recipient_organisation__specialty_id=filters.specialty_id)
        )
    if filters.category:
        entries = entries.filter(thread__category=filters.category)
    if filters.patient_id:
        entries = entries.filter(thread__patient_id=filters.patient_id)
    if filters.text:
        # Only within the user's own threads (never the public index): subject or any message.
        matching = Message.objects.filter(body__icontains=filters.text).values("thread_id")
        entries = entries.filter(Q(thread__subject__icontains=filters.text) | Q(thread_id__in=matching))
    return entries.order_by(*_BOX_ORDER[box], "-thread_id").values_list("thread_id", flat=True).distinct()


def inbox_rows(user, thread_ids, *, now: datetime | None = None) -> list[Thread]:
    """The threads ``thread_ids`` (one inbox page), in that order, with what a row shows.

    Rows carry ``last_read_by_me`` (None: never opened), ``unread`` and ``overdue``.
    """
    now = now or timezone.now()
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
    ordered = [by_id[pk] for pk in thread_ids if pk in by_id]
    for thread in ordered:
        thread.overdue = thread.is_overdue(now)
        thread.unread = thread.last_read_by_me is None or thread.last_read_by_me < thread.last_activity_at
    return ordered


def inbox_counts(user, *, now: datetime | None = None) -> dict[str, int]:
    """How many threads each box holds, for the tabs: one pass over the visible threads."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return dict.fromkeys(Box.ALL, 0)
    return InboxEntry.objects.filter(_visible_entries(user)).aggregate(
        **{box: Count("thread_id", distinct=True, filter=_box_condition(user, box, now)) for box in Box.ALL}
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


def departments_without_recipient() -> QuerySet[Organisation]:
    """Departments whose inbox settings name no active responsible person: new threads to them
    reach their secretaries or clinicians only as a fallback (notifications._side_people)."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)
        .exclude(inbox_settings__responsible__is_active=True)
        .select_related("parent", "inbox_settings")
        .order_by("parent__name", "name", "pk")
    )


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


# --- For other modules (referrals): small reads that keep them out of correspondence's models.


def organisation_responsible_person(organisation_id: int):
    """The person an organisation named to be told about overdue work (InboxSettings), or None."""
    row = InboxSettings.objects.filter(organisation_id=organisation_id).select_related("responsible").first()
    return row.responsible if row and row.responsible_id and row.responsible.is_active else None


def thread_has_message_from(*, thread_id: int, organisation_id: int) -> bool:
    """Whether anyone of ``organisation_id`` has written in the thread: a dialogue took place."""
    return Message.objects.filter(thread_id=thread_id, organisation_id=organisation_id).exists()


@dataclass(frozen=True)
class FaqSource:
    """What an FAQ proposal starts from: the question, the answer, and the names to take out."""

    question: str
    answer: str
    names: list[str]


def thread_faq_source(thread: Thread) -> FaqSource:
    """The first message as the question; the other side's replies as the answer (every later
    message when the other side wrote none); the names of everyone who took part or acted.
    Three queries, and one per user on the thread that is not loaded with it."""
    messages = list(
        Message.objects.filter(thread=thread).select_related("author").order_by("created_at", "pk")
    )
    first, later = (messages[0], messages[1:]) if messages else (None, [])
    replies = [m for m in later if first is None or m.side != first.side] or later
    names = [m.author_name for m in messages] + [m.author.get_full_name() for m in messages if m.author_id]
    names += [p.user.get_full_name() for p in thread.participants.select_related("user")]
    for event in ThreadEvent.objects.filter(thread=thread).select_related("assignee"):
        names += [event.actor_name, event.assignee.get_full_name() if event.assignee_id else ""]
    for user in (thread.opened_by, thread.assignee, thread.closed_by):
        if user is not None:
            names.append(user.get_full_name())
    return FaqSource(
        question=first.body if first else thread.subject,
        answer="\n\n".join(m.body for m in replies),
        names=sorted({n for n in names if n}),
    )
