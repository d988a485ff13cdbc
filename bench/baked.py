"""Baked pages (issue 16): nginx with the project's config against nginx serving a plain file,
and how long a publish takes to reach the baked page and its listing.

1. Requests/s of one baked guideline page through ops/nginx (try_files, maps, headers, ETag)
   and of the same bytes from a plain file with a minimal nginx config, in one run, rounds
   alternating; the goal is a ratio of at least 0.9. Neither wrk nor ab is installed here, so
   the load comes from a small Python generator: BENCH_CONNECTIONS keep-alive connections, each
   in its own thread on a raw socket (no http.client parsing), over BENCH_SECONDS per round. It
   shares the two cores with nginx, so the absolute figures are the generator's ceiling as much
   as nginx's; the ratio is what is compared.
2. Publish → fresh: an editor's publish in this process, the task worker (`manage.py db_worker`)
   bakes, nginx serves; the time until both the page and its section listing show the new title,
   over BENCH_PUBLISHES publishes, p50/p95 (goal p95 ≤ 2 s).

bakerydemo is not on the package index this machine can reach, so the issue's comparison with
its blog page is not made here.

A temporary SQLite database and bake directory; the demo content loaded into it.
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, percentiles, setup_django

WORK = Path(tempfile.mkdtemp(prefix="samspil-bench-baked-"))
os.environ["BAKE_ROOT"] = str(WORK / "baked")
# The publish runs through the database task queue and a real worker, as in production.
setup_django(settings="portal.settings.dev", temp_sqlite=True, bench_run=True)

from django.core.management import call_command  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.nginx import free_port, nginx_available, project_nginx, running_nginx  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_BAKED_ROUNDS", "3"))
PUBLISHES = int(os.environ.get("BENCH_PUBLISHES", "20"))
PAGE = "/retningslinjer/demensudredning/"

PLAIN_CONFIG = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    default_type text/html;
    access_log off;
    sendfile on;
    keepalive_requests 10000;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def _load(port: int, path: str, seconds: float, connections: int) -> float:
    """Requests/s of GET ``path`` on ``connections`` keep-alive connections for ``seconds``."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    counts = [0] * connections
    stop = time.perf_counter() + seconds

    def connect():
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def receive(sock, buffer):
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionResetError("closed")
        return buffer + chunk

    def worker(index):
        # nginx closes a keep-alive connection after keepalive_requests: open a new one then.
        sock, buffer = connect(), b""
        while time.perf_counter() < stop:
            try:
                sock.sendall(request)
                while b"\r\n\r\n" not in buffer:
                    buffer = receive(sock, buffer)
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    raise RuntimeError(head[:200])
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                while len(buffer) < length:
                    buffer = receive(sock, buffer)
                buffer = buffer[length:]
                counts[index] += 1
                if b"connection: close" in head.lower():
                    raise ConnectionResetError("closed after this response")
            except (ConnectionResetError, BrokenPipeError):
                sock.close()
                sock, buffer = connect(), b""
        sock.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - begin)


def _fetch(port: int, path: str) -> bytes:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return body


def throughput(project_url: str, bake_root: Path) -> None:
    page_file = bake_root / PAGE.strip("/") / "index.html"
    plain_root = WORK / "plain"
    plain_root.mkdir()
    (plain_root / "page.html").write_bytes(page_file.read_bytes())
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    config = PLAIN_CONFIG.format(prefix=WORK / "plain-nginx", port=port, root=plain_root, user=user)
    project_port = int(project_url.rsplit(":", 1)[1])
    with running_nginx(config, WORK / "plain-nginx", port):
        assert _fetch(port, "/page.html") == _fetch(project_port, PAGE), "not the same bytes"
        project, plain = [], []
        for _ in range(ROUNDS):
            project.append(_load(project_port, PAGE, SECONDS, CONNECTIONS))
            plain.append(_load(port, "/page.html", SECONDS, CONNECTIONS))
    best_project, best_plain = max(project), max(plain)
    print(f"load: Python generator, {CONNECTIONS} keep-alive connections, {ROUNDS} rounds of {SECONDS:.0f} s")
    for label, runs in (("baked page, project config", project), ("same bytes, plain file", plain)):
        rounds = ", ".join(f"{r:.0f}" for r in runs)
        print(f"{label:40} {max(runs):10.0f} req/s  (rounds: {rounds})")
    print(f"{'ratio (goal >= 0.9)':40} {best_project / best_plain:10.2f}")


def publish_to_fresh(project_url: str) -> None:
    from django_tasks_db.models import DBTaskResult

    from content.models import GuidelinePage

    project_port = int(project_url.rsplit(":", 1)[1])
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--interval", "0.05"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(2)  # the worker's start
        page = GuidelinePage.objects.get(url_path__endswith=PAGE)
        listing = PAGE.rsplit("/", 2)[0] + "/"
        timings, complete, publishing = [], [], []
        bake_tasks = DBTaskResult.objects.filter(task_path__contains="baking")
        # One publish first, not counted: the worker's start and its first task (imports,
        # templates) are not what a publish costs once the site runs.
        for number in range(-1, PUBLISHES):
            title = f"Demensudredning, udgave {number + 2}"
            page.title = title
            begin = time.perf_counter()
            page.save_revision().publish()
            if number >= 0:
                publishing.append((time.perf_counter() - begin) * 1000)
            expected = title.encode()
            while True:
                if expected in _fetch(project_port, PAGE) and expected in _fetch(project_port, listing):
                    break
                if time.perf_counter() - begin > 30:
                    raise RuntimeError(f"publish {number + 1} not baked after 30 s")
                time.sleep(0.01)
            fresh = (time.perf_counter() - begin) * 1000
            # And until the task is done: every filter variant of the listing re-baked too.
            while bake_tasks.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
                if time.perf_counter() - begin > 60:
                    raise RuntimeError(f"publish {number + 1}: the bake task still runs after 60 s")
                time.sleep(0.01)
            if number >= 0:
                timings.append(fresh)
                complete.append((time.perf_counter() - begin) * 1000)
        p50, p95 = percentiles(timings)
        all50, all95 = percentiles(complete)
        print(f"publish -> page and listing fresh through nginx ({PUBLISHES} publishes, goal p95 <= 2000 ms)")
        print(f"{'  page and unfiltered listing served':40} p50 {p50:6.0f} ms   p95 {p95:6.0f} ms")
        print(f"{'  every filter variant re-baked too':40} p50 {all50:6.0f} ms   p95 {all95:6.0f} ms")
        runs = list(bake_tasks.exclude(finished_at=None).order_by("-enqueued_at")[:PUBLISHES])
        waits = [(r.started_at - r.enqueued_at).total_seconds() * 1000 for r in runs]
        bakes = [(r.finished_at - r.started_at).total_seconds() * 1000 for r in runs]
        print(f"{'  of which the publish itself':40} p50 {percentiles(publishing)[0]:6.0f} ms")
        print(f"{'  of which the queue (enqueued → started)':40} p50 {percentiles(waits)[0]:6.0f} ms")
        print(f"{'  the bake task (started → finished)':40} p50 {percentiles(bakes)[0]:6.0f} ms")
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def main():
    if not nginx_available():
        print("nginx is not installed (apt-get install nginx-light): bench-baked skipped")
        return
    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # The demo's publishes queued bake tasks of their own: one full bake replaces them all.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    call_command("bake", "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    bake_root = Path(os.environ["BAKE_ROOT"])
    print("bakerydemo: not installable here (not on the reachable package index); no comparison made")
    with project_nginx(upstream="127.0.0.1:9", bake_root=bake_root, prefix=WORK / "project-nginx") as url:
        throughput(url, bake_root)
        publish_to_fresh(url)


if __name__ == "__main__":
    main()
