"""Baked public pages in Chromium, through the project's nginx in front of the live server.

An editor's publish reaches the baked page within 2 s; a logged-in user sees her name in the
header of a baked page (fetched after load, the file stays anonymous); what she opens behind
login is never written to the bake directory.
"""

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from content import baking
from tests.accounts.factories import UserFactory
from tests.content.factories import GuidelinePageFactory
from tests.e2e.test_editor import PASSWORD, TIMEOUT, _log_in_to_the_admin
from tests.nginx import project_nginx, require_nginx

SLUG = "bagt-retningslinje"


@pytest.fixture
def baked_site(live_server, settings, tmp_path):
    require_nginx()
    settings.BAKE_ROOT = str(tmp_path / "baked")
    GuidelinePageFactory(title="Før udgivelsen", slug=SLUG)
    baking.bake_all()
    with project_nginx(
        upstream=urlsplit(live_server.url).netloc,
        bake_root=tmp_path / "baked",
        prefix=tmp_path / "nginx",
        static_root=Path(django_settings.BASE_DIR) / "static",
    ) as url:
        yield url, tmp_path / "baked"


def test_an_editors_publish_reaches_the_baked_page_within_two_seconds(
    browser_page, chromium_browser, baked_site
):
    from content.models import GuidelinePage

    url, root = baked_site
    moderators = Group.objects.get(name="Moderators")
    author = UserFactory(email="forfatter@samspil.test", password=PASSWORD)
    author.groups.add(moderators)
    editor = UserFactory(email="redaktoer@samspil.test", password=PASSWORD)
    editor.groups.add(moderators)
    authenticator = TOTPDevice.objects.create(user=editor, name="Godkendelsesapp", confirmed=True)
    # The author's change waits for a colleague (the two-person rule); the colleague publishes.
    guideline = GuidelinePage.objects.get(slug=SLUG)
    guideline.title = "Efter udgivelsen"
    guideline.save_revision(user=author)
    guideline.get_workflow().start(guideline, author)

    page = browser_page
    page.set_default_timeout(TIMEOUT)
    _log_in_to_the_admin(page, url, editor, authenticator)  # the admin through nginx too
    page.goto(f"{url}/admin/pages/{guideline.pk}/edit/")
    footer = page.locator("footer .actions--primary")
    footer.locator("button.w-dropdown__toggle").click()
    footer.get_by_role("button", name="Godkend og Publicér", exact=True).click()
    expect(page.locator(".messages .success")).to_contain_text("Efter udgivelsen", timeout=TIMEOUT)
    published = time.monotonic()

    visitor_context = chromium_browser.new_context(locale="da-DK")
    try:
        visitor = visitor_context.new_page()
        while True:
            response = visitor.goto(f"{url}/retningslinjer/{SLUG}/")
            heading = visitor.get_by_role("heading", level=1).inner_text()
            if heading == "Efter udgivelsen" or time.monotonic() - published > 2:
                break
            time.sleep(0.1)
        assert heading == "Efter udgivelsen", f"still {heading!r} 2 s after the publish"
        assert response.headers.get("x-samspil-baked") == "1"  # from the file, not from Django
        listing = visitor.goto(f"{url}/retningslinjer/")
        assert listing.headers.get("x-samspil-baked") == "1"
        expect(visitor.get_by_role("link", name="Efter udgivelsen")).to_be_visible()
    finally:
        visitor_context.close()
    assert "Efter udgivelsen" in (root / "retningslinjer" / SLUG / "index.html").read_text()


def test_a_logged_in_user_sees_her_name_on_a_baked_page_and_her_pages_are_never_baked(
    browser_page, baked_site
):
    url, root = baked_site
    UserFactory(email="karen@samspil.test", password=PASSWORD, first_name="Karen", last_name="Blixen")
    page = browser_page
    page.goto(f"{url}/log-ind/")
    page.locator("input[name=username]").fill("karen@samspil.test")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile(r"/overblik/$"))
    page.goto(f"{url}/konto/")

    response = page.goto(f"{url}/retningslinjer/{SLUG}/")
    assert response.headers.get("x-samspil-baked") == "1"
    header = page.locator(".portal-user")
    expect(header).to_contain_text("Karen Blixen")
    expect(header.get_by_role("button", name="Log ud")).to_be_visible()
    expect(header.get_by_role("link", name="Log ind")).to_have_count(0)
    # The file everyone gets stays the anonymous one.
    baked_html = (root / "retningslinjer" / SLUG / "index.html").read_text()
    assert "Karen Blixen" not in baked_html and "Log ind" in baked_html
    # Logging out from the baked page works: the form got her CSRF token from the status fetch.
    header.get_by_role("button", name="Log ud").click()
    page.goto(f"{url}/retningslinjer/{SLUG}/")
    expect(page.locator(".portal-user").get_by_role("link", name="Log ind")).to_be_visible()

    # Private addresses she opened were answered by Django and never reached the bake directory.
    files = ["/" + str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()]
    assert files and not [f for f in files if f.startswith(tuple(django_settings.NEVER_BAKED_PREFIXES))]
