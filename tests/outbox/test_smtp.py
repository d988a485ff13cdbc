"""The outbox against a real SMTP server (aiosmtpd) through Django's SMTP backend.

The server refuses the first message with "451" (a temporary failure, as a greylisting or
overloaded mail server answers) and accepts the next: the e-mail waits, then the drain sends it.
"""

import datetime
from email import message_from_bytes

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from portal.outbox.delivery import message_id
from portal.outbox.models import OutboxEmail
from portal.outbox.services import outbox_email_enqueue


def enqueue_notification():
    with transaction.atomic():
        return outbox_email_enqueue(
            key="correspondence.message:7:to:1",
            to=["laege@samspil.test"],
            subject="Nyt svar i Samspil",
            body="Der er et nyt svar til dig: https://samspil.test/korrespondance/7/",
        )


def test_the_outbox_drains_after_an_smtp_failure(db, flaky_smtp_server, django_capture_on_commit_callbacks):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        email = enqueue_notification()

    email.refresh_from_db()
    assert flaky_smtp_server.refused == 1
    assert flaky_smtp_server.accepted == []
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert email.last_error.startswith("SMTPDataError: (451")
    assert email.next_attempt_at >= before + datetime.timedelta(minutes=1)

    call_command("outbox_drain")  # too early: the retry is not due
    assert flaky_smtp_server.accepted == []

    # The clock passes the retry time.
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    call_command("outbox_drain")

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboxEmail.Status.SENT, 2, "")
    [raw] = flaky_smtp_server.accepted
    received = message_from_bytes(raw)
    assert received["Message-ID"] == message_id("correspondence.message:7:to:1")
    assert received["To"] == "laege@samspil.test"
    assert "korrespondance/7/" in received.get_payload(decode=True).decode()

    call_command("outbox_drain")  # nothing is sent twice
    assert len(flaky_smtp_server.accepted) == 1


def test_an_accepting_server_gets_the_email_once(db, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_notification()
        enqueue_notification()

    assert len(smtp_server.accepted) == 1
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT
