"""Remind about what waits too long for an acknowledgement: handovers of treatment
responsibility the receiving side has not acknowledged, and result notices of ordered
investigations the practice has not followed up.

Run every few minutes from cron or a systemd timer, like ``referrals_overdue``; each item is
reminded once per reminder period however often it runs.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from portal.referrals.diagnostics_services import result_reminders_send
from portal.referrals.services import handover_reminders_send


class Command(BaseCommand):
    help = "Send the reminders for unacknowledged handovers and result notices (once per period)."

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
        handovers = handover_reminders_send(now=moment)
        results = result_reminders_send(now=moment)
        self.stdout.write(f"Påmindelser sendt: {handovers} overdragelsesforslag, {results} svarbeskeder")
