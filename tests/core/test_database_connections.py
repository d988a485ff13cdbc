"""Database connections are kept between requests (CONN_MAX_AGE), checked before reuse."""

import json
import subprocess
import sys

import pytest

from .test_deploy_check import ROOT, production_environment

SHOW = (
    "import django, json; django.setup(); from django.conf import settings; "
    "d = settings.DATABASES['default']; "
    "print(json.dumps([d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['ATOMIC_REQUESTS']]))"
)


def _database_settings(settings_module: str, **env) -> list:
    # A subprocess, because the settings read the environment once, at import.
    environment = {**production_environment(), "DJANGO_SETTINGS_MODULE": settings_module, **env}
    for name in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        if name not in env:
            environment.pop(name, None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("settings_module", ["portal.settings.production", "portal.settings.dev"])
def test_postgresql_connections_persist_and_are_health_checked(settings_module):
    url = "postgres://samspil:samspil@127.0.0.1:5432/samspil"
    engine, max_age, health_checks, atomic = _database_settings(settings_module, DATABASE_URL=url)
    assert engine == "django.db.backends.postgresql"
    assert max_age == 60 and health_checks is True
    assert atomic is False  # writes are made atomic by portal.core.middleware.AtomicWritesMiddleware


def test_sqlite_keeps_its_connection_too():
    engine, max_age, health_checks, _atomic = _database_settings(
        "portal.settings.production", DATABASE_URL="sqlite:////tmp/samspil-settings-check.sqlite3"
    )
    assert engine == "django.db.backends.sqlite3" and max_age == 60 and health_checks is True


def test_the_environment_can_turn_persistence_off():
    _engine, max_age, health_checks, _atomic = _database_settings(
        "portal.settings.production",
        DATABASE_URL="postgres://samspil:samspil@127.0.0.1:5432/samspil",
        CONN_MAX_AGE="0",
        CONN_HEALTH_CHECKS="false",
    )
    assert max_age == 0 and health_checks is False


def test_sqlite_writes_ahead_so_the_worker_and_the_web_server_do_not_wait_for_each_other(tmp_path):
    """WAL with synchronous=NORMAL (1): a bake reads while a publish writes, and a commit
    appends to the log instead of syncing the database file."""
    show = (
        "import django; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); "
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], "
        "cursor.execute('PRAGMA synchronous').fetchone()[0])"
    )
    environment = {
        **production_environment(),
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", show], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal 1"
