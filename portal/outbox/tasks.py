"""The outbox's django-tasks tasks, run by ``manage.py db_worker`` (at once in the tests).

A failed attempt queues the next one at its backoff time. Backends that cannot run a task
later (the immediate backend of the tests) get nothing queued: ``outbox_drain`` finds the
row when it is due, as it finds every row whose task was lost.
"""

import logging

from django_tasks import task

from .delivery import Delivery, Outcome, outbox_drain, outbox_email_deliver

logger = logging.getLogger(__name__)


def _queue_retry(delivery: Delivery) -> None:
    if delivery.outcome != Outcome.RETRY:
        return
    if not outbox_email_deliver_task.get_backend().supports_defer:
        return
    try:
        outbox_email_deliver_task.using(run_after=delivery.retry_at).enqueue(delivery.email_id)
    except Exception:  # noqa: BLE001 - the row is pending and due at retry_at: outbox_drain sends it
        logger.exception("outbox: could not queue the retry of e-mail %s", delivery.email_id)


@task()
def outbox_email_deliver_task(email_id: int) -> str:
    delivery = outbox_email_deliver(email_id=email_id)
    _queue_retry(delivery)
    return delivery.outcome.value


@task()
def outbox_drain_task() -> dict[str, int]:
    """Every e-mail that is due; ``manage.py outbox_drain`` runs this in the foreground."""
    counts = {outcome.value: 0 for outcome in Outcome}
    for delivery in outbox_drain():
        _queue_retry(delivery)
        counts[delivery.outcome.value] += 1
    return counts
