"""The outbox with the production queue: django-tasks' database backend and its db_worker.

``settings.TASKS`` changes send ``setting_changed``, on which django_tasks drops its cached
backends, so the tasks below are queued in the database, not run at once. The worker runs
in this process (``--batch``: until nothing is ready) and so needs committed rows:
transactional tests.
"""

import logging
import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.outbox.models import OutboxEmail
from portal.outbox.services import outbox_email_enqueue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    # The worker installs its own signal handlers and log levels; give pytest its own back.
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)


def run_worker():
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)


def enqueue_notification():
    with transaction.atomic():
        return outbox_email_enqueue(
            key="correspondence.message:7:to:1",
            to=["laege@samspil.test"],
            subject="Nyt svar i Samspil",
            body="Der er et nyt svar til dig: https://samspil.test/korrespondance/7/",
        )


def test_the_worker_sends_what_the_commit_queued(database_queue):
    email = enqueue_notification()
    assert DBTaskResult.objects.filter(task_path__endswith="outbox_email_deliver_task").count() == 1
    assert mail.outbox == []  # queued, not run

    run_worker()

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failed_attempt_queues_its_retry_for_later(database_queue, flaky_smtp_server):
    email = enqueue_notification()
    run_worker()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == email.next_attempt_at
    assert flaky_smtp_server.accepted == []

    # The clock passes the retry time: the queued retry becomes ready, the e-mail due.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    run_worker()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 2)
    assert len(flaky_smtp_server.accepted) == 1
