"""Bake every public page to ``BAKE_ROOT`` for nginx, and remove what is no longer public.

Publishing keeps the bake up to date page by page (``content.baking.signals``); this command is
for the first deployment, after a deployment that changed templates or static files, and as a
nightly run that also refreshes what a publish does not reach (another page's link to a page
that was renamed).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from content import baking
from content.baking.targets import all_targets_with_pages


class Command(BaseCommand):
    help = "Bake the public pages to static HTML in BAKE_ROOT (served by nginx, see ops/nginx)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs and CI).")

    def handle(self, *args, **options):
        if not baking.enabled():
            raise CommandError(_("BAKE_ROOT is not set: there is no directory to bake the pages to."))
        start = time.perf_counter()
        pairs = all_targets_with_pages()
        with tqdm(
            total=len(pairs),
            desc=_("Baking pages"),
            unit=_("page"),
            disable=options["no_progress"],
            file=self.stderr._out,
        ) as bar:
            baked, removed = baking.bake_all(pairs=pairs, progress=lambda _target: bar.update())
        self.stdout.write(
            _("%(baked)d pages baked, %(removed)d old files removed in %(seconds).1f s")
            % {"baked": baked, "removed": removed, "seconds": time.perf_counter() - start}
        )
