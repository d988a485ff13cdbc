"""Tell the responsible people about threads whose reply deadline has passed.

Run every few minutes from cron or a systemd timer in production; `make run` does
not need it for the overdue view, which compares deadlines with the clock itself.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from portal.correspondence.services import overdue_threads_notify


class Command(BaseCommand):
    help = "Send the overdue notices for correspondence (once per deadline)."

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
        told = overdue_threads_notify(now=moment)
        self.stdout.write(f"Overskredne tråde varslet: {told}")
