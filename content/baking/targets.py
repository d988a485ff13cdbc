"""Which addresses are baked, and the rule that keeps private ones out.

A target is a path and at most one query parameter: the filters a visitor reaches with one
click from a section listing (``?speciale=``, ``?sektor=``, ``?emne=``, each value the listing
offers), the listing's further pages (``?side=2`` …) and a guideline's single variant
(``?variant=``). Combinations of two filters are rarer and stay with Django. The nginx config
maps exactly these queries to files (``QUERY_PATTERN`` is rendered into it), so a query the
bake never writes can never be answered from disk.
"""

import logging
import math
import re
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from wagtail.models import Page, Site

QUERY_PARAMS = ("speciale", "sektor", "emne", "variant", "side")
QUERY_PATTERN = r"^(speciale|sektor|emne|variant|side)=[A-Za-z0-9-]{1,120}$"
_QUERY_RE = re.compile(QUERY_PATTERN)
logger = logging.getLogger(__name__)


class BakeRefused(ValueError):
    """An address that must never be written to the bake directory."""


@dataclass(frozen=True, order=True)
class Target:
    path: str
    query: str = ""

    def __post_init__(self):
        refuse_unbakeable(self.path, self.query)

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    def relative_file(self) -> str:
        """``/retningslinjer/?speciale=geriatri`` → ``retningslinjer/index__speciale=geriatri.html``."""
        directory = unquote(self.path).strip("/")
        name = f"index__{self.query}.html" if self.query else "index.html"
        return f"{directory}/{name}" if directory else name


def is_never_baked(path: str) -> bool:
    decoded = unquote(path).lower()
    return any(decoded.startswith(prefix.lower()) for prefix in settings.NEVER_BAKED_PREFIXES)


def refuse_unbakeable(path: str, query: str = "") -> None:
    """Raise ``BakeRefused`` for a private prefix, an odd path or a query nginx would not map."""
    if is_never_baked(path):
        raise BakeRefused(f"{path} is under a prefix that is never baked")
    decoded = unquote(path)
    if not decoded.startswith("/") or not decoded.endswith("/") or "\\" in decoded or "\0" in decoded:
        raise BakeRefused(f"{path} is not a page address")
    if any(part in (".", "..") or part.startswith(".") for part in decoded.strip("/").split("/") if part):
        raise BakeRefused(f"{path} has a hidden or relative part")
    if query and not _QUERY_RE.match(query):
        raise BakeRefused(f"{query!r} is not a baked query")


def bakeable_page_models() -> tuple:
    from content.models import (
        KNOWLEDGE_PAGE_MODELS,
        CollaborationDirectoryPage,
        HomePage,
        InformationPage,
        SectionIndexPage,
    )

    return (HomePage, SectionIndexPage, InformationPage, CollaborationDirectoryPage, *KNOWLEDGE_PAGE_MODELS)


def bakeable_pages(queryset=None):
    """Live pages any visitor may see (no view restriction on them or above), of the page types
    whose output depends on nothing but the page and its query."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return Page.objects.none()
    queryset = queryset if queryset is not None else Page.objects.all()
    return (
        queryset.descendant_of(site.root_page, inclusive=True)
        .live()
        .public()
        .type(*bakeable_page_models())
        .specific()
        .order_by("path")
    )


def _page_path(page) -> str | None:
    parts = page.get_url_parts()
    if parts is None:
        return None
    _site_id, _root, path = parts
    return path


def targets_for_page(page) -> list[Target]:
    """The page itself and its one-click variants; none when Wagtail gives it no address or
    it lies under a prefix that is never baked (a page that would shadow /konto/ stays Django's)."""
    from content.models import GuidelinePage, SectionIndexPage

    path = _page_path(page)
    if not path or is_never_baked(path):
        return []
    queries = [""]
    if isinstance(page, GuidelinePage):
        queries += [f"variant={variant}" for variant in page.VARIANTS]
    elif isinstance(page, SectionIndexPage):
        from content.selectors import SectionFilter, section_listing

        listing = section_listing(section=page, chosen=SectionFilter())
        for facet, values in listing.facets.items():
            param = SectionFilter.PARAMS[facet]
            queries += [f"{param}={value.slug}" for value in values]
        pages = math.ceil(len(listing.pages) / page.PAGE_SIZE)
        queries += [f"side={number}" for number in range(2, pages + 1)]
    targets = []
    for query in queries:
        if query and not _QUERY_RE.match(query):
            continue  # a slug with letters nginx does not map: that filter stays dynamic
        try:
            targets.append(Target(path, query))
        except BakeRefused:
            logger.warning("bake: %s?%s refused, left to Django", path, query)
    return targets


def all_targets_with_pages() -> list[tuple]:
    return [(page, target) for page in bakeable_pages() for target in targets_for_page(page)]


def all_targets() -> list[Target]:
    return [target for _page, target in all_targets_with_pages()]
