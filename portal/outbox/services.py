"""Asking for an e-mail: the one function other modules call.

    from portal.outbox.services import outbox_email_enqueue

    outbox_email_enqueue(
        key=f"correspondence.message:{message.pk}:to:{user.pk}",
        to=[user.email],
        subject="Nyt svar i Samspil",
        body=f"Der er et nyt svar til dig: {url}",
    )

Call it inside the transaction that writes the data the e-mail is about (a POST view already
is one: ``portal.core.middleware.AtomicWritesMiddleware``; a command or a GET view wraps its
writes in ``transaction.atomic``). Delivery happens after the commit, in ``portal.outbox.delivery``.
"""

import logging
import re
from collections.abc import Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from portal.patients.cpr import validate_cpr

from .models import OutboxEmail
from .tasks import outbox_email_deliver_task

logger = logging.getLogger(__name__)

# Ten digits, optionally split after the sixth, not part of a longer number. validate_cpr
# decides whether the date is real; a ten-digit order number that happens to look like a
# CPR number is refused too, which costs a reworded e-mail, while a leak costs a patient.
_CPR_CANDIDATE = re.compile(r"(?<!\d)(\d{6})[-\u00a0 ]?(\d{4})(?!\d)", re.ASCII)
# The public ids in the links every e-mail carries are random UUIDs; about one in a few
# thousand holds ten digits in a row that form a real date, which refused the e-mail and
# failed the request that sent it. A whole UUID is taken out before looking.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII | re.IGNORECASE)


def _contains_cpr(text: str) -> bool:
    for match in _CPR_CANDIDATE.finditer(_UUID.sub(" ", text)):
        try:
            validate_cpr(match.group(1) + match.group(2))
        except ValidationError:
            continue
        return True
    return False


def _deliver_after_commit(email_id: int) -> None:
    outbox_email_deliver_task.enqueue(email_id)


@transaction.atomic
def _insert(email: OutboxEmail) -> OutboxEmail:
    # A savepoint of its own: a concurrent insert of the same key must not break the caller's
    # transaction, only make this one return the other row.
    email.save()
    return email


def outbox_email_enqueue(
    *,
    key: str,
    to: Sequence[str],
    subject: str,
    body: str,
    html_body: str = "",
    from_email: str = "",
) -> OutboxEmail:
    """Store an e-mail to be sent once the caller's transaction commits; idempotent by ``key``.

    A second call with a key already stored returns the stored row and changes nothing, so a
    retried request or a double-submitted form sends one e-mail. Raises ValueError for a
    subject or body containing a CPR number (e-mails carry a link, never patient data), and
    RuntimeError outside a transaction, where the row could outlive or predate the data it
    announces.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_email_enqueue must run inside the transaction that writes the data.")
    if isinstance(to, str):
        raise TypeError("`to` is a list of addresses, not one string.")
    if any(_contains_cpr(text) for text in (subject, body, html_body)):
        raise ValueError("An e-mail must not contain a CPR number: send a link to the portal instead.")

    existing = OutboxEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    email = OutboxEmail(
        key=key, to=list(to), subject=subject, body=body, html_body=html_body, from_email=from_email
    )
    _validate(email)
    try:
        _insert(email)
    except IntegrityError:
        # Another transaction committed the same key between our look-up and our insert.
        return OutboxEmail.objects.get(key=key)
    # robust: a queue that cannot be reached must not fail the request that has already
    # committed; the row stays pending and outbox_drain sends it.
    transaction.on_commit(partial(_deliver_after_commit, email.pk), robust=True)
    return email


def _validate(email: OutboxEmail) -> None:
    if not email.to:
        raise ValueError("An e-mail needs at least one recipient.")
    for address in email.to:
        validate_email(address)
    if "\n" in email.subject or "\r" in email.subject:
        # Django refuses such a header only when sending, where it would be retried in vain.
        raise ValueError("An e-mail subject is one line.")
    email.full_clean(validate_unique=False)
