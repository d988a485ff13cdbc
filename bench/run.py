"""Page-render benchmark: p50/p95 time and query count for the public pages.

Run with `make bench` (uses the development database with demo content).
Figures go in the session notes; tests assert query counts, never seconds.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
# The pages are asked hundreds of times a minute from one address: the search rate limit
# stays in the path but with room for that (portal.env.bench_run; production refuses it).
os.environ["SAMSPIL_BENCH_RUN"] = "1"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
PATHS = [
    "/",
    "/retningslinjer/",
    "/retningslinjer/?speciale=geriatri",
    "/retningslinjer/demensudredning/",
    "/retningslinjer/demensudredning/?variant=sygehus",
    "/spoergsmaal-og-svar/spoergsmaal-og-svar-om-konferencer/",
    "/soeg/?q=demens",
]


def main():
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # The development settings index through the task queue, which no worker runs here: without
    # a rebuild /soeg/ would be measured on an empty index.
    call_command("search_reindex", "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'path':58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for path in PATHS:
        client.get(path)  # warm up
        timings = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        if path.startswith("/soeg/"):
            assert b"Demensudredning" in response.content, "the search found nothing: empty index?"
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{path:58} {statistics.median(timings):8.1f} {p95:8.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
