"""The knowledge sections in the header's main menu.

Every page shows the menu, so the list is cached and forgotten whenever a page is
published, unpublished, moved or deleted: editors see their new section at once, and
no page pays a query for the menu in between.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_KEY = "samspil:knowledge-sections:v1"
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


def knowledge_sections() -> list[MenuItem]:
    items = cache.get(CACHE_KEY)
    if items is None:
        from .models import SectionIndexPage

        site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
        pages = SectionIndexPage.objects.live().child_of(site.root_page).order_by("path") if site else []
        items = [MenuItem(page.title, page.url) for page in pages]
        cache.set(CACHE_KEY, items, CACHE_SECONDS)
    return items


def forget_sections(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def connect() -> None:
    from wagtail.models import Page

    page_published.connect(forget_sections, dispatch_uid="samspil-menu-published")
    page_unpublished.connect(forget_sections, dispatch_uid="samspil-menu-unpublished")
    post_page_move.connect(forget_sections, dispatch_uid="samspil-menu-moved")
    post_delete.connect(forget_sections, sender=Page, dispatch_uid="samspil-menu-deleted")
