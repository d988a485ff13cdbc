"""The database backend (SQLite FTS5 here, PostgreSQL when DATABASE_URL points at one)."""

import pytest
from django.db import connection

from search.backends import database_backend
from search.query import SearchRequest

from .conftest import document_count
from .relevance import MRR, RECALL_AT_3, score

pytestmark = pytest.mark.django_db


def titles(result):
    return [hit.title for hit in result.hits]


def test_every_published_knowledge_page_is_indexed(corpus):
    assert database_backend().count() == document_count(corpus.values())


def test_recall_at_3_and_mrr_on_the_danish_relevance_set(corpus):
    """Recall@3 and MRR over the whole relevance set (one corpus for all queries)."""
    recall, mrr, misses = score(lambda q: database_backend().search(SearchRequest(query=q)), corpus)
    figures = f"recall@3 {recall:.3f}, MRR {mrr:.3f} on {connection.vendor}"
    print(figures, *misses, sep="\n")
    assert recall >= RECALL_AT_3 and mrr >= MRR, figures + ":\n" + "\n".join(misses)


def test_facet_counts_ignore_their_own_filter_but_apply_the_others(corpus):
    backend = database_backend()
    everything = backend.search(SearchRequest(query="ældre"))
    by_type = {v.slug: v.count for v in everything.facets["type"]}
    assert everything.total == sum(by_type.values())

    chosen = backend.search(SearchRequest(query="ældre", type="guideline"))
    assert chosen.total == by_type["guideline"]
    # The type facet still shows every type (its own filter is ignored) ...
    assert {v.slug: v.count for v in chosen.facets["type"]} == by_type
    assert [v.slug for v in chosen.facets["type"] if v.chosen] == ["guideline"]
    # ... while the sector counts only count guidelines.
    sectors = {v.slug: v.count for v in chosen.facets["sector"]}
    assert max(sectors.values()) <= by_type["guideline"]


def test_a_facet_filter_narrows_the_hits(corpus):
    result = database_backend().search(SearchRequest(query="ældre", sector="sygehus", specialty="geriatri"))
    assert titles(result) and all("sygehus" in [s["slug"] for s in h.sectors] for h in result.hits)
    assert "Akutmodtagelsen i Århus" in titles(result)


def test_highlights_mark_inflected_matches_and_escape_the_rest(corpus):
    result = database_backend().search(SearchRequest(query="hukommelsesklinik"))
    hit = result.hits[0]
    assert hit.title == "Demensudredning"
    assert "<mark>hukommelsesklinikken</mark>" in hit.highlight.lower()


def test_a_typo_is_corrected_and_suggested(corpus):
    result = database_backend().search(SearchRequest(query="demnes"))
    assert result.suggestion == "demens"
    assert result.corrected
    assert titles(result)[0] == "Demensudredning"


def test_no_suggestion_when_the_query_finds_enough(corpus):
    assert database_backend().search(SearchRequest(query="ældre")).suggestion == ""


def test_pagination(corpus):
    backend = database_backend()
    first = backend.search(SearchRequest(query="praksis", page_size=3))
    second = backend.search(SearchRequest(query="praksis", page_size=3, page=2))
    assert first.total > 3 and first.num_pages >= 2
    assert not {h.url for h in first.hits} & {h.url for h in second.hits}
    beyond = backend.search(SearchRequest(query="praksis", page_size=3, page=999))
    assert beyond.page == beyond.num_pages and beyond.hits


def test_the_pages_of_a_search_hold_every_match_once(corpus):
    # On PostgreSQL page 1 comes from the counting statement and later pages from their
    # own; both must rank alike, or a hit would show twice or never.
    backend = database_backend()
    first = backend.search(SearchRequest(query="patient", page_size=2))
    seen = [hit.url for hit in first.hits]
    for page in range(2, first.num_pages + 1):
        seen += [
            hit.url for hit in backend.search(SearchRequest(query="patient", page_size=2, page=page)).hits
        ]
    assert first.total > 4
    assert len(seen) == len(set(seen)) == first.total


def published_guideline(title: str, summary: str, text: str):
    """A guideline with ``text`` as its general-practice body, published (and so indexed)."""
    from tests.content.factories import GuidelinePageFactory, markdown_body

    page = GuidelinePageFactory(title=title, summary=summary, general_practice_body=markdown_body(text))
    page.save_revision().publish()
    return page


def test_a_word_in_the_title_outranks_the_same_word_only_in_the_body(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        # The body-only page is published first, so an id order would put it first.
        published_guideline("Ondt i maven", "Udredning.", "Tænk på porfyri.")
        published_guideline("Porfyri", "Sjælden sygdom.", "Udredning.")
    for page in (1, 2):  # the first page and a later one are ranked by different statements
        result = database_backend().search(SearchRequest(query="porfyri", page_size=1, page=page))
        assert result.total == 2
        assert titles(result) == [["Porfyri"], ["Ondt i maven"]][page - 1]


def test_autocomplete_completes_titles(corpus):
    assert database_backend().autocomplete("demensu")[0]["title"] == "Demensudredning"
    assert [s["title"] for s in database_backend().autocomplete("åndenø")] == ["Åndenød hos ældre"]


def test_unpublish_move_and_delete_update_the_index(corpus, django_capture_on_commit_callbacks):
    from tests.content.factories import section

    backend = database_backend()
    page = corpus["demens"]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert backend.search(SearchRequest(query="demensudredning")).total == 0

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert backend.search(SearchRequest(query="demensudredning")).total == 1

    target = section("gode-eksempler", "Gode eksempler")
    with django_capture_on_commit_callbacks(execute=True):
        page.move(target, pos="last-child")
    hit = backend.search(SearchRequest(query="demensudredning")).hits[0]
    assert hit.url.startswith("/gode-eksempler/")

    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert backend.search(SearchRequest(query="demensudredning")).total == 0
    assert backend.count() == document_count(corpus.values()) - 1


def test_a_draft_change_is_not_indexed_until_published(corpus, django_capture_on_commit_callbacks):
    page = corpus["kol"]
    page.title = "Helt ny titel om bronkiektasier"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()
    assert database_backend().search(SearchRequest(query="bronkiektasier")).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    assert database_backend().search(SearchRequest(query="bronkiektasier")).total == 1


def test_reindex_rebuilds_the_database_index(corpus):
    from django.core.management import call_command

    database_backend().clear()
    assert database_backend().count() == 0
    call_command("search_reindex", "--database-only", "--no-progress")
    assert database_backend().count() == document_count(corpus.values())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_a_search_leaves_the_planner_settings_as_it_found_them(corpus):
    # The search plans on the GIN indexes (enable_seqscan off) inside a savepoint it rolls
    # back; the rest of the request must be planned as usual.
    assert database_backend().search(SearchRequest(query="demens", page=2, page_size=1)).total
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def test_quotes_and_backslashes_in_a_text_are_indexed_as_words(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published_guideline(
            "O'Briens tegn",
            "Se 'Cullens' tegn \\ og \"Greys\" tegn.",
            "Apostrof' og \\\\backslash\\ i teksten.",
        )
    for word in ("briens", "cullens", "greys", "backslash"):
        assert titles(database_backend().search(SearchRequest(query=word))) == ["O'Briens tegn"], word
