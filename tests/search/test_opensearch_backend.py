"""The OpenSearch backend, against a real node (started by the fixtures in conftest.py)."""

import time

import pytest
from django.core.management import call_command

from search import backends
from search.query import SearchRequest

from .conftest import document_count
from .relevance import MRR, RECALL_AT_3, score

pytestmark = pytest.mark.django_db


def titles(result):
    return [hit.title for hit in result.hits]


def test_recall_at_3_and_mrr_on_the_danish_relevance_set(engine_corpus):
    """Recall@3 and MRR over the whole relevance set (one corpus for all queries)."""
    recall, mrr, misses = score(lambda q: backends.search(SearchRequest(query=q)), engine_corpus)
    figures = f"recall@3 {recall:.3f}, MRR {mrr:.3f} on OpenSearch"
    print(figures, *misses, sep="\n")
    assert recall >= RECALL_AT_3 and mrr >= MRR, figures + ":\n" + "\n".join(misses)


def test_facet_counts_ignore_their_own_filter_but_apply_the_others(engine_corpus):
    everything = backends.search(SearchRequest(query="ældre"))
    by_type = {v.slug: v.count for v in everything.facets["type"]}
    assert everything.backend == "opensearch" and everything.total == sum(by_type.values())

    chosen = backends.search(SearchRequest(query="ældre", type="guideline"))
    assert chosen.total == by_type["guideline"]
    assert {v.slug: v.count for v in chosen.facets["type"]} == by_type
    assert [v.slug for v in chosen.facets["type"] if v.chosen] == ["guideline"]
    assert max(v.count for v in chosen.facets["sector"]) <= by_type["guideline"]


def test_highlights_are_escaped_fragments_with_marks(engine_corpus):
    hit = backends.search(SearchRequest(query="hukommelsesklinik")).hits[0]
    assert hit.title == "Demensudredning"
    assert "<mark>" in hit.highlight.lower() and "<script" not in hit.highlight


def test_a_typo_finds_the_page_and_is_suggested(engine_corpus):
    result = backends.search(SearchRequest(query="hypertenssion"))
    assert titles(result)[0] == "Hypertension"
    assert result.suggestion in ("", "hypertension")
    assert backends.search(SearchRequest(query="ældre")).suggestion == ""


def test_suggestions_are_asked_for_only_when_the_words_find_little(engine_corpus, monkeypatch):
    """The term suggester reads every indexed word: a search that finds enough skips it."""
    from opensearchpy import OpenSearch

    bodies = []
    original = OpenSearch.search

    def recording(self, *args, **kwargs):
        bodies.append(kwargs.get("body") or {})
        return original(self, *args, **kwargs)

    monkeypatch.setattr(OpenSearch, "search", recording)
    assert backends.search(SearchRequest(query="ældre")).total >= 3
    assert bodies and not any("suggest" in body for body in bodies)

    bodies.clear()
    assert titles(backends.search(SearchRequest(query="hypertenssion")))[0] == "Hypertension"
    assert any("suggest" in body for body in bodies)


def test_highlighted_fields_keep_offsets_for_the_highlighter():
    """Offsets in the postings: highlighting reads them instead of analysing each hit again."""
    from search.documents import opensearch_document_class

    properties = opensearch_document_class()._doc_type.mapping.to_dict()["properties"]
    for name in ("summary", "body_general_practice", "body_hospital", "body"):
        assert properties[name]["index_options"] == "offsets", name


def test_the_api_answers_from_opensearch_with_highlights_and_facets(client, engine_corpus):
    data = client.get("/api/v1/search", {"q": "åndenød"}).json()
    assert data["backend"] == "opensearch"
    assert data["hits"][0]["title"] == "Åndenød hos ældre"
    assert any("<mark>" in hit["highlight"] for hit in data["hits"])
    assert {v["value"] for v in data["facets"]["sector"]} == {"almen-praksis", "sygehus"}
    health = client.get("/healthz").json()["search"]
    assert health["status"] == "ok" and health["backend"] == "opensearch"


def test_autocomplete(engine_corpus):
    assert backends.autocomplete("demensu")[0]["title"] == "Demensudredning"


def test_a_published_page_is_searchable_on_the_engine_once_the_publish_commits(
    engine, settings, django_capture_on_commit_callbacks
):
    """No time bound here (the bench measures publish-to-searchable): the index write runs when
    the publish commits and is visible at once. A patient timeout keeps a loaded test machine
    from sending the search to the database instead."""
    from .conftest import publish_page
    from .relevance import DOCUMENTS

    settings.OPENSEARCH_TIMEOUT = 30.0
    spec = {**DOCUMENTS["kol"], "title": "Bronkiektasier hos voksne"}
    with django_capture_on_commit_callbacks(execute=True):
        publish_page(spec)
    result = backends.search(SearchRequest(query="bronkiektasier"))
    assert result.backend == "opensearch"
    assert [hit.title for hit in result.hits] == ["Bronkiektasier hos voksne"]


def test_reindex_swaps_the_alias_to_a_new_index(engine_corpus, engine):
    first = engine.alias_targets()
    assert len(first) == 1
    call_command("search_reindex", "--engine-only", "--no-progress")
    second = engine.alias_targets()
    assert len(second) == 1 and second != first
    assert not engine.client.indices.exists(index=first[0])
    assert engine.count() == document_count(engine_corpus.values())
    assert backends.search(SearchRequest(query="demens")).hits[0].title == "Demensudredning"


def test_unpublish_and_delete_reach_the_engine(engine_corpus, django_capture_on_commit_callbacks):
    page = engine_corpus["demens"]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    result = backends.search(SearchRequest(query="demensudredning"))
    assert result.backend == "opensearch" and result.total == 0
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert backends.search(SearchRequest(query="demensudredning")).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert backends.search(SearchRequest(query="demensudredning")).total == 0


def test_a_closed_port_falls_back_to_the_database(client, corpus, settings):
    from search.backends.opensearch import reset_breaker

    reset_breaker()
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    try:
        data = client.get("/api/v1/search", {"q": "demens"}).json()
        assert data["backend"] == "database" and data["degraded"]
        assert data["hits"][0]["title"] == "Demensudredning"
        html = client.get("/soeg/", {"q": "demens"}).content.decode()
        assert "samspil-search-notice" in html and "Demensudredning" in html
        assert client.get("/healthz").json()["search"]["status"] == "degraded"
    finally:
        reset_breaker()


def test_stopping_the_node_mid_test_falls_back_to_the_database(client, settings, corpus):
    """A node of its own, stopped between two requests: the second is answered by the database."""
    from search.backends.opensearch import reset_breaker

    from .conftest import _start_node

    node = _start_node("pytest-outage-node", 9280)
    try:
        settings.OPENSEARCH_URL = node.url
        settings.OPENSEARCH_INDEX = "outage"
        reset_breaker()
        call_command("search_reindex", "--engine-only", "--no-progress")
        assert client.get("/api/v1/search", {"q": "demens"}).json()["backend"] == "opensearch"
        node.stop()
        started = time.monotonic()
        data = client.get("/api/v1/search", {"q": "demens"}).json()
        assert data["backend"] == "database" and data["hits"][0]["title"] == "Demensudredning"
        assert time.monotonic() - started < 2.5
        assert client.get("/healthz").json()["search"]["status"] == "degraded"
    finally:
        node.stop()
        reset_breaker()
