"""Search on the database: SQLite FTS5 or PostgreSQL full text search.

The embedded default (``make run``) and the fallback when the engine is away.
Both vendors share everything but the full-text match: the matches are counted
per combination of facet values in SQL (``_Group``), filters and facet counts
are computed on those few rows, and only the shown page of hits is loaded.
Stemming and synonyms are applied in Python (``search.analysis``) on both
sides, for the index and the query alike, so the two vendors find the same
pages. Ranking, on both: the number of the query's word groups a page
matches first (``SearchQuery.minimum_should_match`` of them at least); then
FTS5's bm25 over weighted columns on SQLite, and on PostgreSQL each matched
group's rarity among the matches plus ``ts_rank`` over the weighted
``search_vector`` (title, topics, summary and body).
"""

import difflib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.functions import Length

from content.models import Sector, Topic
from portal.accounts.models import Specialty
from search import analysis
from search.documents import IndexDocument, type_names
from search.models import IndexedWord, SearchDocument
from search.query import FACETS, FacetValue, Hit, SearchQuery, SearchRequest, SearchResult, snippet_text

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


def _lexemes(text: str, text_words: list[str] | None = None) -> list[str]:
    """Stems of the words of ``text``, stop words as '' (they keep their position)."""
    stop, stem = analysis.STOP_WORDS, analysis.stem
    text_words = analysis.words(text) if text_words is None else text_words
    return ["" if w in stop or len(w) > _TS_MAX_LEXEME else stem(w) for w in text_words]


# Positions kept per lexeme in ``search_vector``: enough for ts_rank to tell a word said once
# from a word the text is about, without carrying every position of a long text.
_SEARCH_POSITIONS = 3


def tsvectors(doc: IndexDocument) -> tuple[str, str]:
    """The document's two PostgreSQL vectors as tsvector literals (see ``search.models``).

    Built here, with the Python Snowball stemmer and stop words that also turn a query into
    lexemes, so index and query never disagree about a word; PostgreSQL parses a literal
    far faster than ``to_tsvector`` analyses text, which was most of a bulk load's cost.
    ``search_vector`` finds and ranks matches: every lexeme (compound parts and joined
    hyphenated words included) with at most three positions, weighted A title, B topics,
    C summary, D body, so that ``ts_rank`` on it ranks body matches too (lexemes are
    ``\\w+`` stems: nothing in them needs escaping). ``rank_vector`` holds title, topics and
    summary with all their positions (A, B, C), for autocomplete.
    """
    title, topics, summary, bodies = _fulltext_columns(doc)
    ranked: dict[str, list[str]] = {}
    found: dict[str, list[str]] = {}
    position = 0  # of the last word so far; each word takes the next one, up to the maximum
    for text, weight in ((title, "A"), (topics, "B"), (summary, "C"), (bodies, "D")):
        text_words = analysis.words(text)
        own = _lexemes(text, text_words)
        extra = analysis.extra_words(text, text_words)
        lexemes = own + [analysis.stem(w) for w in extra if len(w) <= _TS_MAX_LEXEME]
        ranked_until = len(own) if weight != "D" else 0  # the text's own words, not its parts
        # The hot loop of a bulk load (every word of every body): plain dict lookups, and a
        # position label made only when it is kept (most body words recur past three).
        for index, lexeme in enumerate(lexemes):
            if not lexeme:
                continue
            at = found.get(lexeme)
            if index >= ranked_until and at is not None and len(at) >= _SEARCH_POSITIONS:
                continue
            label = f"{min(position + 1 + index, _TS_MAX_POSITION)}{weight}"
            if index < ranked_until:
                kept = ranked.get(lexeme)
                if kept is None:
                    ranked[lexeme] = [label]
                elif len(kept) < _TS_MAX_POSITIONS:
                    kept.append(label)
            if at is None:
                found[lexeme] = [label]
            elif len(at) < _SEARCH_POSITIONS:
                at.append(label)
        position = min(position + len(lexemes), _TS_MAX_POSITION)
    search_vector = " ".join(f"'{lexeme}':{','.join(at)}" for lexeme, at in found.items())
    rank_vector = " ".join(f"'{lexeme}':{','.join(at)}" for lexeme, at in ranked.items())
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
        # Every word of every text is a known word: "did you mean" never replaces one.
        words = set()
        for doc in docs:
            for text in _fulltext_columns(doc):
                words.update(w for w in analysis.words(text) if 2 < len(w) <= 100 and not w.isdigit())
        words -= analysis.STOP_WORDS
        with transaction.atomic(using=self.connection.alias):
            if replace:
                self._delete_pages({doc.page_id for doc in docs if doc.page_id is not None})
                self._delete_keys([doc.key for doc in docs if doc.page_id is None])
            if self.vendor == "postgresql":
                self._insert_postgresql(docs)
            else:
                self._insert_sqlite(docs)
            IndexedWord.objects.bulk_create(
                [IndexedWord(word=w, stem=analysis.stem(w)[:100]) for w in words],
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
                    [row.pk, *(analysis.index_terms_with_parts(text) for text in _fulltext_columns(doc))]
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

    def _delete_keys(self, keys) -> None:
        """The documents that are no page (outreach services), by their keys."""
        keys = list(keys)
        ids = list(SearchDocument.objects.filter(key__in=keys).values_list("pk", flat=True)) if keys else []
        if not ids:
            return
        with self.connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(ids))
            if self.vendor == "sqlite":
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", ids)  # noqa: S608
            cursor.execute(f"DELETE FROM search_searchentry WHERE document_id IN ({marks})", ids)  # noqa: S608
            cursor.execute(f"DELETE FROM search_searchdocument WHERE id IN ({marks})", ids)  # noqa: S608

    def remove(self, page_ids) -> None:
        """Every document of the pages ``page_ids`` (a FAQ page's items with it)."""
        page_ids = list(page_ids)
        if not page_ids:
            return
        with transaction.atomic(using=self.connection.alias):
            self._delete_pages(page_ids)

    def remove_keys(self, keys) -> None:
        """The documents with these keys (those that are no page: outreach services)."""
        with transaction.atomic(using=self.connection.alias):
            self._delete_keys(list(keys))

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
        self, query: SearchQuery, need: int, *, top: int = 0
    ) -> tuple[list[_Group], list[int] | None]:
        """The matches of at least ``need`` of the query's groups, counted per type and facet
        values, in SQL (one row per combination).

        With ``top`` on PostgreSQL, the ids of the ``top`` best unfiltered matches come
        from the same statement, which finds the matches once for both. Otherwise the
        ids are None.
        """
        if self.vendor == "postgresql":
            return self._pg_groups(query, need, top=top)
        match, coverage, params = self._fts5_match(query, need)
        if not match:
            return [], None
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT f.facets, count(*) FROM search_fts JOIN search_searchentry f"  # noqa: S608
                f" ON f.document_id = search_fts.rowid WHERE search_fts MATCH %s{coverage} GROUP BY f.facets",
                [match, *params],
            )
            return [_Group(*row) for row in cursor.fetchall()], None

    @staticmethod
    def _fts5_match(query: SearchQuery, need: int) -> tuple[str, str, list]:
        """(MATCH expression, SQL that keeps the rows matching ``need`` groups, its parameters)."""
        groups = query.fts5_groups()
        if not groups:
            return "", "", []
        if need >= len(groups):
            return " AND ".join(groups), "", []
        match = " OR ".join(groups)
        if need <= 1:
            return match, "", []
        coverage, params = DatabaseBackend._fts5_coverage(groups)
        return match, f" AND {coverage} >= %s", [*params, need]

    @staticmethod
    def _fts5_coverage(groups: list[str]) -> tuple[str, list]:
        """How many groups a row matches: each group's matches are read once (SQLite keeps an
        uncorrelated ``IN`` list), then each row is looked up in them."""
        test = "(search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s))"
        return "(" + " + ".join([test] * len(groups)) + ")", list(groups)

    def _page(self, query: SearchQuery, need: int, chosen, *, offset: int, limit: int) -> list[int]:
        """Ids of one page of the best matches, ranked and cut in SQL: most groups matched
        first, then by relevance.

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
            return self._pg_page(query, need, facets_sql, facets_params, offset=offset, limit=limit)
        match, coverage, params = self._fts5_match(query, need)
        if not match:
            return []
        groups = query.fts5_groups()
        order, order_params = "", []
        if len(groups) > 1 and need < len(groups):
            order, order_params = self._fts5_coverage(groups)
            order += " DESC, "
        # bm25: lower is better. The FTS5 table alone finds and ranks; no document row is read.
        bm25 = f"bm25(search_fts, {', '.join(str(w) for w in FTS5_WEIGHTS)})"
        where = f"search_fts MATCH %s{coverage}{facets_sql}"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_fts.rowid FROM search_fts{join} WHERE {where}"  # noqa: S608
                f" ORDER BY {order}{bm25}, search_fts.rowid LIMIT %s OFFSET %s",
                [match, *params, *facets_params, *order_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    # --- PostgreSQL: matches from the GIN index of the narrow entry table (``m``), each with
    # the groups it matches (each group's matches found once through the GIN index, as a
    # hashed list: testing every match's vector would read it from TOAST) and ts_rank over
    # its title, topics and summary (``rank_vector``, small, in the row); ``s`` keeps those
    # matching enough groups and weighs each matched group by its rarity among the matches
    # (an inverse document frequency over the candidates); ``c`` adds ts_rank over the whole
    # weighted ``search_vector`` (body too) when the candidates are few enough for reading
    # their vectors to cost little. Hits are ordered by groups matched, then that score,
    # then id. --------------------------------------------------------------------------------
    BODY_RANK_LIMIT = 500

    def _pg_candidates(self, query: SearchQuery, need: int, facets_sql: str, facets_params: list):
        """The CTEs ``m``, ``s`` (facets) and ``c`` (scored) and their parameters, or ("", [])."""
        groups = query.tsquery_groups()
        if not groups:
            return "", []
        everything = " | ".join(groups) if need < len(groups) else " & ".join(groups)
        anything = " | ".join(groups)
        if len(groups) == 1:
            flags, flag_params, coverage, weight = "", [], "1", "0"
        else:
            flags = "".join(
                f", (f.document_id IN (SELECT g{i}.document_id FROM search_searchentry g{i}"  # noqa: S608
                f" WHERE g{i}.search_vector @@ to_tsquery('simple', %s)))::int AS c{i}"
                for i in range(len(groups))
            )
            flag_params = list(groups)
            coverage = " + ".join(f"c{i}" for i in range(len(groups)))
            weight = " + ".join(
                f"c{i} * ln(1 + count(*) OVER () / greatest(sum(c{i}) OVER (), 1)::float8)"
                for i in range(len(groups))
            )
        sql = (
            "m AS MATERIALIZED (SELECT f.document_id AS id, f.facets"  # noqa: S608 - constants only
            f"{flags}, CASE WHEN f.rank_vector @@ to_tsquery('simple', %s)"
            " THEN ts_rank(f.rank_vector, to_tsquery('simple', %s), 1) ELSE 0 END AS rank"
            f" FROM search_searchentry f WHERE f.search_vector @@ to_tsquery('simple', %s){facets_sql}),"
            " s AS MATERIALIZED (SELECT id, facets, coverage, score, total FROM"
            f" (SELECT id, facets, {coverage} AS coverage, rank + {weight} AS score,"
            " count(*) OVER () AS total FROM m) weighed WHERE coverage >= %s),"
            # A CASE around a scalar subquery, not a lateral join: the planner made that join a
            # merge join over the whole entry table (35 ms of 150 for a common word) and only
            # then dropped every row for ``total`` being above the limit.
            " c AS (SELECT s.id, s.facets, s.coverage, s.score + CASE WHEN s.total <= %s THEN"
            " coalesce((SELECT ts_rank(e.search_vector, to_tsquery('simple', %s), 1)"
            " FROM search_searchentry e WHERE e.document_id = s.id), 0) ELSE 0 END AS score FROM s)"
        )
        params = [*flag_params, anything, anything, everything, *facets_params, need]
        return sql, [*params, self.BODY_RANK_LIMIT, anything]

    _PG_ORDER = " ORDER BY coverage DESC, score DESC, id"

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

    def _pg_groups(self, query: SearchQuery, need: int, *, top: int) -> tuple[list[_Group], list[int] | None]:
        candidates, params = self._pg_candidates(query, need, "", [])
        if not candidates:
            return [], None
        with self._index_scans(), self.connection.cursor() as cursor:
            if not top:
                cursor.execute(f"WITH {candidates} SELECT facets, count(*) FROM s GROUP BY facets", params)  # noqa: S608
                return [_Group(*row) for row in cursor.fetchall()], None
            cursor.execute(
                f"WITH {candidates} SELECT facets, count(*), NULL::bigint, NULL::int, NULL::float8"  # noqa: S608
                " FROM s GROUP BY facets UNION ALL SELECT NULL, NULL, id, coverage, score FROM"
                f" (SELECT id, coverage, score FROM c{self._PG_ORDER} LIMIT %s) best",
                [*params, top],
            )
            rows = cursor.fetchall()
        groups = [_Group(facets, count) for facets, count, *_rest in rows if facets is not None]
        best = sorted((-cov, -score, doc_id) for facets, _n, doc_id, cov, score in rows if facets is None)
        return groups, [doc_id for _cov, _score, doc_id in best]

    def _pg_page(self, query, need, facets_sql, facets_params, *, offset: int, limit: int) -> list[int]:
        candidates, params = self._pg_candidates(query, need, facets_sql, facets_params)
        if not candidates:
            return []
        with self._index_scans(), self.connection.cursor() as cursor:
            cursor.execute(
                f"WITH {candidates} SELECT id FROM c{self._PG_ORDER} LIMIT %s OFFSET %s",  # noqa: S608
                [*params, limit, offset],
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
            out[doc_id] = " … ".join(snippet_text(part) for part in escaped.split("\x04"))
        return out

    def suggest(self, query: SearchQuery) -> str:
        """The query with unknown words replaced by the closest indexed word, or ''.

        Known words are never replaced: a word of any indexed text, a synonym term, or a
        compound of known words ("tryksmerter" is not a typo of "rygsmerter").
        """
        changed, words = False, []
        for word in query.words:
            replacement = word
            if len(word) > 3 and not analysis.is_stop_word(word) and not word.isdigit():
                if not analysis.is_known_word(word) and not self._indexed(word):
                    replacement = self._closest_word(word) or word
            changed |= replacement != word
            words.append(replacement)
        return " ".join(words) if changed else ""

    @staticmethod
    def _indexed(word: str) -> bool:
        return IndexedWord.objects.filter(stem=analysis.stem(word)).exists()

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
            # Bodies' words are known words too: only those of about the word's length are read.
            candidates = list(
                IndexedWord.objects.annotate(length=Length("word"))
                .filter(word__startswith=word[0], length__gte=len(word) - 2, length__lte=len(word) + 2)
                .values_list("word", flat=True)
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
        need = query.minimum_should_match
        groups, top_ids = self._groups(query, need, top=top)
        if not groups and need > 1:  # no page holds enough of the words: any of them
            need = 1
            groups, top_ids = self._groups(query, need, top=top)
        found = sum(g.count for g in groups)
        if found < FEW_RESULTS:
            suggestion = self.suggest(query)
            if suggestion:
                suggested = SearchQuery(suggestion)
                better, better_ids = self._groups(suggested, suggested.minimum_should_match, top=top)
                if sum(g.count for g in better) > found:
                    # Offered always; applied only when the words as typed found nothing.
                    result.suggestion = suggestion
                    if not groups:
                        groups, top_ids, query, result.corrected = better, better_ids, suggested, True
                        need = suggested.minimum_should_match
        chosen = [g for g in groups if g.passes(filters)] if filters else None
        result.total = sum(g.count for g in (groups if chosen is None else chosen))
        result.page = min(request.page, result.num_pages)
        names = facet_names()  # read once per search, for the hits and the facets
        if result.total:
            doc_ids = top_ids
            if doc_ids is None:
                doc_ids = self._page(
                    query,
                    need,
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
