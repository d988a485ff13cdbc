"""Print the nginx config for the baked site (ops/nginx), rendered with this deployment's paths."""

from django.core.management.base import BaseCommand

from content.baking.nginx import render_config


class Command(BaseCommand):
    help = "Print the nginx config that serves the baked pages and hands the rest to Django."

    def add_arguments(self, parser):
        parser.add_argument("--listen", default="127.0.0.1:8080", help="nginx's address (listen directive).")
        parser.add_argument("--upstream", default="127.0.0.1:8000", help="The Django server (gunicorn).")
        parser.add_argument("--prefix", default="/var/lib/samspil/nginx", help="pid, logs, temp files.")
        parser.add_argument("--server-name", default="_")
        parser.add_argument("--access-log", default=None, help="A file; none: off.")
        parser.add_argument(
            "--include-only",
            action="store_true",
            help="Only the http-level part, to include from the system's nginx.conf.",
        )

    def handle(self, *args, **options):
        self.stdout.write(
            render_config(
                listen=options["listen"],
                upstream=options["upstream"],
                prefix=options["prefix"],
                standalone=not options["include_only"],
                server_name=options["server_name"],
                access_log=options["access_log"],
            )
        )
