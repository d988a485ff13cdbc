"""Remind the cluster's GPs a week before an open audit round ends.

Run once a day (the README's schedule table). The outbox key holds the round and its end date,
so running it every day of the last week sends each GP one reminder; a round whose end is moved
gets a new one.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from portal.auditrounds import notifications
from portal.auditrounds.models import AuditRound

REMIND_DAYS_BEFORE = 7


class Command(BaseCommand):
    help = "E-mail the GPs of clusters whose open audit round ends within a week."

    def handle(self, *args, **options):
        today = timezone.localdate()
        due = AuditRound.objects.filter(
            status=AuditRound.Status.OPEN,
            period_end__gte=today,
            period_end__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        ).select_related("cluster")
        sent = 0
        for audit_round in due.iterator(chunk_size=200):
            with transaction.atomic():
                sent += notifications.ending_soon(audit_round)
        self.stdout.write(f"{sent} reminders queued")
