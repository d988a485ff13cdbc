"""Re-baking after a change: signal handlers queue one task after the change commits.

Publish, unpublish, move and delete re-bake the page, its subtree and the listings and home page
above it (``bake.bake_pages``), in one task, so the listing never lags the page. A specialty,
sector or topic edited or a view restriction changed reaches many pages: everything is re-baked
(a newly restricted page's files are removed by the same run). Signals only queue; the work is
in ``bake`` (https://docs.wagtail.org/en/stable/reference/signals.html).
"""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import bake

# Ahead of the search indexing queued by the same publish (priority 0): the editor and the
# visitors look at the page first. Arguments are lists of ints: the queue stores them as JSON.
BAKE_PRIORITY = 10


@task(priority=BAKE_PRIORITY)
def bake_pages_task(page_ids: list[int], ancestor_ids: list[int]) -> None:
    bake.bake_pages(page_ids, ancestor_ids=ancestor_ids)


@task(priority=BAKE_PRIORITY)
def bake_all_task() -> None:
    bake.bake_all()


# What the current transaction changed, gathered so that deleting a section with its forty pages
# queues one task, not forty. Popped by the first flush after a commit; a flush after a rollback
# that left something here bakes it with the next commit, which costs time, never a stale page.
_pending = threading.local()


def _queue(page_ids=(), ancestor_ids=(), *, everything=False) -> None:
    if not bake.enabled():
        return
    state = getattr(_pending, "state", None)
    if state is None:
        state = _pending.state = {"pages": set(), "ancestors": set(), "everything": False}
    state["pages"].update(int(pk) for pk in page_ids)
    state["ancestors"].update(int(pk) for pk in ancestor_ids)
    state["everything"] = state["everything"] or everything
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    state = _pending.__dict__.pop("state", None)
    if state is None:
        return
    if state["everything"]:
        bake_all_task.enqueue()
    elif state["pages"] or state["ancestors"]:
        bake_pages_task.enqueue(sorted(state["pages"]), sorted(state["ancestors"] - state["pages"]))


def _on_publish_or_unpublish(sender, instance, **kwargs):
    from content.models import AuditMaterialPage

    # An audit kit shows which version of its guideline it audits, and whether that has changed.
    kits = AuditMaterialPage.objects.live().filter(guideline_id=instance.pk).values_list("pk", flat=True)
    _queue([instance.pk, *kits])


def _on_move(sender, instance, parent_page_before=None, **kwargs):
    _queue([instance.pk], [parent_page_before.pk] if parent_page_before else [])


def _on_delete(sender, instance, **kwargs):
    # Deleting a guideline deletes its GuidelinePage row and its Page row: act on the latter only.
    if type(instance) is Page:
        # The row is gone; its tree path still names the ancestors whose listings showed it.
        _queue([], Page.objects.ancestor_of(instance).values_list("pk", flat=True))


def _on_vocabulary_or_restriction(sender, **kwargs):
    _queue(everything=True)


def _on_directory_contact_change(sender, instance, update_fields=None, **kwargs):
    """A person or organisation shown on a collaboration directory changed its name, phone or
    e-mail: re-bake the directories that show it (a login, which saves last_login, changes none)."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    if not bake.enabled():
        return
    from content.models.directory import directory_pages_showing

    if sender._meta.model_name == "user":
        _queue(directory_pages_showing(user_id=instance.pk))
    else:
        _queue(directory_pages_showing(organisation_id=instance.pk))


def connect() -> None:
    from wagtail.models import PageViewRestriction

    from content.models import Sector, Topic
    from portal.accounts.models import Specialty

    page_published.connect(_on_publish_or_unpublish, dispatch_uid="samspil-bake-published")
    page_unpublished.connect(_on_publish_or_unpublish, dispatch_uid="samspil-bake-unpublished")
    post_page_move.connect(_on_move, dispatch_uid="samspil-bake-moved")
    post_delete.connect(_on_delete, dispatch_uid="samspil-bake-deleted")
    from portal.accounts.models import Organisation, User

    for model in (User, Organisation):
        post_save.connect(
            _on_directory_contact_change,
            sender=model,
            dispatch_uid=f"samspil-bake-directory-{model._meta.model_name}",
        )
    for model in (Specialty, Sector, Topic, PageViewRestriction):
        uid = f"samspil-bake-{model._meta.label_lower}"
        post_save.connect(_on_vocabulary_or_restriction, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(_on_vocabulary_or_restriction, sender=model, dispatch_uid=f"{uid}-deleted")
