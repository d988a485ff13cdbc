"""Writes to a user's own account: profile, notification settings, calendar links."""

import secrets

from django.db import transaction
from django.utils import timezone

from .models import CalendarFeedToken, User


@transaction.atomic
def profile_update(*, user: User, first_name: str, last_name: str, title: str, phone: str) -> User:
    """Name, title and phone as the user writes them: they sign her messages and notes."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.title = title.strip()
    user.phone = phone.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "title", "phone"])
    return user


def notification_settings_update(*, user: User, informational_emails: bool) -> User:
    """Whether she is also told what happened (not only what needs her)."""
    user.informational_emails = informational_emails
    user.save(update_fields=["informational_emails"])
    return user


# --- Calendar links -----------------------------------------------------------------------------


def _new_feed_secret() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_token_get_or_create(*, user: User, feed: str) -> CalendarFeedToken:
    token, _created = CalendarFeedToken.objects.get_or_create(
        user=user, feed=feed, defaults={"token": _new_feed_secret()}
    )
    return token


@transaction.atomic
def calendar_feed_token_renew(*, user: User, feed: str) -> CalendarFeedToken:
    """A new secret for this feed; every link with the old one stops working at once."""
    token, created = CalendarFeedToken.objects.get_or_create(
        user=user, feed=feed, defaults={"token": _new_feed_secret()}
    )
    if not created:
        token.token, token.created_at = _new_feed_secret(), timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token
