"""Delivering a stored e-mail: once only, with backoff after a failure, given up after the last attempt."""

import datetime
import logging
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from portal.outbox.delivery import Outcome, message_id, outbox_drain, outbox_email_deliver, retry_delay
from portal.outbox.models import OutboxEmail
from portal.outbox.selectors import outbox_email_ids_due

from .factories import OutboxEmailFactory

pytestmark = pytest.mark.django_db

BROKEN = "tests.outbox.backends.BrokenBackend"


def minutes(n):
    return datetime.timedelta(minutes=n)


def test_delivering_the_same_row_twice_sends_one_email():
    email = OutboxEmailFactory()

    assert outbox_email_deliver(email_id=email.pk).outcome == Outcome.SENT
    assert outbox_email_deliver(email_id=email.pk).outcome == Outcome.SKIPPED

    email.refresh_from_db()
    assert (email.status, email.attempts, email.claimed_until) == (OutboxEmail.Status.SENT, 1, None)
    assert email.sent_at is not None
    assert len(mail.outbox) == 1


def test_two_workers_that_both_saw_the_row_due_send_it_once():
    email = OutboxEmailFactory()
    now = timezone.now()
    seen_by_first, seen_by_second = outbox_email_ids_due(now=now), outbox_email_ids_due(now=now)
    assert seen_by_first == seen_by_second == [email.pk]

    outcomes = [outbox_email_deliver(email_id=pk, now=now) for pk in seen_by_first + seen_by_second]

    assert outcomes[0].outcome == Outcome.SENT
    assert outcomes[1].outcome == Outcome.SKIPPED
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_racing_for_one_row_send_it_once():
    if connection.vendor == "sqlite":
        # The in-memory test database is shared between threads with table locks, which fail
        # at once instead of waiting; the file database in production waits (timeout 20 s).
        pytest.skip("concurrent writers need a file or server database; runs on PostgreSQL")
    email = OutboxEmailFactory()
    start = threading.Barrier(8)
    outcomes = []

    def worker():
        from django.db import connections

        try:
            start.wait()
            outcomes.append(outbox_email_deliver(email_id=email.pk).outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [Outcome.SENT] + [Outcome.SKIPPED] * 7
    assert len(mail.outbox) == 1


def test_a_failed_send_waits_with_backoff_then_the_drain_sends_it(settings):
    settings.EMAIL_BACKEND = BROKEN
    email = OutboxEmailFactory()
    now = timezone.now()

    delivery = outbox_email_deliver(email_id=email.pk, now=now)

    email.refresh_from_db()
    assert delivery.outcome == Outcome.RETRY
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert email.next_attempt_at == delivery.retry_at == now + minutes(1)
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_drain(now=now + minutes(1) - datetime.timedelta(seconds=1)) == []
    assert [d.outcome for d in outbox_drain(now=now + minutes(1))] == [Outcome.SENT]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboxEmail.Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_backoff_doubles_from_one_minute_up_to_an_hour(settings):
    settings.OUTBOX_MAX_BACKOFF_SECONDS = 3600
    assert [retry_delay(n) for n in range(1, 10)] == [minutes(m) for m in (1, 2, 4, 8, 16, 32, 60, 60, 60)]
    assert retry_delay(500) == minutes(60)


def test_after_the_last_attempt_the_email_is_given_up_and_logged_without_its_body(settings, caplog):
    settings.EMAIL_BACKEND = BROKEN
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = OutboxEmailFactory(body="Hemmeligt indhold: https://samspil.test/korrespondance/9/")
    now = timezone.now()

    outcomes = []
    with caplog.at_level(logging.WARNING, logger="portal.outbox"):
        for _ in range(5):
            now += minutes(61)
            outcomes += [d.outcome for d in outbox_drain(now=now)]

    email.refresh_from_db()
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED]
    assert (email.status, email.attempts) == (OutboxEmail.Status.FAILED, 3)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert email.key in errors[0].getMessage()
    assert "Hemmeligt" not in caplog.text
    assert "samspil.test/korrespondance/9" not in caplog.text


def test_an_expired_lease_makes_the_row_due_again_and_a_live_one_does_not():
    now = timezone.now()
    abandoned = OutboxEmailFactory(
        status=OutboxEmail.Status.SENDING, attempts=1, claimed_until=now - minutes(1)
    )
    in_progress = OutboxEmailFactory(
        status=OutboxEmail.Status.SENDING, attempts=1, claimed_until=now + minutes(4)
    )

    assert outbox_email_ids_due(now=now) == [abandoned.pk]
    assert [(d.email_id, d.outcome) for d in outbox_drain(now=now)] == [(abandoned.pk, Outcome.SENT)]
    abandoned.refresh_from_db()
    in_progress.refresh_from_db()
    assert (abandoned.status, abandoned.attempts) == (OutboxEmail.Status.SENT, 2)
    assert in_progress.status == OutboxEmail.Status.SENDING


def test_a_worker_lost_on_the_last_attempt_gives_the_email_up_without_sending(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    now = timezone.now()
    email = OutboxEmailFactory(status=OutboxEmail.Status.SENDING, attempts=3, claimed_until=now - minutes(1))

    assert [d.outcome for d in outbox_drain(now=now)] == [Outcome.FAILED]
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert mail.outbox == []


def test_an_email_that_is_not_due_yet_is_left_alone():
    email = OutboxEmailFactory(next_attempt_at=timezone.now() + minutes(5))
    assert outbox_email_deliver(email_id=email.pk).outcome == Outcome.SKIPPED
    assert mail.outbox == []


def test_the_message_id_comes_from_the_key_and_the_message_says_it_is_automatic():
    email = OutboxEmailFactory(key="correspondence.message:42:to:7", html_body="<p>Nyt svar</p>")
    outbox_email_deliver(email_id=email.pk)

    sent = mail.outbox[0]
    assert sent.extra_headers["Message-ID"] == message_id("correspondence.message:42:to:7")
    assert message_id("correspondence.message:42:to:7").endswith("@samspil.invalid>")
    assert "correspondence" not in message_id("correspondence.message:42:to:7")
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.alternatives[0].content == "<p>Nyt svar</p>"


@pytest.mark.parametrize("count", [1, 5])
def test_draining_costs_one_query_plus_three_per_email(django_assert_num_queries, count):
    OutboxEmailFactory.create_batch(count)
    # The list of due ids, then per e-mail: claim, read, record the outcome.
    with django_assert_num_queries(1 + 3 * count):
        outcomes = outbox_drain()
    assert [d.outcome for d in outcomes] == [Outcome.SENT] * count
