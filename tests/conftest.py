"""Shared fixtures: a session-wide headless Chromium and a fresh page per e2e test.

Locally a missing Chromium skips the e2e tests; under ``CI=true`` it fails them,
so that the browser tests can never silently stop running in CI.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the test thread, which makes
# Django refuse ORM calls there ("SynchronousOnlyOperation") for the rest of the session.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E_DIR = Path(__file__).parent / "e2e"
RESULTS_DIR = Path(__file__).parent.parent / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # /dev/shm is tiny in containers
]
_reports = pytest.StashKey[dict]()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _no_browser(reason: str):
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: e2e tests must run)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Kept for browser_page, which screenshots failed tests.
    item.stash.setdefault(_reports, {})[report.when] = report
    # Under CI a skipped e2e test is a failure (xfail also reports as skipped: leave it).
    if _in_ci() and report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("e2e"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"e2e test skipped under CI=true, which counts as a failure: {reason}"
    return report


@pytest.fixture(scope="session")
def chromium_browser():
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        _no_browser(f"Chromium not found at {path}: install Debian's chromium package")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    except PlaywrightError as exc:
        playwright.stop()
        _no_browser(f"Chromium at {path} failed to launch: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def browser_page(request, chromium_browser, live_server):
    from playwright.sync_api import Error as PlaywrightError

    context = chromium_browser.new_context(
        locale="da-DK", timezone_id="Europe/Copenhagen", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    call = request.node.stash.get(_reports, {}).get("call")
    if call is not None and call.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
        except PlaywrightError:
            pass  # a screenshot is a nicety; never mask the real failure
    # Nothing may reach the live server once the test is over: its database is being
    # flushed. Leaving a Wagtail edit page sends a beacon (editing-sessions/release) on
    # unload, which raced the flush in CI ("couldn't be flushed") and left rows behind
    # for every later test. So unload the page here, with every request aborted.
    try:
        context.route("**/*", lambda route: route.abort())
        page.goto("about:blank")
    except PlaywrightError:
        pass  # a page that is already gone sends nothing
    context.close()


@pytest.fixture
def axe_check():
    """``axe_check(page)`` fails the test on serious or critical axe-core violations."""
    from tests.e2e.axe import assert_no_serious_axe_violations

    return assert_no_serious_axe_violations


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and other cached state must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
