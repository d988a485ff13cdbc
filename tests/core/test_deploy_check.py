"""`manage.py check --deploy` with the production settings reports nothing, not even a warning."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_environment() -> dict:
    """What a deployment must set, with fresh random secrets (as .ci/run does)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="samspil.example",
        SITE_URL="https://samspil.example",
        CPR_ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        CPR_BLIND_INDEX_KEY=secrets.token_urlsafe(48),
    )
    # The defaults are what is checked, not whatever the developer's shell overrides; the
    # async escape hatch is the test suite's own (tests/conftest.py), never production's.
    for name in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return env


def test_deploy_check_with_production_settings_is_clean():
    # A subprocess, because production settings read the environment once, at import.
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=portal.settings.production",
        ],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_turn_on_hsts_and_https_only(monkeypatch):
    import importlib

    for name, value in production_environment().items():
        monkeypatch.setenv(name, value)
    production = importlib.reload(importlib.import_module("portal.settings.production"))
    assert production.SECURE_HSTS_SECONDS >= 31_536_000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS and production.SECURE_HSTS_PRELOAD
    assert production.SECURE_SSL_REDIRECT
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
