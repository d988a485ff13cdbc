"""Search on the database: SQLite FTS5 or PostgreSQL full text search.

The embedded default (``make run``) and the fallback when the engine is away.
Both vendors share everything but the full-text match: the matches are counted
per combination of facet values in SQL (``_Group``), filters and facet counts
are computed on those few rows, and only the shown page of hits is loaded.
Stemming and synonyms are applied in Python (``search.analysis``) on both
sides, for the index and the query alike, so the two vendors find the same
pages. Ranking: FTS5's bm25 over weighted columns on SQLite; on PostgreSQL
``ts_rank`` over title, topics and summary, for the matches that hold a query
word there, ahead of those that hold it in the body only.
"""

import difflib
from collections import Counter
from contextlib import contextmanager
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


def _slugs(values) -> str:
    return "|" + "|".join(v.slug for v in values) + "|" if values else ""


# Rows per INSERT statement in the bulk write path (well under SQLite's variable limit).
BULK_BATCH_SIZE = 500
_ROW_FIELDS = [
    "key",
    "page",
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
        key=doc.key[:200],
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


def _facets(doc: IndexDocument) -> str:
    """``SearchEntry.facets``: type and slug lists, space-separated (see ``_Group``)."""
    return " ".join([doc.type, _slugs(doc.sectors), _slugs(doc.specialties), _slugs(doc.topics)])[:4600]


def _fulltext_columns(doc: IndexDocument) -> tuple[str, str, str, str]:
    """The texts of the four weighted full-text columns: title, topics, summary, bodies."""
    topics = " ".join([t.name for t in doc.topics] + [s.name for s in doc.specialties] + doc.tags)
    bodies = "\n".join(b for b in (doc.body, doc.body_general_practice, doc.body_hospital) if b)
    return doc.title, topics, doc.summary, bodies


# PostgreSQL's limits for a tsvector: positions per lexeme, highest position, lexeme length.
_TS_MAX_POSITIONS = 255
_TS_MAX_POSITION = 16383
_TS_MAX_LEXEME = 100  # PostgreSQL allows 2,047 bytes; longer "words" are not words


def _lexemes(text: str) -> list[str]:
    """Stems of the words of ``text``, stop words as '' (they keep their position)."""
    stop, stem = analysis.STOP_WORDS, analysis.stem
    return ["" if w in stop or len(w) > _TS_MAX_LEXEME else stem(w) for w in analysis.words(text)]


def tsvectors(doc: IndexDocument) -> tuple[str, str]:
    """The document's two PostgreSQL vectors as tsvector literals (see ``search.models``).

    Built here, with the Python Snowball stemmer and stop words that also turn a query into
    lexemes, so index and query never disagree about a word; PostgreSQL parses a literal
    far faster than ``to_tsvector`` analyses text, which was most of a bulk load's cost.
    ``search_vector`` only finds matches, so it is every lexeme without positions (lexemes
    are ``\\w+`` stems: nothing in them needs escaping). ``rank_vector`` ranks them, so it has
    positions and weights: A title, B topics, C summary.
    """
    title, topics, summary, bodies = _fulltext_columns(doc)
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in ((title, "A"), (topics, "B"), (summary, "C")):
        for lexeme in _lexemes(text):
            position = min(position + 1, _TS_MAX_POSITION)
            if lexeme:
                at = positions.setdefault(lexeme, [])
                if len(at) < _TS_MAX_POSITIONS:
                    at.append(f"{position}{weight}")
    everything = set(positions).union(_lexemes(bodies))
    everything.discard("")
    search_vector = "'" + "' '".join(everything) + "'" if everything else ""
    rank_vector = " ".join(f"'{lexeme}':{','.join(at)}" for lexeme, at in positions.items())
    return search_vector, rank_vector


@dataclass
class _Group:
    """Matching documents that share type and facet values, and how many there are.

    The database groups the matches (``GROUP BY``), so a search reads one row per
    combination of facet values, not one per match; totals and facet counts are sums
    over these rows.
    """

    facets: str  # as stored in ``SearchEntry.facets``
    count: int

    def __post_init__(self):
        kind, sectors, specialties, topics = (self.facets.split(" ", 3) + ["", "", ""])[:4]
        # Parsed once: facet counting asks every group about every facet.
        self.values = {
            "type": [kind],
            "sector": [s for s in sectors.split("|") if s],
            "specialty": [s for s in specialties.split("|") if s],
            "topic": [s for s in topics.split("|") if s],
        }

    def passes(self, filters: dict, *, ignore: str = "") -> bool:
        return all(slug in self.values[facet] for facet, slug in filters.items() if facet != ignore)


def facet_names() -> dict[str, dict[str, str]]:
    """Facet value labels from the vocabularies themselves (shared with the engine backend)."""
    return {
        "type": type_names(),
        "sector": dict(Sector.objects.values_list("slug", "name")),
        "specialty": dict(Specialty.objects.values_list("slug", "name")),
        "topic": dict(Topic.objects.values_list("slug", "name")),
    }


def facet_values(
    counters: dict[str, Counter], request: SearchRequest, *, names: dict | None = None
) -> dict[str, list[FacetValue]]:
    """Counts per facet value, most first; a chosen value is listed even at zero."""
    names = names or facet_names()
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
    def index(self, documents: list[IndexDocument], *, replace: bool = True) -> None:
        """Write ``documents`` in bulk: the rows with their full-text entries, then new words.

        With ``replace`` (the default) every document the pages of ``documents`` had before
        goes first, so a FAQ item whose question was removed leaves the index with it; a
        bulk load into an empty index passes ``replace=False``. All rows are built in memory
        and written inside one transaction, in multi-row statements, never row by row.
        """
        by_key = {doc.key: doc for doc in documents}  # the last copy of a document wins
        if not by_key:
            return
        docs = list(by_key.values())
        words = set()
        for doc in docs:
            title, topics, summary, _bodies = _fulltext_columns(doc)
            words.update(w for w in analysis.words(f"{title} {topics} {summary}") if len(w) > 2)
        words -= analysis.STOP_WORDS
        with transaction.atomic(using=self.connection.alias):
            if replace:
                self._delete_pages({doc.page_id for doc in docs})
            if self.vendor == "postgresql":
                self._insert_postgresql(docs)
            else:
                self._insert_sqlite(docs)
            IndexedWord.objects.bulk_create(
                [IndexedWord(word=w[:100], stem=analysis.stem(w)[:100]) for w in words if not w.isdigit()],
                batch_size=BULK_BATCH_SIZE,
                ignore_conflicts=True,
            )

    def _insert_sqlite(self, docs: list[IndexDocument]) -> None:
        # bulk_create sets the new row ids (RETURNING, SQLite 3.35+): they are the FTS5 rowids.
        rows = SearchDocument.objects.bulk_create([_row(doc) for doc in docs], batch_size=BULK_BATCH_SIZE)
        self._insert_facets([(row.pk, _facets(doc)) for row, doc in zip(rows, docs, strict=True)])
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, topics, summary, body) VALUES (%s, %s, %s, %s, %s)",
                [
                    [row.pk, *(analysis.index_terms(text) for text in _fulltext_columns(doc))]
                    for row, doc in zip(rows, docs, strict=True)
                ],
            )

    def _insert_postgresql(self, docs: list[IndexDocument]) -> None:
        """Each document and its entry (facets, vectors) in one statement, sent with
        ``executemany`` (psycopg pipelines it: one prepared statement, no round trip per row)."""
        fields = [SearchDocument._meta.get_field(n) for n in _ROW_FIELDS]
        columns = ", ".join(f.column for f in fields)
        values = ", ".join(["%s"] * len(fields))
        sql = (
            f"WITH d AS (INSERT INTO search_searchdocument ({columns}) VALUES ({values}) RETURNING id)"  # noqa: S608 - constants only
            " INSERT INTO search_searchentry (document_id, facets, search_vector, rank_vector)"
            " SELECT d.id, %s, %s::tsvector, %s::tsvector FROM d"
        )
        params = []
        for doc in docs:
            row = _row(doc)
            params.append([*(getattr(row, f.attname) for f in fields), _facets(doc), *tsvectors(doc)])
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def _insert_facets(self, rows: list[tuple[int, str]]) -> None:
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), BULK_BATCH_SIZE):
                batch = rows[start : start + BULK_BATCH_SIZE]
                cursor.execute(
                    "INSERT INTO search_searchentry (document_id, facets) VALUES "  # noqa: S608
                    + ", ".join(["(%s, %s)"] * len(batch)),
                    [value for row in batch for value in row],
                )

    def _delete_pages(self, page_ids) -> None:
        page_ids = sorted(page_ids)
        with self.connection.cursor() as cursor:
            for start in range(0, len(page_ids), BULK_BATCH_SIZE):
                chunk = page_ids[start : start + BULK_BATCH_SIZE]
                marks = ", ".join(["%s"] * len(chunk))
                documents = f"SELECT id FROM search_searchdocument WHERE page_id IN ({marks})"  # noqa: S608
                if self.vendor == "sqlite":
                    cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({documents})", chunk)  # noqa: S608
                cursor.execute(
                    f"DELETE FROM search_searchentry WHERE document_id IN ({documents})",  # noqa: S608
                    chunk,
                )
                cursor.execute(f"DELETE FROM search_searchdocument WHERE page_id IN ({marks})", chunk)  # noqa: S608

    def remove(self, page_ids) -> None:
        """Every document of the pages ``page_ids`` (a FAQ page's items with it)."""
        page_ids = list(page_ids)
        if not page_ids:
            return
        with transaction.atomic(using=self.connection.alias):
            self._delete_pages(page_ids)

    def clear(self) -> None:
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                if self.vendor == "sqlite":
                    cursor.execute("DELETE FROM search_fts")
                cursor.execute("DELETE FROM search_searchentry")
                cursor.execute("DELETE FROM search_searchdocument")

    def optimize(self) -> None:
        """After a bulk load: fresh planner statistics and no dead rows, or on SQLite one
        merged FTS5 b-tree.

        Without it PostgreSQL plans the first searches on an empty table's statistics, and
        FTS5 reads many small segments per term.
        """
        with self.connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
                cursor.execute("PRAGMA optimize")
            elif self.vendor == "postgresql" and not self.connection.in_atomic_block:
                # A rebuild leaves the old index's rows dead beside the new ones, and the new
                # ones in the GIN indexes' pending lists, which every search scans in full;
                # until autovacuum comes by, searches cost twice as much. VACUUM clears both.
                cursor.execute(
                    "VACUUM (ANALYZE) search_searchdocument, search_searchentry, search_indexedword"
                )
            elif self.vendor == "postgresql":  # VACUUM cannot run in a transaction
                cursor.execute("SELECT gin_clean_pending_list('search_searchentry_vector'::regclass)")
                cursor.execute("SELECT gin_clean_pending_list('search_searchentry_rank'::regclass)")
                cursor.execute("ANALYZE search_searchdocument, search_searchentry, search_indexedword")

    def count(self) -> int:
        return SearchDocument.objects.count()

    # --- Reading ---------------------------------------------------------------------------
    def _groups(
        self, query: SearchQuery, mode: str, *, top: int = 0
    ) -> tuple[list[_Group], list[int] | None]:
        """The matches counted per type and facet values, in SQL (one row per combination).

        With ``top`` on PostgreSQL, the ids of the ``top`` best unfiltered matches come
        from the same statement, which finds the matches once for both. Otherwise the
        ids are None.
        """
        if self.vendor == "postgresql":
            return self._pg_groups(query, mode, top=top)
        match = query.fts5(mode=mode)
        if not match:
            return [], None
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT f.facets, count(*) FROM search_fts JOIN search_searchentry f"
                " ON f.document_id = search_fts.rowid WHERE search_fts MATCH %s GROUP BY f.facets",
                [match],
            )
            return [_Group(*row) for row in cursor.fetchall()], None

    def _page(self, query: SearchQuery, mode: str, chosen, *, offset: int, limit: int) -> list[int]:
        """Ids of one page of the best matches, ranked and cut in SQL.

        ``chosen`` are the groups that pass the visitor's filters (None: no filters); a
        filter is then an exact match on the facets column, decided by the same rule
        (``_Group.passes``) that counts the facets.
        """
        facets_sql, facets_params, join = "", [], ""
        if chosen is not None:
            facets_sql = " AND f.facets IN (" + ", ".join(["%s"] * len(chosen)) + ")"
            facets_params = [g.facets for g in chosen]
            join = " JOIN search_searchentry f ON f.document_id = search_fts.rowid"
        if self.vendor == "postgresql":
            return self._pg_page(query, mode, facets_sql, facets_params, offset=offset, limit=limit)
        match = query.fts5(mode=mode)
        if not match:
            return []
        # bm25: lower is better. The FTS5 table alone finds and ranks; no document row is read.
        bm25 = f"bm25(search_fts, {', '.join(str(w) for w in FTS5_WEIGHTS)})"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_fts.rowid FROM search_fts{join} WHERE search_fts MATCH %s{facets_sql}"  # noqa: S608
                f" ORDER BY {bm25}, search_fts.rowid LIMIT %s OFFSET %s",
                [match, *facets_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    # --- PostgreSQL: matches from the GIN index of the narrow entry table (``m``); of those,
    # only the ones whose title, topics or summary hold a query word (``h``, found through
    # the rank vector's own GIN index) are ranked with ts_rank, which costs microseconds a
    # row; the rest follow them, by id. Ranking every match read and ranked 12,000 wide rows
    # for a common word, 80 ms; this reads a few MB of narrow rows. ------------------------
    _PG_RANKED = (
        "h AS MATERIALIZED (SELECT e.document_id AS id,"
        " ts_rank(e.rank_vector, to_tsquery('simple', %s), 1) AS rank FROM search_searchentry e"
        " JOIN m ON m.id = e.document_id WHERE e.rank_vector @@ to_tsquery('simple', %s))"
    )
    _PG_ORDERED = (
        "SELECT id, rank FROM (SELECT id, rank FROM h UNION ALL SELECT m.id, -1 FROM m"
        " WHERE NOT EXISTS (SELECT 1 FROM h WHERE h.id = m.id)) ranked"
        " ORDER BY rank DESC, id LIMIT %s OFFSET %s"
    )

    @contextmanager
    def _index_scans(self):
        """Plan the PostgreSQL statements inside on the GIN indexes, never a table scan.

        For a common word the planner expects a quarter of the entries to match and reads
        the whole table instead, checking every row's vector: 60 ms where the index takes
        9. The setting lives in a savepoint that is then rolled back (the statements only
        read), so nothing else in the request is planned under it.
        """
        alias = self.connection.alias
        with transaction.atomic(using=alias):
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            yield
            transaction.set_rollback(True, using=alias)

    def _pg_groups(self, query: SearchQuery, mode: str, *, top: int) -> tuple[list[_Group], list[int] | None]:
        tsquery = query.tsquery(mode=mode)
        if not tsquery:
            return [], None
        with self._index_scans(), self.connection.cursor() as cursor:
            if not top:
                cursor.execute(
                    "SELECT facets, count(*) FROM search_searchentry"
                    " WHERE search_vector @@ to_tsquery('simple', %s) GROUP BY facets",
                    [tsquery],
                )
                return [_Group(*row) for row in cursor.fetchall()], None
            rank_query = query.tsquery(mode="or")
            cursor.execute(
                "WITH m AS MATERIALIZED (SELECT document_id AS id, facets FROM search_searchentry"  # noqa: S608
                f" WHERE search_vector @@ to_tsquery('simple', %s)), {self._PG_RANKED}"
                " SELECT facets, count(*), NULL::bigint, NULL::real FROM m GROUP BY facets"
                f" UNION ALL SELECT NULL, NULL, id, rank FROM ({self._PG_ORDERED}) best",
                [tsquery, rank_query, rank_query, top, 0],
            )
            rows = cursor.fetchall()
        groups = [_Group(facets, count) for facets, count, _id, _rank in rows if facets is not None]
        best = sorted((-rank, doc_id) for facets, _count, doc_id, rank in rows if facets is None)
        return groups, [doc_id for _rank, doc_id in best]

    def _pg_page(self, query, mode, facets_sql, facets_params, *, offset: int, limit: int) -> list[int]:
        tsquery = query.tsquery(mode=mode)
        if not tsquery:
            return []
        rank_query = query.tsquery(mode="or")
        with self._index_scans(), self.connection.cursor() as cursor:
            cursor.execute(
                "WITH m AS MATERIALIZED (SELECT f.document_id AS id FROM search_searchentry f"  # noqa: S608
                f" WHERE f.search_vector @@ to_tsquery('simple', %s){facets_sql}), {self._PG_RANKED}"
                f" {self._PG_ORDERED}",
                [tsquery, *facets_params, rank_query, rank_query, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def _facets(
        self, groups: list[_Group], request: SearchRequest, names: dict
    ) -> dict[str, list[FacetValue]]:
        filters = request.filters()
        counters = {facet: Counter() for facet in FACETS}
        for group in groups:
            for facet in FACETS:
                if group.passes(filters, ignore=facet):
                    for value in group.values[facet]:
                        counters[facet][value] += group.count
        return facet_values(counters, request, names=names)

    def _hits(self, doc_ids: list[int], query: SearchQuery, taxonomy: dict) -> list[Hit]:
        documents = SearchDocument.objects.in_bulk(doc_ids)
        names = taxonomy["type"]
        headlines = self._pg_headlines(doc_ids, query) if self.vendor == "postgresql" else {}
        hits = []
        for doc_id in doc_ids:
            doc = documents.get(doc_id)
            if doc is None:
                continue
            if self.vendor == "postgresql":
                highlight = headlines.get(doc_id, "")
            else:
                highlight = query.highlight(
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

    def _pg_headlines(self, doc_ids, query: SearchQuery) -> dict[int, str]:
        """``ts_headline`` fragments, with markers swapped for <mark> after escaping.

        A hit that matched in its title only has nothing to mark in its text; it gets the
        opening words, as a search engine's snippet would.
        """
        import html

        tsquery = query.tsquery(mode="or")
        if not tsquery or not doc_ids:
            return {}
        options = (
            "StartSel=\x02, StopSel=\x03, MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=\x04"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_headline('danish', summary || E'\\n' || body_general_practice || E'\\n'"
                " || body_hospital || E'\\n' || body, to_tsquery('simple', %s), %s)"
                " FROM search_searchdocument WHERE id = ANY(%s)",
                [tsquery, options, list(doc_ids)],
            )
            rows = cursor.fetchall()
        out = {}
        for doc_id, text in rows:
            escaped = html.escape(text or "").replace("\x02", "<mark>").replace("\x03", "</mark>")
            out[doc_id] = escaped.replace("\x04", " … ")
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
        filters = request.filters()
        # The first page without filters (most searches) can come with the counts.
        top = request.page_size if request.page == 1 and not filters else 0
        mode = "and"
        groups, top_ids = self._groups(query, mode, top=top)
        found = sum(g.count for g in groups)
        if found < FEW_RESULTS:
            suggestion = self.suggest(query)
            if suggestion:
                suggested = SearchQuery(suggestion)
                better, better_ids = self._groups(suggested, "and", top=top)
                if sum(g.count for g in better) > found:
                    result.suggestion = suggestion
                    if not groups:
                        groups, top_ids, query, result.corrected = better, better_ids, suggested, True
        if not groups:
            mode = "or"
            groups, top_ids = self._groups(query, mode, top=top)
        chosen = [g for g in groups if g.passes(filters)] if filters else None
        result.total = sum(g.count for g in (groups if chosen is None else chosen))
        result.page = min(request.page, result.num_pages)
        names = facet_names()  # read once per search, for the hits and the facets
        if result.total:
            doc_ids = top_ids
            if doc_ids is None:
                doc_ids = self._page(
                    query,
                    mode,
                    chosen,
                    offset=(result.page - 1) * request.page_size,
                    limit=request.page_size,
                )
            result.hits = self._hits(doc_ids, query, names)
        result.facets = self._facets(groups, request, names)
        return result

    def autocomplete(self, text: str, *, limit: int = 8) -> list[dict]:
        query = SearchQuery(text[:100])
        if not query.words:
            return []
        if self.vendor == "sqlite":
            sql = (
                "SELECT d.title, d.url FROM search_fts JOIN search_searchdocument d"  # noqa: S608 - constants only
                " ON d.id = search_fts.rowid WHERE search_fts MATCH %s"
                f" ORDER BY bm25(search_fts, {', '.join(str(w) for w in FTS5_WEIGHTS)}) LIMIT %s"
            )
            params = [query.fts5_autocomplete(), limit]
        else:
            # Titles are the rank vector's weight A, which has its own GIN index.
            sql = (
                "SELECT d.title, d.url FROM search_searchentry e"
                " JOIN search_searchdocument d ON d.id = e.document_id, to_tsquery('simple', %s) q"
                " WHERE e.rank_vector @@ q ORDER BY ts_rank_cd(e.rank_vector, q) DESC, d.title LIMIT %s"
            )
            params = [query.tsquery_autocomplete(), limit]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [{"title": title, "url": url} for title, url in cursor.fetchall()]
