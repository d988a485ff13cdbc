"""Fixtures for the browser tests.

``live_server`` makes every e2e test transactional: the database is flushed after
each test, and with it what migrations put there (Wagtail's root page, the
Moderators group and workflow, the specialties). So every test here runs with
Django's serialized rollback, which restores that data before each test. It must
be every test in the folder: a flush without it re-creates the content types
under new ids, and the next restore then fails with "UNIQUE constraint failed:
django_content_type.app_label, django_content_type.model".

Serialized rollback needs one repair under Playwright. Django keeps the
migrated database as a string on the connection object
(``_test_serialized_contents``), and connection objects live in a context
variable. Starting Playwright's sync API switches the test thread to a new
context, so from then on tests see a fresh connection object without that
string, and the rollback silently restores nothing. ``_e2e_db_snapshot`` takes
the string before the browser starts; ``_e2e_db_snapshot_reattached`` puts it
back on the connection the tests use.
"""

import io

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections


@pytest.fixture(scope="session", autouse=True)
def _e2e_db_snapshot(django_db_setup, django_db_blocker):
    """Django's snapshot of the migrated database, taken before Playwright starts.

    Autouse fixtures are set up before the ones a test asks for, so this runs
    before ``chromium_browser`` (which ``browser_page`` asks for).
    """
    return getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)


@pytest.fixture(scope="session", autouse=True)
def _e2e_db_snapshot_reattached(_e2e_db_snapshot, chromium_browser):
    """The snapshot on the connection object that tests see once the browser runs.

    Session-scoped, so it is set up before any function-scoped database fixture
    restores from it.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if _e2e_db_snapshot is not None and not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = _e2e_db_snapshot


@pytest.fixture(autouse=True)
def _e2e_serialized_rollback(django_db_serialized_rollback):
    """Every e2e test starts from the migrated database (see the module docstring)."""
    from wagtail.models import Page

    if Page.get_first_root_node() is None:
        pytest.fail(
            "The migrated database was not restored before this e2e test (no Wagtail root page):"
            " serialized rollback did not run. See tests/e2e/conftest.py.",
            pytrace=False,
        )


@pytest.fixture
def demo_site(live_server):
    """The demo site (home, five sections, 25 published pages) behind the live server.

    Returns the live server's base URL. Takes a few seconds, so tests that only
    need one page should build it with the page factories instead.
    """
    call_command("load_demo_content", stdout=io.StringIO())
    return live_server.url
