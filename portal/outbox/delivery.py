"""Sending one stored e-mail: claim it, hand it to the e-mail backend, record what happened.

The claim is one conditional UPDATE (pending and due, or a lease that has run out → sending
with a new lease). Only one worker's UPDATE can match: PostgreSQL re-checks the WHERE clause
against the row the other worker committed, SQLite runs one writer at a time. Whoever gets
no row leaves the e-mail alone. This module never enqueues tasks; ``tasks.py`` does, with
what it returns.

What no outbox can rule out: a worker that dies after the SMTP server has accepted the
message but before "sent" is recorded. Its lease runs out and the e-mail goes again. The
Message-ID is derived from the idempotency key, so the copies are the same message to mail
servers and clients that de-duplicate by it.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass
from email.utils import parseaddr
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from portal.patients.logging import redact_cpr

from .models import OutboxEmail
from .selectors import outbox_email_ids_due

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"  # sent already, held by another worker, or not due yet


@dataclass(frozen=True)
class Delivery:
    email_id: int
    outcome: Outcome
    retry_at: datetime.datetime | None = None


def retry_delay(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd, 4th … failure, never more than the cap."""
    seconds = 60 * 2 ** min(attempts - 1, 20)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_MAX_BACKOFF_SECONDS))


def message_id(key: str) -> str:
    """The same for every attempt, and for every worker host; the key itself is not shown."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "samspil.invalid"
    return f"<outbox.{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def _claim(email_id: int, now: datetime.datetime) -> datetime.datetime | None:
    """The new lease's end if this worker now holds the e-mail, else None.

    The lease's end doubles as the claim's token: "sent" is recorded only while it is still
    ours, so a worker that overran its lease cannot overwrite a newer worker's outcome.
    """
    claimed_until = now + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    claimed = (
        OutboxEmail.objects.filter(pk=email_id)
        .due(now)
        .update(status=OutboxEmail.Status.SENDING, claimed_until=claimed_until, attempts=F("attempts") + 1)
    )
    return claimed_until if claimed else None


def _send(email: OutboxEmail) -> None:
    connection = get_connection(timeout=settings.OUTBOX_SEND_TIMEOUT_SECONDS)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email or None,
        to=email.to,
        connection=connection,
        # Auto-Submitted (RFC 3834): out-of-office replies are not sent back to a notification.
        headers={"Message-ID": message_id(email.key), "Auto-Submitted": "auto-generated"},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    message.send()


def _short_error(exc: BaseException) -> str:
    # Server replies can quote addresses, never the body; masked anyway, as every log line is.
    return redact_cpr(f"{type(exc).__name__}: {exc}")[:300]


def _still_ours(email: OutboxEmail, claimed_until: datetime.datetime):
    return OutboxEmail.objects.filter(
        pk=email.pk, status=OutboxEmail.Status.SENDING, claimed_until=claimed_until
    )


def _record_sent(email: OutboxEmail, claimed_until: datetime.datetime, now: datetime.datetime) -> Delivery:
    updated = _still_ours(email, claimed_until).update(
        status=OutboxEmail.Status.SENT, sent_at=now, claimed_until=None, last_error=""
    )
    if not updated:
        logger.warning("outbox: e-mail %s was sent after its lease ran out; it may go twice", email.pk)
    return Delivery(email.pk, Outcome.SENT)


def _record_failure(
    email: OutboxEmail, claimed_until: datetime.datetime, now: datetime.datetime, error: str
) -> Delivery:
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _still_ours(email, claimed_until).update(
            status=OutboxEmail.Status.FAILED, claimed_until=None, last_error=error
        )
        # ERROR: somebody has to tell the recipient another way. Key and id, never the body.
        logger.error(
            "outbox: gave up e-mail %s (key %s) after %s attempts: %s",
            email.pk,
            email.key,
            email.attempts,
            error,
        )
        return Delivery(email.pk, Outcome.FAILED)
    retry_at = now + retry_delay(email.attempts)
    _still_ours(email, claimed_until).update(
        status=OutboxEmail.Status.PENDING, next_attempt_at=retry_at, claimed_until=None, last_error=error
    )
    logger.warning(
        "outbox: attempt %s of e-mail %s failed, next at %s: %s", email.attempts, email.pk, retry_at, error
    )
    return Delivery(email.pk, Outcome.RETRY, retry_at)


def outbox_email_deliver(*, email_id: int, now: datetime.datetime | None = None) -> Delivery:
    """Send the e-mail if it is due and no other worker holds it; at most one attempt."""
    now = now or timezone.now()
    claimed_until = _claim(email_id, now)
    if claimed_until is None:
        return Delivery(email_id, Outcome.SKIPPED)
    email = OutboxEmail.objects.get(pk=email_id)
    if email.attempts > settings.OUTBOX_MAX_ATTEMPTS:
        # The last attempt's worker died mid-send: there is no attempt left to make.
        return _record_failure(email, claimed_until, now, error=email.last_error or "Worker lost")
    try:
        _send(email)
    except Exception as exc:  # noqa: BLE001 - any failure of any backend is a failed attempt
        return _record_failure(email, claimed_until, now, error=_short_error(exc))
    return _record_sent(email, claimed_until, now)


def outbox_drain(*, now: datetime.datetime | None = None, limit: int | None = None) -> list[Delivery]:
    """Attempt every e-mail that is due: those whose task was lost, and those whose retry is."""
    ids = outbox_email_ids_due(now=now or timezone.now(), limit=limit)
    return [outbox_email_deliver(email_id=email_id, now=now) for email_id in ids]
