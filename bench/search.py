"""Search benchmark: p50/p95 of /api/v1/search through Django, bulk reindex throughput,
and publish-to-searchable time.

    .venv/bin/python bench/search.py                      # database (SQLite or DATABASE_URL)
    OPENSEARCH_URL=http://127.0.0.1:9250 .venv/bin/python bench/search.py   # and the engine

Runs on a throwaway SQLite database in a temp folder (or the DATABASE_URL database, whose
search tables it empties), with generated Danish documents: BENCH_DB_DOCS (50,000) for the
database, BENCH_ENGINE_DOCS (100,000) for OpenSearch. Figures go in the session notes.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from search.documents import IndexDocument, TaxonomyValue  # noqa: E402

DB_DOCS = int(os.environ.get("BENCH_DB_DOCS", "50000"))
ENGINE_DOCS = int(os.environ.get("BENCH_ENGINE_DOCS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
QUERIES = [
    "demens",
    "åndenød",
    "kol",
    "blodprop i hjertet",
    "hjertesvigt almen praksis",
    "demnes",
    "sukkersyge",
]
WORDS = (
    "patient udredning behandling henvisning sygehus almen praksis ældre demens åndenød hjertesvigt kol "
    "diabetes blodtryk infektion antibiotika smerter feber hoste træthed svimmelhed konference opfølgning "
    "medicin kontrol blodprøve røntgen skanning ambulatorium indlæggelse udskrivelse pårørende plan "
    "lungesygdom nyrefunktion hukommelse kognitiv depression angst fald skrøbelighed"
).split()
SECTORS = [TaxonomyValue("almen-praksis", "Almen praksis"), TaxonomyValue("sygehus", "Sygehus")]
SPECIALTIES = [TaxonomyValue(s, s) for s in ("geriatri", "kardiologi", "lungesygdomme", "neurologi")]
TYPES = ["guideline", "case", "faq", "auditmaterial", "thinksmartreview"]


def generated(n: int, start: int = 1):
    rng = random.Random(42)  # noqa: S311 - reproducible test data, not secrets
    for i in range(start, start + n):
        text = lambda k: " ".join(rng.choice(WORDS) for _ in range(k))  # noqa: E731
        yield IndexDocument(
            page_id=i,
            type=rng.choice(TYPES),
            title=f"{text(3).capitalize()} {i}",
            url=f"/bench/{i}/",
            summary=text(25),
            body=text(120),
            body_general_practice=text(60),
            body_hospital=text(60),
            sectors=rng.sample(SECTORS, rng.randint(1, 2)),
            specialties=rng.sample(SPECIALTIES, rng.randint(1, 2)),
        )


def timed_requests(client) -> tuple[float, float, str]:
    timings, backend = [], ""
    for round_ in range(ROUNDS):
        query = QUERIES[round_ % len(QUERIES)]
        start = time.perf_counter()
        response = client.get("/api/v1/search", {"q": query})
        timings.append((time.perf_counter() - start) * 1000)
        backend = response.json()["backend"]
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], backend


def fill_database(n: int) -> float:
    """Index rows without pages: foreign keys are off for the benchmark's throwaway data."""
    from search.backends import database_backend

    backend = database_backend()
    start = time.perf_counter()
    with connection.constraint_checks_disabled(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")  # no FK triggers
        backend.clear()
        backend.index(list(generated(n)))
    return n / (time.perf_counter() - start)


def main():
    call_command("migrate", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    engine_url = settings.OPENSEARCH_URL
    settings.OPENSEARCH_URL = ""
    print(f"database ({connection.vendor}): indexing {DB_DOCS} documents ...", flush=True)
    rate = fill_database(DB_DOCS)
    p50, p95, backend = timed_requests(client)
    line = "{:10} {:>7} docs  index {:8,.0f} docs/s  search p50 {:6.1f} ms  p95 {:6.1f} ms"
    print(line.format(backend, DB_DOCS, rate, p50, p95))
    if engine_url:
        from search.backends import engine_backend

        settings.OPENSEARCH_URL = engine_url
        settings.OPENSEARCH_INDEX = "bench"
        engine = engine_backend()
        start = time.perf_counter()
        count, _name = engine.rebuild(documents=generated(ENGINE_DOCS), chunk_size=2000)
        rate = count / (time.perf_counter() - start)
        p50, p95, backend = timed_requests(client)
        print(line.format(backend, count, rate, p50, p95))
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
            f"publish-to-searchable (engine write + visible): p50 {statistics.median(latencies):.0f} ms, "
            f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms"
        )
        engine.clear()


if __name__ == "__main__":
    main()
