"""Delete booking holds that have expired.

Expired holds already count for nothing (free-slot look-ups and new bookings ignore them), so
this only keeps the table small. Run every few minutes from cron or a systemd timer.
"""

from django.core.management.base import BaseCommand

from portal.bookings.services import holds_expire


class Command(BaseCommand):
    help = "Delete expired booking holds."

    def handle(self, *args, **options):
        self.stdout.write(f"Udløbne reservationer slettet: {holds_expire()}")
