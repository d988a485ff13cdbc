"""Search benchmark: p50/p95 of /api/v1/search through Django, bulk reindex throughput,
and publish-to-searchable time (a page published as an editor does, through the database
task queue and a real db_worker, until the API finds it).

    .venv/bin/python bench/search.py                      # database (SQLite or DATABASE_URL)
    OPENSEARCH_URL=http://127.0.0.1:9250 .venv/bin/python bench/search.py   # and the engine

Runs on a throwaway SQLite database in a temp folder (or the DATABASE_URL database, whose
search tables it empties), with generated Danish documents: BENCH_DB_DOCS (50,000) for the
database, BENCH_ENGINE_DOCS (100,000) for OpenSearch. Figures go in the session notes.

The documents draw their words, with Zipf frequencies, from a vocabulary of about 4,000 words:
the demo content's words (content/demo) and made-up Danish-looking ones. Queries are real title
words and synonym phrases, placed in the vocabulary so that a typical query matches a few percent
of the documents (the median share is printed), as on a real site, not all of them.
"""

import os
import random
import re
import statistics
import time
from collections import Counter

from common import ROOT, percentiles, setup_django

# Through the rate limiter as in production, with room for the benchmark (portal.env.bench_run).
setup_django(bench_run=True)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from search import analysis  # noqa: E402
from search.documents import IndexDocument, TaxonomyValue  # noqa: E402

DB_DOCS = int(os.environ.get("BENCH_DB_DOCS", "50000"))
ENGINE_DOCS = int(os.environ.get("BENCH_ENGINE_DOCS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
VOCABULARY_SIZE = int(os.environ.get("BENCH_VOCABULARY", "4000"))
# Rank of the first query word in the vocabulary: sets how many documents a query matches.
QUERY_RANK = int(os.environ.get("BENCH_QUERY_RANK", "800"))
DEMO = ROOT / "content" / "demo"
SYNONYMS = ROOT / "search" / "synonyms" / "da_medical.txt"
SECTORS = [TaxonomyValue("almen-praksis", "Almen praksis"), TaxonomyValue("sygehus", "Sygehus")]
SPECIALTIES = [TaxonomyValue(s, s) for s in ("geriatri", "kardiologi", "lungesygdomme", "neurologi")]
TYPES = ["guideline", "case", "faq", "auditmaterial", "thinksmartreview"]
# Syllables for made-up Danish-looking words that fill the vocabulary up to VOCABULARY_SIZE.
_ONSETS = "b d f g h j k l m n p r s t v bl br dr fl fr gl gr kl kr pl pr sk sl sm sn sp st str tr".split()
_VOWELS = "a e i o u y æ ø å".split()
_CODAS = ["", "", "n", "r", "l", "s", "t", "d", "g", "k", "m", "nd", "ng", "st", "lt", "rt", "ft"]
_SUFFIXES = ["", "", "", "e", "en", "er", "ene", "ing", "ning", "else", "hed", "lig", "ende", "ser"]
_WORD = re.compile(r"[a-zæøå]+")


def _demo_pages() -> list[tuple[str, str]]:
    """(title, text) of the demo content: the real words the corpus is built from."""
    pages = []
    for path in sorted(DEMO.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = next(
            (line[6:].strip().strip('"') for line in text.splitlines() if line.startswith("title:")), ""
        )
        pages.append((title, text))
    return pages


def _synonym_phrases() -> list[str]:
    phrases = []
    for raw in SYNONYMS.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].replace("=>", ",").strip()
        phrases.extend(p.strip().lower() for p in line.split(",") if p.strip())
    return phrases


def _query_terms(pages) -> list[str]:
    """Real title words (longer than four letters, not stop words) and synonym phrases."""
    stop = analysis.STOP_WORDS
    titles = {
        w for title, _text in pages for w in _WORD.findall(title.lower()) if len(w) > 4 and w not in stop
    }
    return sorted(titles) + _synonym_phrases()


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """About VOCABULARY_SIZE words with Zipf weights (1/rank): the demo content's words, most
    frequent first, then made-up Danish-looking words. The query terms sit at middle ranks
    (QUERY_RANK and on), so that a typical query word occurs in a few percent of the documents."""
    pages = _demo_pages()
    counts = Counter(
        w for _title, text in pages for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in ("md",)
    )
    query_words = []
    for term in _query_terms(pages):
        query_words.extend(w for w in _WORD.findall(term) if w not in analysis.STOP_WORDS)
    query_words = list(dict.fromkeys(query_words))
    rng.shuffle(query_words)
    common = [w for w, _n in counts.most_common() if w not in set(query_words)]
    words = common[:QUERY_RANK] + query_words + common[QUERY_RANK:]
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.randint(1, 3))
        ) + rng.choice(_SUFFIXES)
        if word not in seen and len(word) > 2:
            seen.add(word)
            words.append(word)
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


def queries() -> list[str]:
    """Drawn from real title words and synonym phrases, plus two misspellings (for "did you mean")."""
    rng = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    terms = _query_terms(_demo_pages())
    picked = rng.sample(terms, min(40, len(terms)))
    # Some two-word queries, as clinicians type them.
    picked += [f"{a} {b}" for a, b in zip(rng.sample(terms, 10), rng.sample(terms, 10), strict=True)]
    return picked + ["demnes", "hjertesvit"]


QUERIES = queries()


def generated(n: int, start: int = 1):
    rng = random.Random(42)  # noqa: S311 - reproducible test data, not secrets
    words, cumulative = vocabulary(rng)
    title_words = words[QUERY_RANK : QUERY_RANK + 1500]  # titles use the topical middle of the vocabulary

    def text(k: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=k))

    for i in range(start, start + n):
        title = " ".join(rng.sample(title_words, rng.randint(2, 5)))
        yield IndexDocument(
            page_id=i,
            type=rng.choice(TYPES),
            title=f"{title.capitalize()} {i}",
            url=f"/bench/{i}/",
            summary=text(25),
            body=text(120),
            body_general_practice=text(60),
            body_hospital=text(60),
            sectors=rng.sample(SECTORS, rng.randint(1, 2)),
            specialties=rng.sample(SPECIALTIES, rng.randint(1, 2)),
        )


def timed_requests(client, documents: int) -> tuple[float, float, str, float]:
    """p50 and p95 latency, the backend, and the median share of documents a query matches.

    Each query is asked once before the clock starts: a freshly started engine compiles and
    caches on first use (the first untimed pass measured 37 ms p95 where the next gave 22-24),
    and a steady state is what visitors meet.
    """
    for query in QUERIES:
        client.get("/api/v1/search", {"q": query})
    timings, backend, shares = [], "", []
    for round_ in range(ROUNDS):
        query = QUERIES[round_ % len(QUERIES)]
        start = time.perf_counter()
        response = client.get("/api/v1/search", {"q": query})
        timings.append((time.perf_counter() - start) * 1000)
        data = response.json()
        backend = data["backend"]
        shares.append(100 * data["total"] / documents)
    return (*percentiles(timings), backend, statistics.median(shares))


def fill_database(n: int) -> float:
    """Index rows without pages of their own: every row points at the root page.

    Search never reads a row's page (``page_id`` only groups a page's documents for
    replacement, and the benchmark loads with ``replace=False``), so one existing page
    keeps the foreign key satisfied without switching constraints off, which PostgreSQL
    allows only a superuser (``session_replication_role``), and CI's role is not one.
    """
    from wagtail.models import Page

    from search.backends import database_backend

    backend = database_backend()
    root = Page.get_first_root_node().pk
    documents = list(generated(n))  # made before the clock starts: the generator is not indexing
    for document in documents:
        document.page_id = root
        document.key = f"bench:{document.key}"  # never the key of a page published below
    start = time.perf_counter()
    with transaction.atomic():
        backend.clear()
        backend.index(documents, replace=False)
    backend.optimize()  # part of every bulk load (search_reindex does the same)
    return n / (time.perf_counter() - start)


def publish_to_searchable(client, rounds: int = 20) -> tuple[float, float]:
    """p50 and p95 from ``publish()`` to the API finding the page, through the real queue.

    As in production (``make run``): the database task backend, and a ``db_worker`` with
    ``--interval 0.2`` (run here in a thread of this process, with its own database
    connection) that picks up the task queued when the publishing transaction commits.
    """
    import threading

    from django.test import override_settings
    from django_tasks_db.management.commands.db_worker import Worker

    from tests.content.factories import GuidelinePageFactory

    queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    latencies = []
    with override_settings(TASKS=queue):
        worker = Worker(
            queue_names=["default"],
            interval=0.2,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="bench-search",
            excluded_queue_names=[],
        )
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        try:
            run = time.time_ns() % 10**6  # fresh words (and slugs) on a reused DATABASE_URL database
            for i in range(rounds):
                word = f"publiceringsprove{run}x{i:03d}"
                with transaction.atomic():
                    page = GuidelinePageFactory(title=f"{word.capitalize()} om demens", live=False)
                start = time.perf_counter()
                with transaction.atomic():  # the worker sees the task once this commits
                    page.save_revision().publish()
                # Polled every 50 ms: on SQLite each request holds the write lock (BEGIN
                # IMMEDIATE), and a tighter loop would starve the worker of it.
                while not client.get("/api/v1/search", {"q": word}).json()["total"]:
                    if time.perf_counter() - start > 10:
                        raise RuntimeError(f"{word} not searchable after 10 s")
                    time.sleep(0.05)
                latencies.append((time.perf_counter() - start) * 1000)
        finally:
            worker.running = False
            thread.join(timeout=5)
    return percentiles(latencies)


def main():
    from portal.settings import base

    # The test settings switch the limits off; the benchmark measures with them on.
    settings.RATE_LIMITS = base.RATE_LIMITS
    call_command("migrate", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    engine_url = settings.OPENSEARCH_URL
    settings.OPENSEARCH_URL = ""
    print(f"database ({connection.vendor}): indexing {DB_DOCS} documents ...", flush=True)
    rate = fill_database(DB_DOCS)
    p50, p95, backend, share = timed_requests(client, DB_DOCS)
    line = (
        "{:10} {:>7} docs  index {:8,.0f} docs/s  search p50 {:6.1f} ms  p95 {:6.1f} ms"
        "  (median query matches {:.1f}% of documents)"
    )
    print(line.format(backend, DB_DOCS, rate, p50, p95, share))
    if not engine_url:
        p50, p95 = publish_to_searchable(client)
        print(
            f"publish-to-searchable (queue + db_worker + database index): p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        )
    if engine_url:
        from search.backends import engine_backend

        settings.OPENSEARCH_URL = engine_url
        settings.OPENSEARCH_INDEX = "bench"
        engine = engine_backend()
        documents = list(generated(ENGINE_DOCS))  # made before the clock starts, as for the database
        start = time.perf_counter()
        count, _name = engine.rebuild(documents=documents, chunk_size=2000)
        rate = count / (time.perf_counter() - start)
        p50, p95, backend, share = timed_requests(client, count)
        print(line.format(backend, count, rate, p50, p95, share))
        latencies = []
        for i in range(50):
            doc = next(generated(1, start=ENGINE_DOCS + 1 + i))
            doc.title = f"Publiceringstest{i} {doc.title}"
            start = time.perf_counter()
            engine.index([doc])
            while not engine.client.search(
                index=engine.alias, body={"query": {"match": {"title": f"publiceringstest{i}"}}}
            )["hits"]["total"]["value"]:
                time.sleep(0.01)
            latencies.append((time.perf_counter() - start) * 1000)
        latencies.sort()
        print(
            f"engine write to visible (no queue): p50 {statistics.median(latencies):.0f} ms, "
            f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms"
        )
        p50, p95 = publish_to_searchable(client)
        print(f"publish-to-searchable (queue + db_worker + both indexes): p50 {p50:.0f} ms, p95 {p95:.0f} ms")
        engine.clear()


if __name__ == "__main__":
    main()
