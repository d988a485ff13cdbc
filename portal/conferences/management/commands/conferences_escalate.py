"""Pass conference requests nobody accepted in time to the next specialist on duty.

Run every minute from cron or a systemd timer: the escalation time is minutes
(CONFERENCE_ESCALATION_MINUTES), so a slower schedule delays it by as much.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from portal.conferences.services import conference_escalate_due


class Command(BaseCommand):
    help = "Escalate unaccepted conference requests to the next specialist on duty."

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
        result = conference_escalate_due(now=moment)
        self.stdout.write(
            f"Konferenceanmodninger sendt videre: {result['escalated']}; "
            f"uden nogen på vagt: {result['unanswered']}"
        )
