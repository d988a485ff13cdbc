"""Rendering pages as an anonymous visitor and writing them to the bake directory."""

import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.utils import translation

from . import fingerprint, store
from .targets import Target, all_targets, all_targets_with_pages, bakeable_pages, targets_for_page

logger = logging.getLogger(__name__)

# The header bakes the anonymous visitor's forms (the language switch); a CSRF token rendered
# for the bake would match nobody's cookie and change the bytes on every bake. It is emptied
# here and filled in by the browser from /konto/status.json (static/js/samspil.js).
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
BAKE_HEADER = "HTTP_X_SAMSPIL_BAKE"


def enabled() -> bool:
    return bool(settings.BAKE_ROOT)


class Renderer:
    """One anonymous client for a run: no cookie, no session, so nothing per user is rendered."""

    def __init__(self):
        site = urlsplit(settings.SITE_URL)
        self.client = Client(
            HTTP_HOST=site.netloc or "localhost", raise_request_exception=False, **{BAKE_HEADER: "1"}
        )
        self.secure = site.scheme == "https"

    def render(self, target: Target) -> bytes | None:
        response = self.client.get(target.url, secure=self.secure)
        # Never keep what a visitor's cookie came back with (the client sends none; this is the lock).
        self.client.cookies.clear()
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            logger.info("bake: %s answered %s, not baked", target.url, response.status_code)
            return None
        if settings.SESSION_COOKIE_NAME in response.cookies:
            logger.error("bake: %s started a session, not baked", target.url)
            return None
        return _CSRF_INPUT.sub(rb"\1\2", response.content)


def _forget_caches() -> None:
    """The task may run in another process (the db_worker) whose cached listings and menus the
    publishing process cannot reach: start from the database."""
    from content import freshness, navigation

    freshness.forget()
    navigation.forget_menus()


def bake_targets(targets, *, progress=None, fingerprints=None, skip_unchanged=False) -> set[Target]:
    """Render and write ``targets``; returns those baked (or still fresh). A page that no longer
    renders (a restriction, an error) has its old file removed instead of being left behind.

    ``fingerprints`` (target → the data its listing shows) are written into the listing files;
    with ``skip_unchanged``, a listing whose file already carries its fingerprint is not
    rendered again (``fingerprint``)."""
    renderer = Renderer()
    fingerprints = fingerprints or {}
    baked = set()
    # The bake may run inside an editor's request: keep her language when it is done.
    with translation.override(translation.get_language()):
        for target in targets:
            mark = fingerprints.get(target)
            if skip_unchanged and mark and fingerprint.marked_with(store.file_for(target), mark):
                baked.add(target)
            else:
                content = renderer.render(target)
                if content is None:
                    store.remove(target)
                else:
                    store.write(target, fingerprint.mark(content, mark) if mark else content)
                    baked.add(target)
            if progress:
                progress(target)
    return baked


def _fingerprints(pages_and_targets) -> dict[Target, str]:
    """The listing fingerprint of every filter variant among the targets."""
    from content.models import SectionIndexPage

    return {
        target: fingerprint.listing_fingerprint(page, target.query)
        for page, target in pages_and_targets
        if target.query and isinstance(page, SectionIndexPage)
    }


def bake_all(*, progress=None, pairs=None) -> tuple[int, int]:
    """Bake every public page and remove what is no longer one; returns (baked, removed).
    Renders everything, fingerprinted or not: this is the run after a deploy's new templates."""
    _forget_caches()
    pairs = all_targets_with_pages() if pairs is None else pairs  # (page, target), as listed
    targets = [target for _page, target in pairs]
    baked = bake_targets(targets, progress=progress, fingerprints=_fingerprints(pairs))
    removed = store.prune(baked)
    return len(baked), removed


def _changes_every_page(page) -> bool:
    """Sections and information pages are in every page's menus and footer, the home page is
    the root of them: such a change re-bakes everything."""
    from content.models import HomePage, InformationPage, SectionIndexPage

    return page.depth <= 3 or isinstance(page.specific, (HomePage, InformationPage, SectionIndexPage))


def bake_pages(page_ids, *, ancestor_ids=()) -> tuple[int, int]:
    """Re-bake the pages ``page_ids`` with their subtrees, the listings and home page above them
    (and ``ancestor_ids``, the former parents of a moved or deleted page), then prune what is no
    longer public. Returns (baked, removed)."""
    from wagtail.models import Page

    _forget_caches()
    pages = list(Page.objects.filter(pk__in=page_ids))
    if any(_changes_every_page(page) for page in pages):
        return bake_all()
    wanted = Page.objects.none()
    for page in pages:
        wanted |= Page.objects.descendant_of(page, inclusive=True) | Page.objects.ancestor_of(page)
    if ancestor_ids:
        for page in Page.objects.filter(pk__in=ancestor_ids):
            wanted |= Page.objects.ancestor_of(page, inclusive=True)
    pairs = [(page, target) for page in bakeable_pages(wanted) for target in targets_for_page(page)]
    # The addresses most read first (the page, its listing and home without a filter), so that
    # a visitor sees the publish while the listing's filter variants are still being baked.
    pairs.sort(key=lambda pair: pair[1].query != "")
    targets = [target for _page, target in pairs]
    baked = bake_targets(targets, fingerprints=_fingerprints(pairs), skip_unchanged=True)
    # Listing every public address costs no rendering: it finds what must go (an unpublished,
    # moved or deleted page's files) without knowing where the page used to be.
    removed = store.prune(set(all_targets()))
    return len(baked), removed
