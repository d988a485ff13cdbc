"""Public-page benchmark: the home page, a section listing and a guideline page, as an
anonymous visitor, through Django's test client on a throwaway SQLite file (or DATABASE_URL).

For each page: p50/p95 wall clock, CPU time per request (p50; what load on a shared machine
inflates least), queries per request, and the 1-minute load average. Each page is measured
with its caches warm (as nearly every visit is) and once more with the cache emptied before
every request (the first visit after a publish, or a fresh worker process).

    .venv/bin/python bench/pages.py          # or: make bench-pages
    BENCH_ROUNDS=50 .venv/bin/python bench/pages.py

Figures go in the session notes; tests assert query counts, never seconds.
"""

import logging
import os
import warnings

from common import measure, print_header, print_row, setup_django

setup_django()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = [
    ("home", "/"),
    ("section", "/retningslinjer/"),
    ("section+filter", "/retningslinjer/?speciale=geriatri"),
    ("guideline", "/retningslinjer/demensudredning/"),
]


def _is_the_guideline(response):
    assert "Demensudredning" in response.content.decode(), "demo content missing"


def main():
    # The demo's correspondence and referrals warn about organisations without a contact, and
    # the test settings serve no collected static files: neither is what is measured.
    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)
    logging.disable(logging.ERROR)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    logging.disable(logging.NOTSET)
    client = Client(HTTP_HOST="127.0.0.1")
    print_header("page", width=16, path_width=36, with_cpu=True)
    for name, path in PAGES:
        check = _is_the_guideline if name == "guideline" else None
        print_row(name, path, *measure(client, path, check=check, with_cpu=True), width=16, path_width=36)
    for name, path in PAGES:
        figures = measure(client, path, with_cpu=True, before_each=cache.clear)
        print_row(f"{name} (cold)", path, *figures, width=16, path_width=36)


if __name__ == "__main__":
    main()
