"""python manage.py outbox_drain

Sends every outbox e-mail that is due: retries whose time has come, and e-mails whose task
was lost (a crash between the commit and the enqueue, a worker that died mid-send). Run it
every minute from cron or a systemd timer beside ``manage.py db_worker``; two overlapping
runs are harmless, since each e-mail is claimed by one of them only.
"""

from django.core.management.base import BaseCommand

from portal.outbox.tasks import outbox_drain_task


class Command(BaseCommand):
    help = "Send every outbox e-mail that is due."

    def handle(self, *args, **options):
        counts = outbox_drain_task.call()
        self.stdout.write(
            "outbox: {sent} sent, {retry} to retry, {failed} given up, {skipped} skipped".format(**counts)
        )
