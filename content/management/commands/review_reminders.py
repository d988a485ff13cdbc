"""Remind page owners that a knowledge page has reached its review date.

Run once a day from cron or a systemd timer, like the other periodic jobs (``outbox_drain``,
``correspondence_overdue``); e-mails go through the outbox.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from content.services import review_reminders_send


class Command(BaseCommand):
    help = "E-mail the owners of knowledge pages whose review date has come (once per date)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="ISO date to use as today (for drills and tests).")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today: ikke en gyldig dato: {today}") from error
        sent = review_reminders_send(today=day)
        self.stdout.write(f"Påmindelser om revision sendt: {sent}")
