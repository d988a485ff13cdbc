"""Remind the registered participants of meetings starting within the next day.

Run every hour (the README's schedule table); each participant gets one reminder a meeting
start time (the outbox key), so running it more often sends nothing twice.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from portal.events import notifications
from portal.events.models import Registration


class Command(BaseCommand):
    help = "E-mail registered participants of meetings that start within 24 hours."

    def handle(self, *args, **options):
        now = timezone.now()
        due = Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            event__live=True,
            event__starts_at__gt=now,
            event__starts_at__lte=now + timedelta(hours=24),
        ).select_related("event", "user")
        sent = 0
        for registration in due.iterator(chunk_size=500):
            with transaction.atomic():
                notifications.reminder(registration)
            sent += 1
        self.stdout.write(f"{sent} reminders queued")
