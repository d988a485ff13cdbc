"""The inbox projection (``InboxEntry``) stays in step with the threads.

After every service call, every import and the migration's backfill, a thread's entries
are exactly what its current state and participants give: the inbox boxes read nothing else.
"""

import importlib
from datetime import timedelta

import pytest
from django.db import connection

from portal.accounts.roles import Role
from portal.correspondence.medcom.importing import carecommunication_import
from portal.correspondence.models import InboxEntry, Side, Thread
from portal.correspondence.services import (
    message_send,
    thread_assign,
    thread_claim,
    thread_close,
    thread_reroute,
)
from tests.correspondence.factories import member, open_thread, world
from tests.correspondence.medcom.test_carecommunication import _example

pytestmark = pytest.mark.django_db


def entries(thread) -> list[tuple]:
    return sorted(
        (
            (e.user_id, e.organisation_id, e.side, e.status, e.awaiting, e.assignee_id)
            + (e.recipient_organisation_id, e.due_at, e.last_message_at, e.closed_at)
            for e in InboxEntry.objects.filter(thread_id=thread.pk)
        ),
        key=repr,
    )


def expected(thread) -> list[tuple]:
    t = Thread.objects.get(pk=thread.pk)
    copied = (t.status, t.awaiting, t.assignee_id, t.recipient_organisation_id, t.due_at)
    copied += (t.last_message_at, t.closed_at)
    rows = [(None, t.sender_organisation_id, Side.SENDER, *copied)]
    rows += [(None, t.recipient_organisation_id, Side.RECIPIENT, *copied)]
    rows += [(p.user_id, None, p.side, *copied) for p in t.participants.all()]
    return sorted(rows, key=repr)


def test_every_service_leaves_the_entries_as_a_rebuild_would():
    w = world()
    thread = open_thread(w)
    assert entries(thread) == expected(thread)
    assert len(entries(thread)) == 3  # the two organisations and the opening GP

    thread_claim(thread=thread, user=w.specialist)
    assert entries(thread) == expected(thread)
    message_send(thread=thread, author=w.specialist, body="Svar.")
    assert entries(thread) == expected(thread)
    message_send(thread=thread, author=w.gp, body="Tak.", awaits_reply=False)
    assert entries(thread) == expected(thread)

    second = open_thread(w)
    thread_assign(thread=second, actor=w.secretary, assignee=member(w.department, Role.HOSPITAL_SPECIALIST))
    assert entries(second) == expected(second)
    thread_reroute(
        thread=second, actor=w.secretary, to_organisation=w.other_department, reason="Forkert afdeling"
    )
    assert entries(second) == expected(second)
    assert not InboxEntry.objects.filter(thread_id=second.pk, organisation=w.department).exists()

    thread_close(thread=thread, actor=w.gp, summary="Afklaret.")
    assert entries(thread) == expected(thread)
    assert set(InboxEntry.objects.filter(thread_id=thread.pk).values_list("status", flat=True)) == {"closed"}


def test_an_imported_thread_and_its_reply_have_their_entries():
    from tests.correspondence.medcom.test_import import OESTERBRO_SOR, served

    served(OESTERBRO_SOR)  # a practice the portal serves receives it
    thread = carecommunication_import(_example("S-C").read_bytes()).thread
    assert entries(thread) and entries(thread) == expected(thread)


def test_the_migration_backfill_builds_the_same_entries():
    w = world()
    threads = [open_thread(w), open_thread(w)]
    thread_claim(thread=threads[0], user=w.specialist)
    thread_close(
        thread=threads[1], actor=w.gp, summary="Afklaret.", now=threads[1].created_at + timedelta(days=1)
    )
    before = [entries(t) for t in threads]
    InboxEntry.objects.all().delete()
    backfill = importlib.import_module("portal.correspondence.migrations.0002_inbox_entry").BACKFILL
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    assert [entries(t) for t in threads] == before == [expected(t) for t in threads]
