"""python manage.py purge_access_log [--dry-run]

Deletes access log entries older than ``settings.AUDIT_RETENTION_DAYS``
(default five years). Run it daily from cron or a systemd timer.

On PostgreSQL the append-only trigger refuses every DELETE unless the
transaction has set ``samspil.audit_purge`` to ``on``; the flag is
transaction-local (``set_config(..., true)``), so it ends with this command's
transaction and no other connection ever sees it.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from portal.audit.models import AccessLogEntry


class Command(BaseCommand):
    help = "Delete access log entries older than AUDIT_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, dry_run: bool, **options):
        days = settings.AUDIT_RETENTION_DAYS
        cutoff = timezone.now() - datetime.timedelta(days=days)
        expired = AccessLogEntry.objects.filter(at__lt=cutoff)
        when = timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M")
        if dry_run:
            self.stdout.write(
                f"Ville slette {expired.count()} adgangslog-poster ældre end {when} ({days} dage)."
            )
            return
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('samspil.audit_purge', 'on', true)")
            deleted = expired.purge()
            # Off again at once, in case an enclosing transaction goes on (as in tests).
            # After an error the rollback resets the flag anyway.
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('samspil.audit_purge', 'off', true)")
        self.stdout.write(f"Slettede {deleted} adgangslog-poster ældre end {when} ({days} dage).")
