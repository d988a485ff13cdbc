"""A real nginx in front of Django's live server, with the project's config (ops/nginx).

Started without root: its own prefix in a temporary directory, a free port, ``daemon off``.
Used by tests/content/test_nginx.py, the e2e tests of baked pages and bench/baked.py.
Without nginx the tests skip locally and fail under ``CI=true`` (.ci/run installs it).
"""

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

NGINX = os.environ.get("NGINX_PATH") or shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_available() -> bool:
    return os.access(NGINX, os.X_OK)


def require_nginx() -> None:
    """Skip without nginx locally; fail under CI=true, where .ci/run installs it."""
    import pytest

    if nginx_available():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("nginx is not installed (CI=true: the nginx tests must run)", pytrace=False)
    pytest.skip("nginx is not installed (apt-get install nginx-light)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@contextmanager
def running_nginx(config_text: str, prefix: Path, port: int):
    """Write ``config_text`` under ``prefix``, start nginx with it and stop it afterwards."""
    prefix.mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(config_text)
    error_log = prefix / "error.log"
    check = subprocess.run(  # noqa: S603
        [NGINX, "-t", "-p", str(prefix), "-e", str(error_log), "-c", str(config)],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the config:\n{check.stderr}")
    process = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(prefix), "-e", str(error_log), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def project_nginx(
    *, upstream: str, bake_root: Path, prefix: Path, static_root: Path | None = None, **options
):
    """The project's config (``content.baking.nginx``) in front of ``upstream`` (host:port)."""
    from content.baking.nginx import render_config

    port = free_port()
    if os.geteuid() == 0:
        options.setdefault("user", "root")
    text = render_config(
        listen=f"127.0.0.1:{port}",
        upstream=upstream,
        prefix=prefix,
        bake_root=bake_root,
        static_root=static_root,
        worker_processes="1",
        **options,
    )
    with running_nginx(text, prefix, port) as url:
        yield url
