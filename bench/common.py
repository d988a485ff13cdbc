"""What the benchmarks share: Django set up on a throwaway database, a signed-in client with
its second factor, and p50/p95 of a page asked through Django's test client.

A benchmark script imports this first (``bench/`` is the script's own folder on sys.path)
and calls ``setup_django()`` before it imports anything that needs the app registry:

    from common import client_for, measure, print_header, print_row, setup_django

    setup_django()

    from portal.accounts.models import User  # noqa: E402

Figures go in the session notes and the README; tests assert query counts, never seconds.
"""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))


def setup_django(
    *, settings: str = "portal.settings.test", temp_sqlite: bool = True, bench_run: bool = False
):
    """Import path, settings and database, then ``django.setup()``.

    ``temp_sqlite``: without DATABASE_URL, a new SQLite file in a temporary folder, so that a
    run never touches the development database. ``bench_run`` raises the rate limits for the
    run (``portal.env.bench_run``; production refuses it).
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    if bench_run:
        os.environ["SAMSPIL_BENCH_RUN"] = "1"
    if temp_sqlite and "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='samspil-bench-')}/bench.sqlite3"
    import django

    django.setup()


def analyze():
    """Fresh planner statistics, as after any bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def client_for(user):
    """A test client signed in as ``user`` with a confirmed second factor, as after a real login."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def forget_clients():
    """The second-factor devices ``client_for`` made in an earlier run on a reused database."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(name="Bench").delete()


def percentiles(timings: list[float]) -> tuple[float, float]:
    """p50 and p95 (nearest rank, rounding down) of timings in ms."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def measure(
    client,
    path: str,
    *,
    rounds: int = ROUNDS,
    check: Callable | None = None,
    with_cpu: bool = False,
    before_each: Callable | None = None,
) -> tuple:
    """p50 and p95 in ms of ``rounds`` GETs of ``path`` after one to warm up, and the queries
    of one more request. ``check(response)`` may assert on the last timed response.

    ``with_cpu`` adds the p50 of this process's CPU time per request: what the request cost
    here (with SQLite, the database's work too; with PostgreSQL, not the server's), which
    other jobs on a shared machine inflate far less than the wall-clock time.

    ``before_each()`` runs before every request, outside the timing (e.g. ``cache.clear`` to
    measure the first visit after a publish).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up: templates, translations, content types
    timings, cpu = [], []
    for _ in range(rounds):
        if before_each is not None:
            before_each()
        begin, begin_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    assert response.status_code == 200, (path, response.status_code)
    if check is not None:
        check(response)
    if before_each is not None:
        before_each()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    p50, p95 = percentiles(timings)
    if with_cpu:
        return p50, p95, len(queries), statistics.median(cpu)
    return p50, p95, len(queries)


def print_header(first: str = "who", width: int = 12, path_width: int = 40, with_cpu: bool = False):
    cpu = f" {'cpu p50':>8}" if with_cpu else ""
    print(
        f"{first:{width}} {'path':{path_width}} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}{cpu} {'load':>6}"
    )


def print_row(
    who: str,
    path: str,
    p50: float,
    p95: float,
    queries: int,
    cpu: float | None = None,
    width: int = 12,
    path_width: int = 40,
):
    """One line of figures; ``load`` is the 1-minute load average as the line is printed: on a
    shared machine a p95 means little without it."""
    load = os.getloadavg()[0]
    cpu_column = f" {cpu:8.1f}" if cpu is not None else ""
    print(
        f"{who:{width}} {path:{path_width}} {p50:8.1f} {p95:8.1f} {queries:8d}{cpu_column} {load:6.1f}",
        flush=True,
    )
