"""`search_reindex` warms the new index before the alias moves to it, on a freshly started node.

Without warming, the first searches after a reindex (on a fresh node above all) took longer
than OPENSEARCH_TIMEOUT while the node compiled and filled its caches, and visitors got the
database's "degraded" answer.
"""

import io

import pytest
from django.core.management import call_command

from search import backends
from search.management.commands import search_reindex
from search.query import SearchRequest

from .conftest import _start_node

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_engine(settings):
    """A node of this test's own, started just now: nothing compiled or cached yet."""
    from search.backends.opensearch import reset_breaker

    node = _start_node("pytest-fresh-node", 9280)
    settings.OPENSEARCH_URL = node.url
    settings.OPENSEARCH_INDEX = "samspil-pages"
    reset_breaker()
    yield backends.engine_backend()
    reset_breaker()
    node.stop()


def _searches_on(engine, index: str) -> int:
    stats = engine.client.indices.stats(index=index, metric="search")
    return stats["indices"][index]["total"]["search"]["query_total"]


def test_after_a_reindex_on_a_fresh_node_the_first_search_is_answered_by_the_engine(
    corpus, fresh_engine, settings, monkeypatch
):
    assert settings.OPENSEARCH_TIMEOUT == 1.0  # the production default, not a test's patience
    output = io.StringIO()
    call_command("search_reindex", "--engine-only", "--no-progress", stdout=output)
    (index,) = fresh_engine.alias_targets()
    assert "warmed in" in output.getvalue()
    # Warmed before any visitor: the common searches already ran on the new index.
    assert _searches_on(fresh_engine, index) >= len(search_reindex.WARM_SEARCHES)

    result = backends.search(SearchRequest(query="demens"))
    assert result.backend == "opensearch"
    assert not result.degraded
    assert result.total

    # The next reindex warms its index while the alias still points at the old one.
    seen = []

    def recording_warm(name):
        seen.append((name, fresh_engine.alias_targets()))
        real_warm(name)

    real_warm = search_reindex.warm_index
    monkeypatch.setattr(search_reindex, "warm_index", recording_warm)
    call_command("search_reindex", "--engine-only", "--no-progress", stdout=io.StringIO())
    (new_index,) = fresh_engine.alias_targets()
    assert seen == [(new_index, [index])]
    assert not backends.search(SearchRequest(query="åndenød")).degraded
