"""The header's main menu (the knowledge sections, the meetings, the collaboration directory);
the footer's information pages.

Every page shows both, so they are cached and forgotten whenever a page is published,
unpublished, moved or deleted: editors see their change at once, and no page pays a
query for the menus in between.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_KEY = "samspil:menus:v3"
# Each worker process caches for itself unless CACHES is shared (settings.production): a
# publish clears only its own process at once, the others within these minutes.
CACHE_SECONDS = 5 * 60


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


@dataclass(frozen=True)
class Menus:
    sections: list[MenuItem]
    footer: list[MenuItem]  # information pages with "Show in menus" ticked


def _menus() -> Menus:
    menus = cache.get(CACHE_KEY)
    if menus is None:
        from wagtail.models import Page

        from .models import CollaborationDirectoryPage, EventIndexPage, InformationPage, SectionIndexPage

        site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
        sections, footer = [], []
        if site is not None:
            # The knowledge sections, and the meetings and the directory after them (tree order).
            sections = (
                Page.objects.type(SectionIndexPage, EventIndexPage, CollaborationDirectoryPage)
                .live()
                .public()
                .child_of(site.root_page)
                .order_by("path")
            )
            footer = (
                InformationPage.objects.live().public().in_menu().child_of(site.root_page).order_by("path")
            )
        menus = Menus(
            sections=[MenuItem(page.title, page.url) for page in sections],
            footer=[MenuItem(page.title, page.url) for page in footer],
        )
        cache.set(CACHE_KEY, menus, CACHE_SECONDS)
    return menus


def knowledge_sections() -> list[MenuItem]:
    return _menus().sections


def footer_pages() -> list[MenuItem]:
    return _menus().footer


def forget_menus(instance=None, **kwargs) -> None:
    """Only a menu page (a section, the meetings, a directory, an information page) changes the
    menus; a guideline published leaves them."""
    from .models import CollaborationDirectoryPage, EventIndexPage, InformationPage, SectionIndexPage

    page_class = getattr(instance, "specific_class", None) or type(instance)
    menu_pages = (SectionIndexPage, EventIndexPage, CollaborationDirectoryPage, InformationPage)
    if instance is None or issubclass(page_class, menu_pages):
        cache.delete(CACHE_KEY)


def connect() -> None:
    from wagtail.models import Page

    page_published.connect(forget_menus, dispatch_uid="samspil-menu-published")
    page_unpublished.connect(forget_menus, dispatch_uid="samspil-menu-unpublished")
    post_page_move.connect(forget_menus, dispatch_uid="samspil-menu-moved")
    post_delete.connect(forget_menus, sender=Page, dispatch_uid="samspil-menu-deleted")
