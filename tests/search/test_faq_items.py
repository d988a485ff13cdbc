"""FAQ items are search documents of their own: the question as title, the page URL + #anchor."""

import pytest

from search import backends
from search.backends import database_backend
from search.query import SearchRequest

from .conftest import document_count

pytestmark = pytest.mark.django_db

QUESTION = "Hvem betaler lønnen under opholdet?"


def _anchor(page, question: str) -> str:
    return next(q["anchor"] for q in page.specific.questions() if q["question"] == question)


def _found_by_its_own_wording(corpus, search):
    page = corpus["ophold"]
    result = search(SearchRequest(query="hvem betaler lønnen"))
    hit = result.hits[0]
    assert hit.title == QUESTION
    assert hit.url == f"{page.url}#{_anchor(page, QUESTION)}"
    assert hit.page_id == page.pk and hit.type == "faq"
    assert "<mark>" in hit.highlight
    # The answer is found once, as the item: the page's own document leaves the items out.
    # (Pages holding one of the two words follow it: "afdeling" alone is common.)
    answer = search(SearchRequest(query="ansættende afdeling"))
    assert answer.hits[0].url == hit.url
    assert page.url not in [h.url for h in answer.hits]


def _unpublishing_removes_the_items(corpus, search, capture):
    page = corpus["ophold"]
    with capture(execute=True):
        page.unpublish()
    assert search(SearchRequest(query="hvem betaler lønnen")).total == 0
    assert search(SearchRequest(query="fokuserede ophold")).total == 0


def test_a_question_is_found_by_its_own_wording_and_links_to_its_anchor(corpus):
    _found_by_its_own_wording(corpus, database_backend().search)


def test_the_api_links_a_faq_item_to_its_anchor(client, corpus):
    data = client.get("/api/v1/search", {"q": "hvem betaler lønnen"}).json()
    hit = data["hits"][0]
    assert hit["title"] == QUESTION and hit["url"].endswith("#" + _anchor(corpus["ophold"], QUESTION))
    assert hit["type"] == "faq" and set(hit["sector"]) == {"almen-praksis", "sygehus"}


def test_every_faq_item_is_indexed_beside_its_page(corpus):
    page = corpus["ophold"]
    assert len(page.specific.questions()) == 2
    assert database_backend().count() == document_count(corpus.values())


def test_unpublishing_the_faq_page_removes_its_items(corpus, django_capture_on_commit_callbacks):
    before = database_backend().count()
    _unpublishing_removes_the_items(corpus, database_backend().search, django_capture_on_commit_callbacks)
    assert database_backend().count() == before - 3  # the page and its two questions


def test_a_removed_question_leaves_the_index_when_the_page_is_published(
    corpus, django_capture_on_commit_callbacks
):
    backend = database_backend()
    before = backend.count()
    page = corpus["ophold"].specific
    page.items = [("item", page.items[0].value)]  # the question about pay is deleted
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert backend.search(SearchRequest(query="hvem betaler lønnen")).total == 0
    assert (
        backend.search(SearchRequest(query="praksiskoordinatoren")).hits[0].title == "Hvor længe varer det?"
    )
    assert backend.count() == before - 1


def test_deleting_the_faq_page_removes_its_items(corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        corpus["ophold"].delete()
    assert database_backend().search(SearchRequest(query="hvem betaler lønnen")).total == 0
    assert database_backend().count() == document_count(corpus.values()) - 3


# --- The same on the real OpenSearch node ---------------------------------------------------


def test_opensearch_finds_a_question_and_links_to_its_anchor(engine_corpus):
    assert backends.search(SearchRequest(query="hvem betaler lønnen")).backend == "opensearch"
    _found_by_its_own_wording(engine_corpus, backends.search)


def test_opensearch_unpublishing_the_faq_page_removes_its_items(
    engine, engine_corpus, django_capture_on_commit_callbacks
):
    before = engine.count()
    _unpublishing_removes_the_items(engine_corpus, backends.search, django_capture_on_commit_callbacks)
    assert engine.count() == before - 3


def test_opensearch_a_removed_question_leaves_the_index(
    engine, engine_corpus, django_capture_on_commit_callbacks
):
    before = engine.count()
    page = engine_corpus["ophold"].specific
    page.items = [("item", page.items[0].value)]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert backends.search(SearchRequest(query="hvem betaler lønnen")).total == 0
    assert engine.count() == before - 1
