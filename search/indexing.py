"""Keeping the indexes in step with the page tree.

Signal handlers (``connect_signals``, called from ``SearchConfig.ready``)
only queue work: after the publishing transaction commits, a django-tasks
task re-reads the pages and updates every backend (the database index
always, OpenSearch when configured). The work itself is one rule — a page
that is live, public knowledge is indexed, any other page is removed — so
publish, unpublish and move are the same task on different pages. See
https://docs.wagtail.org/en/stable/reference/signals.html
"""

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_tasks import task
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.documents import documents_for_page, outreach_documents, outreach_key, searchable_pages

logger = logging.getLogger(__name__)

# Documents built in memory before each bulk write of ``rebuild_database_index``.
REINDEX_BATCH_SIZE = 2000


def sync_pages(page_ids) -> None:
    """Index the pages among ``page_ids`` that are searchable; remove the others."""
    from search.backends import all_backends

    page_ids = set(page_ids)
    if not page_ids:
        return
    pages = list(searchable_pages(page_ids))
    # Every document of a page is written together: the backends replace what the page had.
    documents = [document for page in pages for document in documents_for_page(page)]
    gone = page_ids - {page.pk for page in pages}
    for backend in all_backends():
        try:
            if documents:
                backend.index(documents)
            if gone:
                backend.remove(gone)
        except Exception:  # an engine outage must not stop publishing; reindex repairs it
            logger.exception("search: updating %s failed for pages %s", backend.name, sorted(page_ids))
            if backend.name == "database":
                raise


def sync_outreach(service_ids) -> None:
    """Index the outreach services among ``service_ids`` that are active; remove the others
    (deactivated or deleted), by their keys: they are no pages."""
    from search.backends import all_backends

    service_ids = {int(i) for i in service_ids}
    if not service_ids:
        return
    documents = outreach_documents(service_ids)
    gone = {outreach_key(i) for i in service_ids} - {d.key for d in documents}
    for backend in all_backends():
        try:
            if documents:
                backend.index(documents)
            if gone:
                backend.remove_keys(gone)
        except Exception:  # an engine outage must not stop the admin; reindex repairs it
            logger.exception(
                "search: updating %s failed for outreach services %s", backend.name, sorted(service_ids)
            )
            if backend.name == "database":
                raise


def remove_pages(page_ids) -> None:
    from search.backends import all_backends

    for backend in all_backends():
        try:
            backend.remove(page_ids)
        except Exception:
            logger.exception("search: removing pages %s from %s failed", sorted(page_ids), backend.name)
            if backend.name == "database":
                raise


# Task arguments are plain lists of ints: the database queue stores them as JSON.
@task()
def sync_pages_task(page_ids: list[int]) -> None:
    sync_pages(page_ids)


@task()
def remove_pages_task(page_ids: list[int]) -> None:
    remove_pages(page_ids)


@task()
def sync_outreach_task(service_ids: list[int]) -> None:
    sync_outreach(service_ids)


def _subtree_ids(page) -> list[int]:
    return list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def _queue(task_, page_ids) -> None:
    """Enqueue after the publishing transaction commits, so the worker sees the new revision."""
    page_ids = sorted({int(page_id) for page_id in page_ids})
    if page_ids:
        transaction.on_commit(lambda: task_.enqueue(page_ids), robust=True)


def _on_publish_or_unpublish(sender, instance, **kwargs):
    # The whole subtree: a section's privacy or URL reaches its children.
    _queue(sync_pages_task, _subtree_ids(instance))


def _on_move(sender, instance, **kwargs):
    _queue(sync_pages_task, _subtree_ids(instance))


def _on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _queue(remove_pages_task, [instance.pk])


def _on_outreach_change(sender, instance, **kwargs):
    # Saved, deleted, or its municipalities changed in the admin: re-read it after the commit.
    _queue(sync_outreach_task, [instance.pk])


def _on_directory_contact_change(sender, instance, update_fields=None, **kwargs):
    """A person or organisation listed in a collaboration directory was renamed: re-index the
    directories that name it (a login, which saves last_login, changes nothing indexed)."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    from content.models.directory import directory_pages_showing

    if sender._meta.model_name == "user":
        _queue(sync_pages_task, directory_pages_showing(user_id=instance.pk))
    else:
        _queue(sync_pages_task, directory_pages_showing(organisation_id=instance.pk))


def connect_signals() -> None:
    from portal.accounts.models import Organisation, User
    from portal.outreach.models import OutreachService

    page_published.connect(_on_publish_or_unpublish, dispatch_uid="search_page_published")
    page_unpublished.connect(_on_publish_or_unpublish, dispatch_uid="search_page_unpublished")
    post_page_move.connect(_on_move, dispatch_uid="search_post_page_move")
    post_delete.connect(_on_delete, dispatch_uid="search_page_deleted")
    post_save.connect(_on_outreach_change, sender=OutreachService, dispatch_uid="search_outreach_saved")
    post_delete.connect(_on_outreach_change, sender=OutreachService, dispatch_uid="search_outreach_deleted")
    for model in (User, Organisation):
        post_save.connect(
            _on_directory_contact_change,
            sender=model,
            dispatch_uid=f"search_directory_{model._meta.model_name}",
        )
    m2m_changed.connect(
        _on_outreach_change,
        sender=OutreachService.municipalities.through,
        dispatch_uid="search_outreach_area_changed",
    )


def rebuild_database_index(*, progress=None, batch_size: int = REINDEX_BATCH_SIZE) -> int:
    """Rebuild the database index from scratch; returns the number of documents.

    One transaction; documents are built in memory and written in bulk, about
    ``batch_size`` at a time (so memory stays bounded on a large site), never row by
    row. ``progress`` is called with the number of pages done.
    """
    from search.backends import database_backend

    backend = database_backend()
    count = 0
    batch, pages = [], 0

    def flush():
        nonlocal pages
        backend.index(batch, replace=False)  # the index was emptied first
        if progress:
            progress(pages)
        batch.clear()
        pages = 0

    with transaction.atomic():
        backend.clear()
        for page in searchable_pages():
            documents = documents_for_page(page)
            batch.extend(documents)
            count += len(documents)
            pages += 1
            if len(batch) >= batch_size:
                flush()
        outreach = outreach_documents()
        batch.extend(outreach)
        count += len(outreach)
        if batch:
            flush()
    backend.optimize()
    return count
