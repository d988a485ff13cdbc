"""Remind trainees and supervising GPs a week before a focused stay starts.

Run daily from cron or a systemd timer; each person is told once per stay however often it runs.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.stays.notifications import week_before_reminders_send


class Command(BaseCommand):
    help = "E-mail the trainee and the supervising GP of each stay that starts within a week (once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="ISO date to use as today (for drills and tests).")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today: ikke en gyldig dato: {today}") from error
        self.stdout.write(
            f"Påmindelser om fokuserede ophold: {week_before_reminders_send(today=day)} e-mails"
        )
