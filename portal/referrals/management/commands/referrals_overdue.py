"""Tell the departments' responsible people about referrals whose decision deadline has passed.

Run every few minutes from cron or a systemd timer, like ``correspondence_overdue``.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from portal.referrals.services import overdue_referrals_notify


class Command(BaseCommand):
    help = "Send the overdue notices for referral decisions (once per deadline)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO 8601 time with zone to use as now (for drills and tests).")

    def handle(self, *args, now=None, **options):
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"--now: ikke et gyldigt tidspunkt: {now}") from error
            if moment.tzinfo is None:
                raise CommandError("--now skal have en tidszone, fx 2026-11-27T10:00+01:00")
        told = overdue_referrals_notify(now=moment)
        self.stdout.write(f"Overskredne visitationer varslet: {told}")
