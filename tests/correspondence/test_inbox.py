"""The inbox views, their query counts, the overdue notice and the quality figures."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.correspondence.models import Category, InboxSettings, Thread, ThreadEvent
from portal.correspondence.selectors import (
    Box,
    InboxFilters,
    inbox,
    inbox_counts,
    inbox_rows,
    reply_time_quality,
    thread_page,
)
from portal.correspondence.services import (
    message_send,
    overdue_threads_notify,
    thread_claim,
    thread_close,
    thread_read,
)
from tests.correspondence.factories import member, open_thread, world

pytestmark = pytest.mark.django_db

TUESDAY = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)  # 10:15 in Copenhagen


def fresh(user):
    # Memberships are cached on the user object for one request; a new request is a new object.
    return User.objects.get(pk=user.pk)


def ids(thread_ids):
    return set(thread_ids)


@pytest.fixture
def w():
    return world()


def test_each_box_holds_what_its_name_says(w):
    asked = open_thread(w, now=TUESDAY, subject="Afventer afdelingen")
    answered = open_thread(w, now=TUESDAY, subject="Afventer lægen")
    message_send(thread=answered, author=w.specialist, body="Svar", now=TUESDAY + timedelta(hours=1))
    closed = open_thread(w, now=TUESDAY, subject="Lukket")
    thread_close(thread=closed, actor=w.gp, summary="Klaret")
    now = TUESDAY + timedelta(hours=2)

    gp, specialist = fresh(w.gp), fresh(w.specialist)
    assert ids(inbox(gp, box=Box.AWAITING_ME, now=now)) == {answered.pk}
    assert ids(inbox(gp, box=Box.AWAITING_THEM, now=now)) == {asked.pk}
    assert ids(inbox(gp, box=Box.ORGANISATION, now=now)) == {asked.pk, answered.pk}
    assert ids(inbox(gp, box=Box.CLOSED, now=now)) == {closed.pk}
    # The department sees the unclaimed question as its own to answer.
    assert ids(inbox(specialist, box=Box.AWAITING_ME, now=now)) == {asked.pk}
    assert ids(inbox(specialist, box=Box.AWAITING_THEM, now=now)) == {answered.pk}
    # Nothing for a GP of another practice.
    other = fresh(w.other_gp)
    assert all(not inbox(other, box=box, now=now).exists() for box in Box.ALL)


def test_a_claimed_thread_awaits_only_its_clinician(w):
    thread = open_thread(w, now=TUESDAY)
    thread_claim(thread=thread, user=w.specialist)
    colleague = member(w.department, Role.HOSPITAL_SPECIALIST)
    assert ids(inbox(fresh(w.specialist), box=Box.AWAITING_ME)) == {thread.pk}
    assert not inbox(fresh(colleague), box=Box.AWAITING_ME).exists()
    assert ids(inbox(fresh(colleague), box=Box.ORGANISATION)) == {thread.pk}


def test_overdue_appears_only_after_the_deadline_has_passed(w):
    thread = open_thread(w, now=TUESDAY)
    due = thread.due_at
    assert not inbox(fresh(w.specialist), box=Box.OVERDUE, now=due).exists()  # at the instant: not yet
    assert ids(inbox(fresh(w.specialist), box=Box.OVERDUE, now=due + timedelta(seconds=1))) == {thread.pk}
    assert ids(inbox(fresh(w.gp), box=Box.OVERDUE, now=due + timedelta(seconds=1))) == {thread.pk}


def test_filters_by_specialty_category_patient_and_text(w):
    with_patient = open_thread(
        w, patient_cpr="0707611006", category=Category.MEDICINE, body="Warfarin og NSAID"
    )
    plain = open_thread(w, subject="Andet spørgsmål")
    gp = fresh(w.gp)
    assert ids(inbox(gp, box=Box.ORGANISATION, filters=InboxFilters(category=Category.MEDICINE))) == {
        with_patient.pk
    }
    assert ids(inbox(gp, box=Box.ORGANISATION, filters=InboxFilters(patient_id=with_patient.patient_id))) == {
        with_patient.pk
    }
    assert ids(inbox(gp, box=Box.ORGANISATION, filters=InboxFilters(text="warfarin"))) == {with_patient.pk}
    assert ids(inbox(gp, box=Box.ORGANISATION, filters=InboxFilters(text="andet"))) == {plain.pk}
    specialty_id = w.department.specialty_id
    assert ids(inbox(gp, box=Box.ORGANISATION, filters=InboxFilters(specialty_id=specialty_id))) == {
        with_patient.pk,
        plain.pk,
    }
    assert not inbox(
        gp, box=Box.ORGANISATION, filters=InboxFilters(specialty_id=w.other_department.specialty_id)
    )


def test_text_search_never_reaches_other_peoples_threads(w):
    open_thread(w, body="hemmeligt ord")
    assert not inbox(fresh(w.other_gp), box=Box.ORGANISATION, filters=InboxFilters(text="hemmeligt")).exists()


def _queries(callable_):
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context)


def test_inbox_queries_do_not_grow_with_the_number_of_threads(w):
    def list_inbox():
        user = fresh(w.specialist)
        page = inbox(user, box=Box.ORGANISATION)[:25]
        rows = inbox_rows(user, page)
        assert len(rows) == min(25, inbox(user, box=Box.ORGANISATION).count())
        for row in rows:
            str(row.sender_organisation), str(row.recipient_organisation), row.assignee, row.last_read_by_me
        inbox_counts(user)

    for _ in range(3):
        open_thread(w)
    few = _queries(list_inbox)
    for _ in range(27):
        open_thread(w)
    assert _queries(list_inbox) == few


def test_thread_page_queries_do_not_grow_with_the_number_of_messages(w):
    thread = open_thread(w)

    def show():
        page = thread_page(Thread.objects.get(pk=thread.pk))
        for message in page.messages:
            list(message.attachments.all()), message.read_by
        touched = [(e.from_organisation, e.to_organisation, e.assignee) for e in page.events]
        assert len(touched) == len(page.events)

    for n in range(2):
        message_send(thread=thread, author=w.specialist if n % 2 == 0 else w.gp, body=f"Besked {n}")
    few = _queries(show)
    for n in range(28):
        message_send(thread=thread, author=w.specialist if n % 2 == 0 else w.gp, body=f"Besked {n}")
    assert _queries(show) == few


def test_overdue_notice_goes_once_to_the_responsible_person(w, django_capture_on_commit_callbacks):
    responsible = member(w.department, Role.HOSPITAL_SPECIALIST)
    InboxSettings.objects.create(organisation=w.department, responsible=responsible)
    thread = open_thread(w, now=TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_threads_notify(now=thread.due_at) == 0
        assert overdue_threads_notify(now=thread.due_at + timedelta(minutes=1)) == 1
        assert overdue_threads_notify(now=thread.due_at + timedelta(minutes=2)) == 0
    assert [m.to for m in mail.outbox] == [[responsible.email]]
    assert "overskredet" in mail.outbox[0].body.lower() or "frist" in mail.outbox[0].body.lower()
    assert thread.events.filter(kind=ThreadEvent.Kind.OVERDUE).count() == 1


def test_without_a_responsible_person_the_claiming_clinician_is_told(w, django_capture_on_commit_callbacks):
    thread = open_thread(w, now=TUESDAY)
    thread_claim(thread=thread, user=w.specialist)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("correspondence_overdue", now=(thread.due_at + timedelta(hours=1)).isoformat())
    assert [m.to for m in mail.outbox] == [[w.specialist.email]]


def test_with_nobody_responsible_or_assigned_the_departments_secretaries_are_told(
    w, django_capture_on_commit_callbacks
):
    thread = open_thread(w, now=TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        overdue_threads_notify(now=thread.due_at + timedelta(hours=1))
    assert [m.to for m in mail.outbox] == [[w.secretary.email]]


def test_a_new_reply_after_an_overdue_notice_can_be_overdue_again(w):
    thread = open_thread(w, now=TUESDAY)
    overdue_threads_notify(now=thread.due_at + timedelta(hours=1))
    later = thread.due_at + timedelta(hours=2)
    message_send(thread=thread, author=w.specialist, body="Undskyld ventetiden", now=later)
    message_send(thread=thread, author=w.gp, body="Opfølgning", now=later + timedelta(minutes=5))
    thread.refresh_from_db()
    assert thread.overdue_notified_at is None
    assert overdue_threads_notify(now=thread.due_at + timedelta(minutes=1)) == 1


def test_quality_figures_per_organisation_both_directions(w):
    for hours in (1, 2, 30):
        thread = open_thread(w, now=TUESDAY)
        message_send(thread=thread, author=w.specialist, body="Svar", now=TUESDAY + timedelta(hours=hours))
    rows = {row.organisation: row for row in reply_time_quality(since=TUESDAY - timedelta(days=1))}
    department, practice = rows[w.department], rows[w.practice]
    assert department.answered == {"count": 3, "median": timedelta(hours=2), "p90": timedelta(hours=30)}
    assert practice.received == department.answered
    assert practice.answered["count"] == 0


def test_an_inbox_page_shows_its_threads_in_the_boxs_order(w):
    threads = [open_thread(w) for _ in range(3)]
    user = fresh(w.specialist)
    ordered = list(inbox(user, box=Box.ORGANISATION))
    assert ordered == [t.pk for t in reversed(threads)]  # newest activity first
    assert [row.pk for row in inbox_rows(user, ordered)] == ordered
    assert [row.pk for row in inbox_rows(user, ordered[::-1])] == ordered[::-1]


# --- Answers to me are where I look first (issue 10) ----------------------------------------


def _awaiting_me_rows(user, now):
    user = fresh(user)
    return {row.pk: row for row in inbox_rows(user, inbox(user, box=Box.AWAITING_ME, now=now), now=now)}


def test_an_answer_that_awaits_no_reply_is_in_the_gps_first_tab_until_she_reads_it(w):
    thread = open_thread(w, now=TUESDAY)
    message_send(
        thread=thread, author=w.specialist, body="Svar", awaits_reply=False, now=TUESDAY + timedelta(hours=1)
    )
    now = TUESDAY + timedelta(hours=2)
    rows = _awaiting_me_rows(w.gp, now)
    assert set(rows) == {thread.pk}
    assert rows[thread.pk].unread
    assert inbox_counts(fresh(w.gp), now=now)[Box.AWAITING_ME] == 1
    # The specialist wrote it: nothing new for him.
    assert not inbox(fresh(w.specialist), box=Box.AWAITING_ME, now=now).exists()

    thread_read(thread=thread, user=w.gp)
    assert not inbox(fresh(w.gp), box=Box.AWAITING_ME, now=now).exists()
    assert inbox_counts(fresh(w.gp), now=now)[Box.AWAITING_ME] == 0
    assert ids(inbox(fresh(w.gp), box=Box.ORGANISATION, now=now)) == {thread.pk}


def test_a_thread_the_specialist_closed_with_the_answer_is_in_the_gps_first_tab_until_read(w):
    thread = open_thread(w, now=TUESDAY)
    message_send(thread=thread, author=w.specialist, body="Svar", now=TUESDAY + timedelta(hours=1))
    thread_read(thread=thread, user=w.gp)
    thread_close(thread=thread, actor=w.specialist, summary="Start apixaban 5 mg x 2")
    now = timezone.now()
    rows = _awaiting_me_rows(w.gp, now)
    assert set(rows) == {thread.pk}
    assert rows[thread.pk].unread
    assert not inbox(fresh(w.specialist), box=Box.AWAITING_ME, now=now).exists()  # he closed it

    thread_read(thread=thread, user=w.gp)
    assert not inbox(fresh(w.gp), box=Box.AWAITING_ME, now=timezone.now()).exists()
    assert ids(inbox(fresh(w.gp), box=Box.CLOSED)) == {thread.pk}


def test_unread_answers_come_after_the_deadlines_on_every_database(w):
    answered = open_thread(w, now=TUESDAY, subject="Besvaret")
    message_send(
        thread=answered,
        author=w.specialist,
        body="Svar",
        awaits_reply=False,
        now=TUESDAY + timedelta(hours=3),
    )
    asked = open_thread(w, now=TUESDAY, subject="Spørgsmål til lægen")
    message_send(thread=asked, author=w.specialist, body="Hvilken dosis?", now=TUESDAY + timedelta(hours=1))
    assert list(inbox(fresh(w.gp), box=Box.AWAITING_ME, now=TUESDAY + timedelta(hours=4))) == [
        asked.pk,
        answered.pk,
    ]
