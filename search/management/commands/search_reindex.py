"""Rebuild the search indexes from the published pages.

The database index is rebuilt in one transaction. With ``OPENSEARCH_URL``
set, a new versioned OpenSearch index is filled in bulk and the alias is
swapped to it in one atomic ``_aliases`` call, so searches never see a half
index; the old index is then deleted.

Before the swap the new index is warmed: a node answers its first searches on a
new index (and, freshly started, any search) several times slower than later
ones, while it compiles and fills its caches; the first visitors after a reindex
then got the database's "degraded" answer, past ``OPENSEARCH_TIMEOUT``. The
common searches run once on the new index, without that timeout, first.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.backends import engine_backend
from search.documents import searchable_count
from search.indexing import rebuild_database_index
from search.query import SearchRequest

# Every kind of search the site sends: one and several words, a synonym, a typo (fuzzy
# matching and the suggester), a facet filter, a later page, and autocomplete.
WARM_SEARCHES = (
    SearchRequest(query="demens"),
    SearchRequest(query="svimmelhed ældre"),
    SearchRequest(query="blodfortyndende"),
    SearchRequest(query="hjertesvigt", type="guideline"),
    SearchRequest(query="kol", page=2),
    SearchRequest(query="demnes"),
)
WARM_AUTOCOMPLETE = ("de", "hjerte", "palliation i eget")
# Seconds a warming search may take: the first ones on a fresh node are the slow ones.
WARM_TIMEOUT = 60.0


def warm_index(index_name: str) -> None:
    """Run the common searches once on ``index_name`` (an index, before the alias points at it)."""
    from search.backends.opensearch import OpenSearchBackend

    warmer = OpenSearchBackend(settings.OPENSEARCH_URL, prefix=index_name, timeout=WARM_TIMEOUT)
    for request in WARM_SEARCHES:
        warmer.search(request)
    for text in WARM_AUTOCOMPLETE:
        warmer.autocomplete(text)


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
                count, index_name = engine.rebuild(progress=bar.update, before_swap=self._warm)
            self._report(f"opensearch ({index_name})", count, time.perf_counter() - start)

    def _warm(self, index_name):
        start = time.perf_counter()
        warm_index(index_name)
        self.stdout.write(f"opensearch ({index_name}): warmed in {time.perf_counter() - start:.2f} s")

    def _report(self, label, count, seconds):
        rate = count / seconds if seconds > 0 else 0.0
        self.stdout.write(f"{label}: {count} documents in {seconds:.2f} s ({rate:,.0f} documents/s)")
