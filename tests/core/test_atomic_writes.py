"""Writes are all or nothing; reads take no transaction (portal.core.middleware.AtomicWritesMiddleware).

These tests run without pytest-django's wrapping transaction (``transaction=True``), so a
BEGIN, a commit or a rollback made by the request is what the database really sees.
"""

import pytest
from django.db import connection
from django.http import Http404, HttpResponse
from django.test import Client
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from content.models import Topic
from tests.content.factories import GuidelinePageFactory, section

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@csrf_exempt
def write_then_fail(request, how):
    Topic.objects.create(slug=f"halv-{request.method.lower()}-{how}", name="Halvt gemt")
    Topic.objects.create(slug=f"anden-{request.method.lower()}-{how}", name="Anden halvdel")
    if how == "fejl":
        raise RuntimeError("the second half of the work failed")
    if how == "404":
        raise Http404
    if how == "503":
        return HttpResponse("prøv igen", status=503)
    return HttpResponse("gemt")


# The portal's own URLs too: the error pages link to the login and the search.
urlpatterns = [path("skriv/<str:how>/", write_then_fail), path("", include("portal.urls"))]
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"


@pytest.fixture
def writes_client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def _saved(how, method="post"):
    return sorted(Topic.objects.filter(slug__endswith=f"-{method}-{how}").values_list("name", flat=True))


@pytest.mark.parametrize(("how", "status"), [("fejl", 500), ("404", 404), ("503", 503)])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_failing_write_leaves_nothing_half_saved(writes_client, method, how, status):
    response = getattr(writes_client, method)(f"/skriv/{how}/")
    assert response.status_code == status
    assert _saved(how, method) == []


def test_a_write_that_succeeds_is_committed(writes_client):
    assert writes_client.post("/skriv/ok/").status_code == 200
    assert _saved("ok") == ["Anden halvdel", "Halvt gemt"]


def test_the_error_page_of_a_failed_write_still_renders_in_danish(writes_client):
    response = writes_client.post("/skriv/404/")
    assert response.status_code == 404
    assert '<html lang="da">' in response.content.decode()


class _TransactionSpy:
    """Every query of a request, with whether it ran inside a transaction (any database)."""

    def __init__(self):
        self.queries: list[tuple[str, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    def in_transaction(self):
        return [
            sql for sql, atomic in self.queries if atomic or sql.upper().startswith(("BEGIN", "SAVEPOINT"))
        ]


@pytest.mark.parametrize("which", ["home", "section", "guideline"])
def test_reading_a_page_opens_no_transaction(client, which):
    guideline = GuidelinePageFactory(title="Demens")
    url = {"home": "/", "section": section().url, "guideline": guideline.url}[which]
    client.get(url)  # warm caches, as a visitor finds them
    spy = _TransactionSpy()
    with connection.execute_wrapper(spy):
        response = client.get(url)
    assert response.status_code == 200
    assert spy.queries, "the page read nothing: the test would prove nothing"
    assert spy.in_transaction() == []


def test_a_write_request_runs_in_one_transaction(writes_client):
    spy = _TransactionSpy()
    with connection.execute_wrapper(spy):
        writes_client.post("/skriv/ok/")
    inserts = [(sql, atomic) for sql, atomic in spy.queries if sql.startswith('INSERT INTO "content_topic"')]
    assert len(inserts) == 2 and all(atomic for _sql, atomic in inserts)
