"""Writes to a user's own account."""

from django.db import transaction

from .models import User


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
