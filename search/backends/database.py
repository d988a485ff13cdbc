"""Search on the database: SQLite FTS5 or PostgreSQL full text search.

The embedded default (``make run``) and the fallback when the engine is away.
Both vendors share everything but the full-text match: candidates (id, rank
and facet values) come from one SQL query, filters and facet counts are
computed on those rows, and only the shown page of hits is loaded. Stemming
and synonyms are applied in Python (``search.analysis``) on both sides, so
the two vendors find the same pages.
"""

import difflib
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction

from content.models import Sector, Topic
from portal.accounts.models import Specialty
from search import analysis
from search.documents import IndexDocument, type_names
from search.models import IndexedWord, SearchDocument
from search.query import FACETS, FacetValue, Hit, SearchQuery, SearchRequest, SearchResult

# bm25 weights of the FTS5 columns: title, topics (and specialties, tags), summary, body.
FTS5_WEIGHTS = (10.0, 5.0, 3.0, 1.0)
FEW_RESULTS = 3
_FACET_COLUMNS = {"sector": "sector_slugs", "specialty": "specialty_slugs", "topic": "topic_slugs"}


def _slugs(values) -> str:
    return "|" + "|".join(v.slug for v in values) + "|" if values else ""


# Rows per INSERT statement in the bulk write path (well under SQLite's variable limit).
BULK_BATCH_SIZE = 500
_UPDATE_FIELDS = [
    "page_type",
    "title",
    "url",
    "summary",
    "body",
    "body_general_practice",
    "body_hospital",
    "sector_slugs",
    "specialty_slugs",
    "topic_slugs",
    "last_published_at",
    "next_review",
]


def _row(doc: IndexDocument) -> SearchDocument:
    return SearchDocument(
        page_id=doc.page_id,
        page_type=doc.type,
        title=doc.title[:255],
        url=doc.url[:500],
        summary=doc.summary,
        body=doc.body,
        body_general_practice=doc.body_general_practice,
        body_hospital=doc.body_hospital,
        sector_slugs=_slugs(doc.sectors)[:500],
        specialty_slugs=_slugs(doc.specialties)[:2000],
        topic_slugs=_slugs(doc.topics)[:2000],
        last_published_at=doc.last_published_at,
        next_review=doc.next_review,
    )


@dataclass
class _Candidate:
    page_id: int
    score: float
    type: str
    sectors: str
    specialties: str
    topics: str

    def value(self, facet: str) -> list[str]:
        if facet == "type":
            return [self.type]
        raw = getattr(self, {"sector": "sectors", "specialty": "specialties", "topic": "topics"}[facet])
        return [s for s in raw.split("|") if s]

    def passes(self, filters: dict, *, ignore: str = "") -> bool:
        return all(slug in self.value(facet) for facet, slug in filters.items() if facet != ignore)


def facet_names() -> dict[str, dict[str, str]]:
    """Facet value labels from the vocabularies themselves (shared with the engine backend)."""
    return {
        "type": type_names(),
        "sector": dict(Sector.objects.values_list("slug", "name")),
        "specialty": dict(Specialty.objects.values_list("slug", "name")),
        "topic": dict(Topic.objects.values_list("slug", "name")),
    }


def facet_values(counters: dict[str, Counter], request: SearchRequest) -> dict[str, list[FacetValue]]:
    """Counts per facet value, most first; a chosen value is listed even at zero."""
    names = facet_names()
    facets = {}
    for facet in FACETS:
        chosen = getattr(request, facet)
        values = [
            FacetValue(slug, names[facet].get(slug, slug), count, slug == chosen)
            for slug, count in counters[facet].items()
        ]
        if chosen and chosen not in counters[facet]:
            values.append(FacetValue(chosen, names[facet].get(chosen, chosen), 0, True))
        facets[facet] = sorted(values, key=lambda v: (-v.count, str(v.name)))
    return facets


class DatabaseBackend:
    name = "database"

    def __init__(self, using=None):
        self.connection = connection if using is None else using

    @property
    def vendor(self) -> str:
        return self.connection.vendor

    # --- Writing ---------------------------------------------------------------------------
    def index(self, documents: list[IndexDocument]) -> None:
        """Write ``documents`` in bulk: one upsert, one batch of full-text rows, one word insert.

        All rows are built in memory first and written inside one transaction, with
        ``bulk_create`` and ``executemany`` instead of one round of statements per page.
        """
        by_page = {doc.page_id: doc for doc in documents}  # the last copy of a page wins
        if not by_page:
            return
        docs = list(by_page.values())
        rows, fulltext, words = [], [], set()
        for doc in docs:
            rows.append(_row(doc))
            topics = " ".join([t.name for t in doc.topics] + [s.name for s in doc.specialties] + doc.tags)
            bodies = "\n".join([doc.body, doc.body_general_practice, doc.body_hospital])
            fulltext.append((doc.page_id, (doc.title, topics, doc.summary, bodies)))
            words.update(w for w in analysis.words(f"{doc.title} {topics} {doc.summary}") if len(w) > 2)
        words -= analysis.STOP_WORDS
        with transaction.atomic(using=self.connection.alias):
            SearchDocument.objects.bulk_create(
                rows,
                batch_size=BULK_BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["page"],
                update_fields=_UPDATE_FIELDS,
            )
            with self.connection.cursor() as cursor:
                if self.vendor == "sqlite":
                    cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [[i] for i, _ in fulltext])
                    cursor.executemany(
                        "INSERT INTO search_fts (rowid, title, topics, summary, body)"
                        " VALUES (%s, %s, %s, %s, %s)",
                        [[i, *(analysis.index_terms(t) for t in texts)] for i, texts in fulltext],
                    )
                elif self.vendor == "postgresql":
                    cursor.executemany(
                        "UPDATE search_searchdocument SET search_vector ="
                        " setweight(to_tsvector('danish', %s), 'A')"
                        " || setweight(to_tsvector('danish', %s), 'B')"
                        " || setweight(to_tsvector('danish', %s), 'C')"
                        " || setweight(to_tsvector('danish', %s), 'D')"
                        " WHERE page_id = %s",
                        [[analysis.normalise(t) for t in texts] + [i] for i, texts in fulltext],
                    )
            IndexedWord.objects.bulk_create(
                [IndexedWord(word=w[:100], stem=analysis.stem(w)[:100]) for w in words if not w.isdigit()],
                batch_size=BULK_BATCH_SIZE,
                ignore_conflicts=True,
            )

    def remove(self, page_ids) -> None:
        page_ids = list(page_ids)
        if not page_ids:
            return
        with transaction.atomic():
            SearchDocument.objects.filter(page_id__in=page_ids).delete()
            if self.vendor == "sqlite":
                with self.connection.cursor() as cursor:
                    cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [[i] for i in page_ids])

    def clear(self) -> None:
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            if self.vendor == "sqlite":
                with self.connection.cursor() as cursor:
                    cursor.execute("DELETE FROM search_fts")

    def count(self) -> int:
        return SearchDocument.objects.count()

    # --- Reading ---------------------------------------------------------------------------
    def _candidates(self, query: SearchQuery, mode: str) -> list[_Candidate]:
        if self.vendor == "sqlite":
            match = query.fts5(mode=mode)
            if not match:
                return []
            weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
            sql = (
                f"SELECT d.page_id, -bm25(search_fts, {weights}), d.page_type, d.sector_slugs,"  # noqa: S608
                " d.specialty_slugs, d.topic_slugs FROM search_fts"
                " JOIN search_searchdocument d ON d.page_id = search_fts.rowid"
                " WHERE search_fts MATCH %s"
            )
            params = [match]
        elif self.vendor == "postgresql":
            tsquery = query.tsquery(mode=mode)
            if not tsquery:
                return []
            sql = (
                "SELECT d.page_id, ts_rank_cd(d.search_vector, q, 1), d.page_type, d.sector_slugs,"
                " d.specialty_slugs, d.topic_slugs FROM search_searchdocument d,"
                " to_tsquery('simple', %s) q WHERE d.search_vector @@ q"
            )
            params = [tsquery]
        else:  # pragma: no cover - the project runs on SQLite or PostgreSQL only
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [_Candidate(*row) for row in cursor.fetchall()]

    def _facets(self, candidates, request: SearchRequest) -> dict[str, list[FacetValue]]:
        filters = request.filters()
        counters = {facet: Counter() for facet in FACETS}
        for candidate in candidates:
            for facet in FACETS:
                if candidate.passes(filters, ignore=facet):
                    counters[facet].update(candidate.value(facet))
        return facet_values(counters, request)

    def _hits(self, page_ids: list[int], query: SearchQuery) -> list[Hit]:
        documents = SearchDocument.objects.in_bulk(page_ids)
        names = type_names()
        taxonomy = {
            "sector": dict(Sector.objects.values_list("slug", "name")),
            "specialty": dict(Specialty.objects.values_list("slug", "name")),
        }
        headlines = self._pg_headlines(page_ids, query) if self.vendor == "postgresql" else {}
        hits = []
        for page_id in page_ids:
            doc = documents.get(page_id)
            if doc is None:
                continue
            highlight = headlines.get(page_id) or query.highlight(
                doc.summary, doc.body_general_practice, doc.body_hospital, doc.body
            )
            hits.append(
                Hit(
                    page_id=doc.page_id,
                    title=doc.title,
                    url=doc.url,
                    type=doc.page_type,
                    type_name=names.get(doc.page_type, doc.page_type),
                    summary=doc.summary,
                    sectors=[
                        {"slug": s, "name": taxonomy["sector"].get(s, s)}
                        for s in doc.sector_slugs.split("|")
                        if s
                    ],
                    specialties=[
                        {"slug": s, "name": taxonomy["specialty"].get(s, s)}
                        for s in doc.specialty_slugs.split("|")
                        if s
                    ],
                    highlight=highlight,
                )
            )
        return hits

    def _pg_headlines(self, page_ids, query: SearchQuery) -> dict[int, str]:
        """``ts_headline`` fragments, with markers swapped for <mark> after escaping."""
        import html

        tsquery = query.tsquery(mode="or")
        if not tsquery or not page_ids:
            return {}
        options = (
            "StartSel=\x02, StopSel=\x03, MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=\x04"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT page_id, ts_headline('danish', summary || E'\\n' || body_general_practice || E'\\n'"
                " || body_hospital || E'\\n' || body, to_tsquery('simple', %s), %s)"
                " FROM search_searchdocument WHERE page_id = ANY(%s)",
                [tsquery, options, list(page_ids)],
            )
            rows = cursor.fetchall()
        out = {}
        for page_id, text in rows:
            if "\x02" not in (text or ""):
                continue
            escaped = html.escape(text).replace("\x02", "<mark>").replace("\x03", "</mark>")
            out[page_id] = escaped.replace("\x04", " … ")
        return out

    def suggest(self, query: SearchQuery) -> str:
        """The query with unknown words replaced by the closest indexed word, or ''."""
        changed, words = False, []
        for word in query.words:
            replacement = word
            if len(word) > 3 and not analysis.is_stop_word(word) and not word.isdigit():
                if not IndexedWord.objects.filter(stem=analysis.stem(word)).exists():
                    replacement = self._closest_word(word) or word
            changed |= replacement != word
            words.append(replacement)
        return " ".join(words) if changed else ""

    def _closest_word(self, word: str) -> str:
        """The indexed word closest to ``word``: trigram candidates on PostgreSQL when pg_trgm
        is there (not limited to the same first letter), else words with the same first
        letter; the final choice is by edit similarity either way."""
        candidates: list[str] = []
        if self.vendor == "postgresql" and self._has_trigram():
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT word FROM search_indexedword WHERE similarity(word, %s) > 0.15"
                    " ORDER BY similarity(word, %s) DESC, word LIMIT 30",
                    [word, word],
                )
                candidates = [row[0] for row in cursor.fetchall()]
        if not candidates:
            candidates = list(
                IndexedWord.objects.filter(word__startswith=word[0]).values_list("word", flat=True)
            )
        candidates = [c for c in candidates if abs(len(c) - len(word)) <= 2]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
        return close[0] if close else ""

    def _has_trigram(self) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            return cursor.fetchone() is not None

    def search(self, request: SearchRequest) -> SearchResult:
        result = SearchResult.empty_for(request, backend=self.name)
        query = SearchQuery(request.query)
        if not query:
            return result
        candidates = self._candidates(query, "and")
        if len(candidates) < FEW_RESULTS:
            suggestion = self.suggest(query)
            if suggestion:
                suggested = SearchQuery(suggestion)
                better = self._candidates(suggested, "and")
                if len(better) > len(candidates):
                    result.suggestion = suggestion
                    if not candidates:
                        candidates, query, result.corrected = better, suggested, True
        if not candidates:
            candidates = self._candidates(query, "or")
        filters = request.filters()
        selected = [c for c in candidates if c.passes(filters)]
        selected.sort(key=lambda c: (-c.score, c.page_id))
        result.total = len(selected)
        result.page = min(request.page, result.num_pages)
        start = (result.page - 1) * request.page_size
        result.hits = self._hits([c.page_id for c in selected[start : start + request.page_size]], query)
        result.facets = self._facets(candidates, request)
        return result

    def autocomplete(self, text: str, *, limit: int = 8) -> list[dict]:
        query = SearchQuery(text[:100])
        if not query.words:
            return []
        if self.vendor == "sqlite":
            sql = (
                "SELECT d.title, d.url FROM search_fts JOIN search_searchdocument d"  # noqa: S608 - constants only
                " ON d.page_id = search_fts.rowid WHERE search_fts MATCH %s"
                f" ORDER BY bm25(search_fts, {', '.join(str(w) for w in FTS5_WEIGHTS)}) LIMIT %s"
            )
            params = [query.fts5_autocomplete(), limit]
        else:
            sql = (
                "SELECT title, url FROM search_searchdocument, to_tsquery('simple', %s) q"
                " WHERE search_vector @@ q ORDER BY ts_rank_cd(search_vector, q) DESC, title LIMIT %s"
            )
            params = [query.tsquery_autocomplete(), limit]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [{"title": title, "url": url} for title, url in cursor.fetchall()]
