"""Rebuild the search indexes from the published pages.

The database index is rebuilt in one transaction. With ``OPENSEARCH_URL``
set, a new versioned OpenSearch index is filled in bulk and the alias is
swapped to it in one atomic ``_aliases`` call, so searches never see a half
index; the old index is then deleted.
"""

import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.backends import engine_backend
from search.documents import searchable_count
from search.indexing import rebuild_database_index


class Command(BaseCommand):
    help = "Rebuild the search indexes (database, and OpenSearch when OPENSEARCH_URL is set)."

    def add_arguments(self, parser):
        parser.add_argument("--database-only", action="store_true", help="Leave OpenSearch alone.")
        parser.add_argument("--engine-only", action="store_true", help="Leave the database index alone.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs and CI).")

    def _progress(self, total, label, disable):
        return tqdm(total=total, desc=label, unit="doc", disable=disable, file=self.stderr._out)

    def handle(self, *args, **options):
        total = searchable_count()
        quiet = options["no_progress"]
        if not options["engine_only"]:
            with self._progress(total, "database", quiet) as bar:
                start = time.perf_counter()
                count = rebuild_database_index(progress=bar.update)
            self._report("database", count, time.perf_counter() - start)
        engine = engine_backend()
        if engine is not None and not options["database_only"]:
            with self._progress(total, "opensearch", quiet) as bar:
                start = time.perf_counter()
                count, index_name = engine.rebuild(progress=bar.update)
            self._report(f"opensearch ({index_name})", count, time.perf_counter() - start)

    def _report(self, label, count, seconds):
        rate = count / seconds if seconds > 0 else 0.0
        self.stdout.write(f"{label}: {count} documents in {seconds:.2f} s ({rate:,.0f} documents/s)")
