"""Indexing through the database task queue, as in production (``manage.py db_worker``)."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from search.backends import database_backend
from search.query import SearchRequest

from .conftest import publish_page
from .relevance import DOCUMENTS

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_page_published_through_the_database_queue_is_found_after_the_worker_ran(
    django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    # override_settings(TASKS=...) resets django_tasks' cached backends (its setting_changed
    # receiver), so the tasks below go to the database queue and not the immediate backend.
    with override_settings(TASKS=DATABASE_QUEUE):
        assert type(task_backends["default"]).__name__ == "DatabaseBackend"
        spec = {**DOCUMENTS["kol"], "title": "Bronkiektasier hos voksne"}
        with django_capture_on_commit_callbacks(execute=True):
            publish_page(spec)
        queued = DBTaskResult.objects.filter(task_path="search.indexing.sync_pages_task")
        # Queued (with JSON arguments: lists of page ids), not yet run: nothing is searchable
        # before the worker ran.
        assert queued.exists() and all(task.status == "READY" for task in queued)
        assert all(isinstance(i, int) for task in queued for i in task.args_kwargs["args"][0])
        assert database_backend().search(SearchRequest(query="bronkiektasier")).total == 0

        # The worker closes stale connections between tasks; here that would close the
        # test's own transaction (on PostgreSQL), so it is left open.
        monkeypatch.setattr(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        )
        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)

        assert set(queued.all().values_list("status", flat=True)) == {"SUCCESSFUL"}
        hits = database_backend().search(SearchRequest(query="bronkiektasier")).hits
        assert [hit.title for hit in hits] == ["Bronkiektasier hos voksne"]
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
