"""One token that changes whenever what the public listings show may have changed.

Section listings and the classification shown on a knowledge page are read from Django's
cache under keys that include this token (``content.selectors``). Publishing, unpublishing,
moving, saving or deleting a page, editing a specialty, sector or topic, or changing a view
restriction gives a new token, so every such entry is forgotten at once, without knowing
which sections a change touched. Each worker process holds its own token unless CACHES is
shared (settings.base), so another process sees the change within ``CACHE_SECONDS``, as the
menus do (``content.navigation``).
"""

import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "samspil:knowledge:generation"
CACHE_SECONDS = 5 * 60


def token() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        # add, not set: two requests that both found no token agree on the first one written.
        if not cache.add(GENERATION_KEY, value, CACHE_SECONDS):
            value = cache.get(GENERATION_KEY) or value
    return value


def forget(**kwargs) -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, CACHE_SECONDS)


def _forget_on_page_save(sender, instance=None, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        forget()


def connect() -> None:
    from wagtail.models import Page, PageViewRestriction

    from portal.accounts.models import Specialty

    from .models import Sector, Topic

    page_published.connect(forget, dispatch_uid="samspil-freshness-published")
    page_unpublished.connect(forget, dispatch_uid="samspil-freshness-unpublished")
    post_page_move.connect(forget, dispatch_uid="samspil-freshness-moved")
    post_delete.connect(forget, sender=Page, dispatch_uid="samspil-freshness-deleted")
    # A page saved without publishing (an import, a script) may change its live taxonomy.
    post_save.connect(_forget_on_page_save, dispatch_uid="samspil-freshness-page-saved")
    for model in (Specialty, Sector, Topic, PageViewRestriction):
        uid = f"samspil-freshness-{model._meta.label_lower}"
        post_save.connect(forget, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(forget, sender=model, dispatch_uid=f"{uid}-deleted")
