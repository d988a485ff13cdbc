"""Reads of the outbox."""

import datetime

from .models import OutboxEmail


def outbox_email_ids_due(*, now: datetime.datetime, limit: int | None = None) -> list[int]:
    """Oldest first, so that a backlog is worked off in the order it was asked for."""
    due = OutboxEmail.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    return list(due[:limit] if limit else due)
