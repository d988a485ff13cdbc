"""Fixtures for the browser tests.

``live_server`` makes every e2e test transactional: the database is flushed after
each test, and with it what migrations put there (Wagtail's root page, the
Moderators group and workflow, the specialties). Tests that need that data mark
themselves ``django_db(transaction=True, serialized_rollback=True)``, which
restores it before each test.
"""

import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(live_server):
    """The demo site (home, five sections, 25 published pages) behind the live server.

    Returns the live server's base URL. Takes a few seconds, so tests that only
    need one page should build it with the page factories instead.
    """
    call_command("load_demo_content", stdout=io.StringIO())
    return live_server.url
