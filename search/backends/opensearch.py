"""Search on OpenSearch 2.x/3.x (``OPENSEARCH_URL``), through opensearch-py.

Pages live in versioned indices (``<prefix>-<timestamp>``) behind one alias
(``<prefix>``): ``rebuild`` fills a new index in bulk and moves the alias
in one atomic ``_aliases`` call, so searches never see a half-built index;
page updates from the publish signals write through the alias. Any
transport failure or a reply slower than ``OPENSEARCH_TIMEOUT`` becomes
``EngineUnavailable``, on which ``search.backends`` answers from the
database; after a failure the engine is left alone for a few seconds so
that an outage costs each visitor nothing.
"""

import math
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from django.conf import settings

from search import analysis
from search.documents import (
    IndexDocument,
    documents_for_page,
    index_settings,
    opensearch_document_class,
    opensearch_source,
    outreach_documents,
    searchable_pages,
)
from search.query import Hit, SearchQuery, SearchRequest, SearchResult, snippet_text

from . import EngineUnavailable
from .database import facet_names, facet_values

_FACET_AGGS = ("type", "sector", "specialty", "topic")
# Fewer hits than this: typo tolerance is switched on, and a suggestion is looked for.
FEW_RESULTS = 3
# At most this many documents belong to the pages of one write (pages and their FAQ items).
MAX_DOCUMENTS_PER_WRITE = 10_000
_breaker = {"open_until": 0.0}
_breaker_lock = threading.Lock()


def _chunks(items, size: int):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def reset_breaker() -> None:
    """Forget an earlier failure (tests, and after an operator brought the engine back)."""
    with _breaker_lock:
        _breaker["open_until"] = 0.0


class OpenSearchBackend:
    name = "opensearch"

    def __init__(self, url: str, *, prefix: str = "samspil-pages", timeout: float = 1.0, pause: float = 5.0):
        from opensearchpy import OpenSearch

        self.alias = prefix
        self.timeout = timeout
        self.pause = pause
        # Index administration may take seconds; searches pass ``request_timeout=self.timeout``.
        self.client = OpenSearch(hosts=[url], timeout=30, max_retries=0, retry_on_timeout=False)

    @classmethod
    def from_settings(cls) -> "OpenSearchBackend":
        return cls(
            settings.OPENSEARCH_URL,
            prefix=settings.OPENSEARCH_INDEX,
            timeout=settings.OPENSEARCH_TIMEOUT,
            pause=settings.OPENSEARCH_RETRY_AFTER,
        )

    # --- Failure handling ------------------------------------------------------------------
    def _call(self, function, *args, **kwargs):
        from opensearchpy.exceptions import ConnectionError as TransportConnectionError
        from opensearchpy.exceptions import NotFoundError, TransportError

        if time.monotonic() < _breaker["open_until"]:
            raise EngineUnavailable("engine failed recently; retrying shortly")
        try:
            return function(*args, **kwargs)
        except (TransportConnectionError, NotFoundError) as exc:  # incl. ConnectionTimeout
            self._trip()
            raise EngineUnavailable(f"{exc.__class__.__name__}: {exc}") from exc
        except TransportError as exc:
            if isinstance(exc.status_code, int) and exc.status_code < 500:
                raise  # a bad request is our bug, not an outage
            self._trip()
            raise EngineUnavailable(f"{exc.__class__.__name__}: {exc}") from exc

    def _trip(self):
        with _breaker_lock:
            _breaker["open_until"] = time.monotonic() + self.pause

    def health(self) -> dict:
        health = self._call(self.client.cluster.health, request_timeout=self.timeout)
        count = self._call(self.client.count, index=self.alias, request_timeout=self.timeout)
        return {"cluster": health["status"], "documents": count["count"]}

    # --- Indices and the alias -------------------------------------------------------------
    def _new_index_name(self) -> str:
        return f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"

    def create_index(self, name: str) -> None:
        mapping = opensearch_document_class()._doc_type.mapping.to_dict()
        self.client.indices.create(index=name, body={"settings": index_settings(), "mappings": mapping})

    def alias_targets(self) -> list[str]:
        if not self.client.indices.exists_alias(name=self.alias):
            return []
        return sorted(self.client.indices.get_alias(name=self.alias))

    def ensure_index(self) -> None:
        """An index behind the alias, created empty on first use."""
        if not self.alias_targets():
            name = self._new_index_name()
            self.create_index(name)
            self.client.indices.put_alias(index=name, name=self.alias)

    def swap_alias(self, new_index: str) -> list[str]:
        """Point the alias at ``new_index`` in one atomic call; returns the old indices."""
        old = self.alias_targets()
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        self.client.indices.update_aliases(body={"actions": actions})
        return old

    def rebuild(
        self, *, progress=None, documents=None, chunk_size: int = 500, before_swap=None
    ) -> tuple[int, str]:
        """A new index with every searchable page, then the alias swap; returns (count, index).

        ``before_swap(index_name)`` runs on the filled index while the old one still answers.
        """
        from opensearchpy import helpers

        name = self._new_index_name()
        self.create_index(name)
        # No refreshes and no fsync per bulk request while filling: nobody searches this index
        # until the alias moves, and a failed rebuild is simply run again.
        self.client.indices.put_settings(
            index=name, body={"index": {"refresh_interval": "-1", "translog.durability": "async"}}
        )
        if documents is None:

            def page_documents():
                for page in searchable_pages():
                    yield from documents_for_page(page)
                    if progress:
                        progress(1)
                yield from outreach_documents()

            documents = page_documents()
        elif progress:
            given = documents

            def counted():
                for document in given:
                    progress(1)
                    yield document

            documents = counted()

        def actions():
            for document in documents:
                yield {"_index": name, "_id": document.key, "_source": opensearch_source(document)}

        # A pipeline of two: the next chunk of documents is built here (database reads stay
        # in this thread) while one thread sends the previous chunk and the node indexes it.
        # A failed document raises (BulkIndexError).
        count = 0
        with ThreadPoolExecutor(max_workers=1) as sender:
            sending = None
            for chunk in _chunks(actions(), chunk_size):
                queued = sender.submit(
                    helpers.bulk,
                    self.client,
                    chunk,
                    chunk_size=chunk_size,
                    request_timeout=120,
                    max_retries=0,
                )
                if sending is not None:
                    count += sending.result()[0]
                sending = queued
            if sending is not None:
                count += sending.result()[0]
        self.client.indices.put_settings(
            index=name, body={"index": {"refresh_interval": "1s", "translog.durability": "request"}}
        )
        self.client.indices.refresh(index=name)  # one refresh, after the bulk load
        if before_swap is not None:
            before_swap(name)
        for index in self.swap_alias(name):
            self.client.indices.delete(index=index, ignore_unavailable=True)
        return count, name

    # --- Writing (from the publish signals) ------------------------------------------------
    def index(self, documents: list[IndexDocument]) -> None:
        """Write the documents and drop what their pages had before and no longer have.

        One bulk request (writes and deletes) and one refresh: searchable at once, not
        after the next refresh interval (editorial rates are low).
        """
        from opensearchpy import helpers

        if not documents:
            return
        self._call(self.ensure_index)
        keys = {d.key for d in documents}
        pages = {d.page_id for d in documents if d.page_id is not None}
        before = self._keys_of_pages(pages) if pages else set()
        actions = [{"_index": self.alias, "_id": d.key, "_source": opensearch_source(d)} for d in documents]
        actions += [{"_op_type": "delete", "_index": self.alias, "_id": key} for key in sorted(before - keys)]
        self._call(helpers.bulk, self.client, actions, refresh=True, raise_on_error=False, request_timeout=10)

    def remove(self, page_ids) -> None:
        """Every document of the pages ``page_ids`` (a FAQ page's items with it)."""
        from opensearchpy import helpers

        if not page_ids or not self.alias_targets():
            return
        keys = self._keys_of_pages(page_ids)
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": key} for key in sorted(keys)]
        if actions:
            self._call(
                helpers.bulk, self.client, actions, refresh=True, raise_on_error=False, request_timeout=10
            )

    def remove_keys(self, keys) -> None:
        """The documents with these keys (those that are no page: outreach services)."""
        from opensearchpy import helpers

        if not keys or not self.alias_targets():
            return
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": key} for key in sorted(keys)]
        self._call(helpers.bulk, self.client, actions, refresh=True, raise_on_error=False, request_timeout=10)

    def _keys_of_pages(self, page_ids) -> set[str]:
        """The ids of the documents the pages have now (a search, not ``_delete_by_query``,
        which needs the reindex module that not every node has)."""
        response = self._call(
            self.client.search,
            index=self.alias,
            body={
                "query": {"terms": {"page_id": sorted(int(i) for i in page_ids)}},
                "size": MAX_DOCUMENTS_PER_WRITE,
                "_source": False,
            },
            request_timeout=10,
        )
        return {hit["_id"] for hit in response["hits"]["hits"]}

    def clear(self) -> None:
        for index in self.alias_targets():
            self.client.indices.delete(index=index, ignore_unavailable=True)

    def count(self) -> int:
        return self._call(self.client.count, index=self.alias, request_timeout=self.timeout)["count"]

    # --- Reading ---------------------------------------------------------------------------
    def _run(
        self,
        query: SearchQuery,
        request: SearchRequest,
        *,
        fuzzy: bool = True,
        minimum: int | None = None,
        suggest: bool = True,
    ) -> dict:
        weights = self._weights(query)
        body = query.opensearch_body(request, fuzzy=fuzzy, minimum=minimum, weights=weights, suggest=suggest)
        return self._call(
            self.client.search,
            index=self.alias,
            body=body,
            request_timeout=self.timeout,
        )

    def _weights(self, query: SearchQuery) -> list[float] | None:
        """Each group's rarity among the matches (one counting request), for queries of
        two groups or more: a page holding only the rare word of "svimmelhed ældre" then
        ranks above one holding only the common word in its title."""
        if len(query.spans) < 2:
            return None
        if query.rarity_counted:  # once per query, whatever reruns follow
            return query.rarity
        response = self._call(
            self.client.search,
            index=self.alias,
            body=query.opensearch_weight_query(),
            request_timeout=self.timeout,
        )
        anything = response["hits"]["total"]["value"]
        counts = [
            response.get("aggregations", {}).get(f"g{i}", {}).get("doc_count")
            for i in range(len(query.spans))
        ]
        query.rarity_counted = True  # a count missing: rank without the weights
        if all(count is not None for count in counts):
            query.rarity = [math.log(1 + anything / max(count, 1)) for count in counts]
        return query.rarity

    @staticmethod
    def _suggestion(query: SearchQuery, response: dict) -> str:
        """The query with its unknown words replaced by the engine's closest indexed words.

        A word of any indexed text is known to the suggester already (``spell`` holds the
        bodies too); a synonym term or a compound of known words ("tryksmerter") is known
        here, and is never replaced by another diagnosis that merely looks like it.
        """
        replacements = {}
        for entry in response.get("suggest", {}).get("words", []):
            if entry.get("options") and not analysis.is_known_word(entry["text"]):
                replacements[entry["text"]] = entry["options"][0]["text"]
        if not replacements:
            return ""
        return " ".join(replacements.get(word, word) for word in query.words)

    def search(self, request: SearchRequest) -> SearchResult:
        result = SearchResult.empty_for(request, backend=self.name)
        query = SearchQuery(request.query)
        if not query:
            return result
        # The words as typed first; typo tolerance (fuzzy expansion, the dearest part of a
        # search over a large index) only when they find little; one group of many only
        # when no document holds enough of them.
        fuzzy, minimum = False, None
        # No suggestions in the first request: they are read only when it finds little, and
        # the reruns that follow then ask for them.
        response = self._run(query, request, fuzzy=False, suggest=False)
        total = response["hits"]["total"]["value"]
        if total < FEW_RESULTS:
            fuzzy = True
            response = self._run(query, request)
            total = response["hits"]["total"]["value"]
        if total == 0 and query.minimum_should_match > 1:
            # Any one word, as typed (as on the database): one fuzzy word of several is noise.
            fuzzy, minimum = False, 1
            response = self._run(query, request, fuzzy=False, minimum=minimum)
            total = response["hits"]["total"]["value"]
        if total < FEW_RESULTS:
            suggestion = self._suggestion(query, response)
            if suggestion and suggestion != " ".join(query.words):
                suggested = SearchQuery(suggestion)
                better = self._run(suggested, request, suggest=False)
                if better["hits"]["total"]["value"] > total:
                    # Offered always; applied only when the words as typed found nothing.
                    result.suggestion = suggestion
                    if total == 0:
                        response, total, result.corrected = better, better["hits"]["total"]["value"], True
                        minimum = None
        result.total = total
        if request.page > result.num_pages and total:
            request = SearchRequest(**{**request.__dict__, "page": result.num_pages})
            response = self._run(
                SearchQuery(result.suggestion if result.corrected else request.query),
                request,
                fuzzy=fuzzy or result.corrected,
                minimum=minimum,
                suggest=False,
            )
        result.page = request.page
        names = facet_names()  # read once per search, for the hits and the facets
        result.hits = self._hits(response, names)
        counters = {
            facet: Counter(
                {b["key"]: b["doc_count"] for b in response["aggregations"][facet]["values"]["buckets"]}
            )
            for facet in _FACET_AGGS
        }
        result.facets = facet_values(counters, request, names=names)
        return result

    @staticmethod
    def _hits(response: dict, names: dict) -> list[Hit]:
        types = names["type"]
        hits = []
        for raw in response["hits"]["hits"]:
            source = raw["_source"]
            fragments = []
            for field in ("summary", "body_general_practice", "body_hospital", "body"):
                fragments.extend(raw.get("highlight", {}).get(field, []))
            hits.append(
                Hit(
                    page_id=source["page_id"],
                    title=source["title"],
                    url=source["url"],
                    type=source["type"],
                    type_name=types.get(source["type"], source["type"]),
                    summary=source.get("summary", ""),
                    sectors=[
                        {"slug": s, "name": names["sector"].get(s, s)} for s in source.get("sectors", [])
                    ],
                    specialties=[
                        {"slug": s, "name": names["specialty"].get(s, s)}
                        for s in source.get("specialties", [])
                    ],
                    highlight=" … ".join(snippet_text(f) for f in fragments[:2]),
                    score=raw.get("_score") or 0.0,
                )
            )
        return hits

    def autocomplete(self, text: str, *, limit: int = 8) -> list[dict]:
        query = SearchQuery(text[:100])
        if not query.words:
            return []
        response = self._call(
            self.client.search,
            index=self.alias,
            body=query.opensearch_autocomplete(limit),
            request_timeout=self.timeout,
        )
        return [
            {"title": h["_source"]["title"], "url": h["_source"]["url"]} for h in response["hits"]["hits"]
        ]
