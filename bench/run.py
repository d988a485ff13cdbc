"""Page-render benchmark: p50/p95 time and query count for the public pages.

Run with `make bench` (uses the development database with demo content).
Figures go in the session notes; tests assert query counts, never seconds.
"""

import os

from common import measure, setup_django

# The pages are asked hundreds of times a minute from one address: the search rate limit
# stays in the path but with room for that (portal.env.bench_run; production refuses it).
setup_django(settings="portal.settings.dev", temp_sqlite=False, bench_run=True)

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

PATHS = [
    "/",
    "/retningslinjer/",
    "/retningslinjer/?speciale=geriatri",
    "/retningslinjer/demensudredning/",
    "/retningslinjer/demensudredning/?variant=sygehus",
    "/spoergsmaal-og-svar/spoergsmaal-og-svar-om-konferencer/",
    "/soeg/?q=demens",
]


def _found_demens(response):
    assert b"Demensudredning" in response.content, "the search found nothing: empty index?"


def main():
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # The development settings index through the task queue, which no worker runs here: without
    # a rebuild /soeg/ would be measured on an empty index.
    call_command("search_reindex", "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'path':58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for path in PATHS:
        p50, p95, queries = measure(client, path, check=_found_demens if path.startswith("/soeg/") else None)
        print(f"{path:58} {p50:8.1f} {p95:8.1f} {queries:8d}", flush=True)


if __name__ == "__main__":
    main()
