"""python manage.py import_markdown DIR [--publish]

Imports every ``*.md`` file below DIR. Each file is its own transaction: a
malformed file is reported with its name and the reason, nothing from it is
saved, and the other files still import.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from content.importer import MarkdownImportError, import_document, read_source


class Command(BaseCommand):
    help = "Import a folder of Markdown files with YAML front matter as Wagtail pages."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish the pages (default: drafts).")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, folder: Path, publish: bool, no_progress: bool, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder} er ikke en mappe")
        files = sorted(p for p in folder.rglob("*.md") if p.name.lower() != "readme.md")
        counts = {"created": 0, "updated": 0, "failed": 0}
        failures = []
        bar = tqdm(files, unit="fil", disable=no_progress or len(files) < 2, file=self.stderr._out)
        for path in bar:
            bar.set_postfix_str(path.name[-30:], refresh=False)
            try:
                result = import_document(read_source(path), publish=publish)
            except MarkdownImportError as exc:
                counts["failed"] += 1
                failures.append((path, str(exc)))
                continue
            counts[result.action] += 1
        for path, reason in failures:
            self.stderr.write(self.style.ERROR(f"{path.relative_to(folder)}: {reason}"))
        self.stdout.write(
            f"Oprettet: {counts['created']}, opdateret: {counts['updated']}, fejlet: {counts['failed']}"
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} fil(er) kunne ikke importeres")
