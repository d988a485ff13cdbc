"""The search API: a request in, a result out, whatever backend answers.

``SearchRequest`` is what a visitor asked (cleaned and capped, never
rejected); ``SearchQuery`` is the one class that turns it into a query for
each backend (an FTS5 MATCH expression, a PostgreSQL tsquery, an OpenSearch
DSL search); ``SearchResult`` is what the page and the JSON API render.

User text never reaches an engine as query syntax: it is cut into words by
``search.analysis`` first, and only those words (letters and digits) are
quoted into the backend's own syntax here.
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import analysis

MAX_QUERY_LENGTH = 500
PAGE_SIZE = 20
MAX_PAGE = 500
FACETS = ("type", "sector", "specialty", "topic")
# Characters of each text that highlighting reads (database backends).
HIGHLIGHT_SCAN = 20_000
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
# Indexed texts keep one line per heading, paragraph or list item (``search.documents``); a
# snippet that spans lines shows this between them, so a heading does not run into its text.
LINE_SEPARATOR = " · "


def snippet_text(fragment: str) -> str:
    """A highlighted fragment (already escaped) with its line breaks made visible."""
    lines = [line.strip() for line in fragment.splitlines()]
    return LINE_SEPARATOR.join(line for line in lines if line)


def _clean_slug(value) -> str:
    value = str(value or "").strip().lower()
    return value if _SLUG.match(value) else ""


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    type: str = ""
    sector: str = ""
    specialty: str = ""
    topic: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE
    notice: str = ""

    @classmethod
    def from_params(cls, params, *, names=None) -> "SearchRequest":
        """From a QueryDict; ``names`` maps a facet to its URL parameter when it differs."""
        names = names or {}
        raw = str(params.get("q", "") or "")
        query = raw.replace("\x00", "").strip()
        notice = ""
        if len(query) > MAX_QUERY_LENGTH:
            query = query[:MAX_QUERY_LENGTH].strip()
            notice = _("Your search was shortened to %(n)d characters.") % {"n": MAX_QUERY_LENGTH}
        try:
            page = int(str(params.get(names.get("page", "page"), "1"))[:6])
        except ValueError:
            page = 1
        return cls(
            query=query,
            page=min(max(page, 1), MAX_PAGE),
            notice=notice,
            **{facet: _clean_slug(params.get(names.get(facet, facet))) for facet in FACETS},
        )

    def filters(self) -> dict:
        return {facet: getattr(self, facet) for facet in FACETS if getattr(self, facet)}


@dataclass
class FacetValue:
    slug: str
    name: str
    count: int
    chosen: bool = False


@dataclass
class Hit:
    page_id: int | None  # None: no page (an outreach service)
    title: str
    url: str
    type: str
    type_name: str
    summary: str = ""
    sectors: list = field(default_factory=list)  # [{"slug", "name"}]
    specialties: list = field(default_factory=list)
    highlight: str = ""  # HTML: escaped text with <mark> around matches
    score: float = 0.0

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "type": self.type,
            "type_name": str(self.type_name),
            "sector": [s["slug"] for s in self.sectors],
            "sectors": self.sectors,
            "specialties": self.specialties,
            "summary": self.summary,
            "highlight": self.highlight,
        }


@dataclass
class SearchResult:
    query: str
    backend: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str = ""
    # True when the hits are for ``suggestion`` because the query itself found nothing.
    corrected: bool = False
    page: int = 1
    page_size: int = PAGE_SIZE
    notice: str = ""
    degraded: bool = False

    @classmethod
    def empty_for(cls, request: "SearchRequest", *, backend: str) -> "SearchResult":
        """The result every backend starts from: the request's query, page and notice, no hits."""
        return cls(
            query=request.query,
            backend=backend,
            page=request.page,
            page_size=request.page_size,
            notice=request.notice,
        )

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "backend": self.backend,
            "total": self.total,
            "page": self.page,
            "num_pages": self.num_pages,
            "hits": [hit.as_json() for hit in self.hits],
            "facets": {
                name: [
                    {"value": v.slug, "name": str(v.name), "count": v.count, "chosen": v.chosen}
                    for v in values
                ]
                for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "corrected": self.corrected,
            "notice": self.notice,
            "degraded": self.degraded,
        }


def _fts5_quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def _ts_quote(term: str) -> str:
    return "'" + term.replace("'", "").replace("\\", "") + "'"


class SearchQuery:
    """The one place where a visitor's words become a backend query.

    The words are grouped by the synonym list (``analysis.expand_spans``): the
    alternatives inside a group are OR-ed, and a phrase alternative is matched
    as a phrase (all its words on PostgreSQL). Groups are "should" clauses: a
    document must match ``minimum_should_match`` of them, and documents that
    match more groups rank before those that match fewer, on every backend
    (``coverage``); a single word also matches as a prefix of longer words
    (``demens`` finds ``demensudredning``), and compound parts are indexed
    (``search.analysis.extra_words``), so ``sygepleje`` finds
    ``hjemmesygeplejen`` too.
    """

    PREFIX_MIN = 4
    # OpenSearch: the score of each matched group, far above any text score, so that the
    # number of matched groups orders the hits and relevance orders those that tie.
    COVERAGE_BOOST = 1000.0
    # ... and, among hits that match as many groups, a rarer group counts more: its inverse
    # frequency among the matches (``opensearch_weight_queries``) times this, above the text
    # score, as on PostgreSQL.
    RARITY_BOOST = 100.0

    def __init__(self, text: str):
        self.text = text
        self.words = analysis.words(text)[:64]
        self.spans = analysis.expand_spans(self.words)
        self.groups = [alternatives for _span, alternatives in self.spans]
        # OpenSearch: each group's rarity among the matches, counted once per query.
        self.rarity: list[float] | None = None
        self.rarity_counted = False

    def __bool__(self):
        return bool(self.groups)

    @property
    def minimum_should_match(self) -> int:
        """Groups a hit must match: one of one or two words, half of more (questions carry
        words such as "gør" or "ved" that a good page need not hold)."""
        return max(1, -(-len(self.groups) // 2)) if len(self.groups) > 2 else 1

    @staticmethod
    def _phrase_stems(phrase) -> list[tuple[int, str]]:
        """(position, stem) of a phrase's words, stop words skipped but counted."""
        return [(i, analysis.stem(w)) for i, w in enumerate(phrase) if not analysis.is_stop_word(w)]

    # --- SQLite FTS5 ---------------------------------------------------------------------
    def fts5_groups(self) -> list[str]:
        """One FTS5 expression per group: its alternatives OR-ed."""
        parts = []
        for group in self.groups:
            alternatives = []
            for phrase in group:
                stems = [s for _i, s in self._phrase_stems(phrase)]
                if not stems:
                    continue
                alternatives.append(_fts5_quote(" ".join(stems)))
                if len(phrase) == 1 and len(phrase[0]) >= self.PREFIX_MIN:
                    alternatives.append(_fts5_quote(phrase[0]) + "*")
            if alternatives:
                parts.append("(" + " OR ".join(dict.fromkeys(alternatives)) + ")")
        return parts

    def fts5(self, *, mode: str = "and", column: str = "") -> str:
        expression = (" AND " if mode == "and" else " OR ").join(self.fts5_groups())
        if expression and column:
            expression = f"{column} : ({expression})"
        return expression

    def fts5_autocomplete(self) -> str:
        """Every word but the last as typed, the last as a prefix; titles only."""
        if not self.words:
            return ""
        *head, last = self.words
        parts = [_fts5_quote(analysis.stem(w)) for w in head if not analysis.is_stop_word(w)]
        parts.append(_fts5_quote(last) + "*")
        return "title : (" + " AND ".join(parts) + ")"

    # --- PostgreSQL tsquery (parsed with the 'simple' configuration: the lexemes here
    # are already Danish Snowball stems, the same algorithm as the 'danish' configuration
    # that built the tsvector) --------------------------------------------------------------
    def tsquery_groups(self) -> list[str]:
        parts = []
        for group in self.groups:
            alternatives = []
            for phrase in group:
                positioned = self._phrase_stems(phrase)
                if not positioned:
                    continue
                # All words of a phrase, not the phrase: a phrase operator (<1>) needs word
                # positions, which the GIN index lacks, so PostgreSQL would then read every
                # candidate row's whole vector from TOAST (4x the cost of a search).
                chain = " & ".join(_ts_quote(stem) for _pos, stem in positioned)
                alternatives.append(f"({chain})" if len(positioned) > 1 else chain)
                if len(phrase) == 1 and len(phrase[0]) >= self.PREFIX_MIN:
                    alternatives.append(_ts_quote(phrase[0]) + ":*")
            if alternatives:
                parts.append("(" + " | ".join(dict.fromkeys(alternatives)) + ")")
        return parts

    def tsquery(self, *, mode: str = "and") -> str:
        return (" & " if mode == "and" else " | ").join(self.tsquery_groups())

    def tsquery_autocomplete(self) -> str:
        if not self.words:
            return ""
        *head, last = self.words
        parts = [_ts_quote(analysis.stem(w)) + ":A" for w in head if not analysis.is_stop_word(w)]
        parts.append(_ts_quote(last) + ":*A")
        return " & ".join(parts)

    # --- OpenSearch ----------------------------------------------------------------------
    # The visitor's text goes into ``match``-type queries and ``prefix`` queries on one
    # normalised word: no query_string, no simple_query_string, no wildcard or regexp.
    TEXT_FIELDS = [
        "title^6",
        "topics_text^3",
        "symptoms^3",
        "summary^2",
        "body_general_practice",
        "body_hospital",
        "body",
    ]

    def _opensearch_words(self) -> dict:
        """Words, stems and synonyms (the search analyzer expands them), any of them."""
        return {
            "multi_match": {
                "query": " ".join(self.words),
                "fields": self.TEXT_FIELDS,
                "operator": "or",
                "type": "cross_fields",
                "boost": 3,
            }
        }

    def _opensearch_group(self, span: tuple[str, ...], *, fuzzy: bool) -> dict:
        """One group matches by its words (stems, synonyms), a compound part, a word prefix
        (the database backends' ``word*``) or, with ``fuzzy``, a typo of it."""
        text = " ".join(span)
        ways = [
            {
                "multi_match": {
                    "query": text,
                    "fields": self.TEXT_FIELDS,
                    "operator": "and",
                    "type": "cross_fields",
                    "boost": 3,
                }
            },
            {"match": {"parts": {"query": text, "operator": "and", "boost": 0.5}}},
        ]
        if len(span) == 1 and len(span[0]) >= self.PREFIX_MIN:
            ways.append({"prefix": {"spell": {"value": span[0], "boost": 0.3}}})
        if fuzzy:
            # Typos: fuzzy on the unexpanded words (fuzziness and graph synonyms do not mix), in
            # the short fields only: expanding every term over the bodies of 100,000 documents
            # was most of a search's time, and a misspelt word that matters is in a title,
            # topic or summary.
            ways.append(
                {
                    "multi_match": {
                        "query": text,
                        "fields": ["title^3", "topics_text^2", "summary"],
                        "fuzziness": "AUTO",
                        "prefix_length": 1,
                        "max_expansions": 20,
                        "operator": "and",
                        "analyzer": "danish_index",
                    }
                }
            )
        return {"bool": {"should": ways, "minimum_should_match": 1}}

    def opensearch_weight_query(self) -> dict:
        """One counting request: the documents matching any group, and per group (``g0``, ...)
        how many of them match it.

        From the counts the backend weighs each group by its rarity among the matches,
        ``ln(1 + any / group)``, the weight PostgreSQL computes in SQL.
        """
        clauses = [self._opensearch_group(span, fuzzy=False) for span, _alternatives in self.spans]
        return {
            "size": 0,
            "track_total_hits": True,
            "query": {"bool": {"should": clauses, "minimum_should_match": 1}},
            "aggs": {f"g{i}": {"filter": clause} for i, clause in enumerate(clauses)},
        }

    def opensearch_query(
        self, *, fuzzy: bool = True, minimum: int | None = None, weights: list[float] | None = None
    ) -> dict:
        """The scoring query: each group a filter counted ``COVERAGE_BOOST`` (so more groups
        rank first) plus ``RARITY_BOOST`` times its weight (``weights``, one per group), at
        least ``minimum`` of them (default ``minimum_should_match``); the words, their phrase,
        title prefixes and compound parts score the rest, once for the whole text. ``fuzzy``
        adds typo tolerance (the backend asks for it only when the words as typed find little,
        as fuzzy expansion is the dearest part of a search)."""
        groups = []
        for i, (span, _alternatives) in enumerate(self.spans):
            clause = self._opensearch_group(span, fuzzy=fuzzy)
            boost = self.COVERAGE_BOOST + (self.RARITY_BOOST * weights[i] if weights else 0.0)
            groups.append({"constant_score": {"filter": clause, "boost": boost}})
        text = " ".join(self.words)
        return {
            "bool": {
                "must": [
                    {
                        "bool": {
                            "should": groups,
                            "minimum_should_match": minimum or self.minimum_should_match,
                        }
                    }
                ],
                "should": [
                    self._opensearch_words(),
                    {"match": {"parts": {"query": text, "boost": 0.5}}},
                    # The words as a phrase, in the title and summary above all.
                    {
                        "multi_match": {
                            "query": text,
                            "fields": ["title^4", "summary^2", "topics_text^2"],
                            "type": "phrase",
                            "boost": 2,
                        }
                    },
                    # Compounds and prefixes in the title: "demens" finds "Demensudredning".
                    {"match": {"title.autocomplete": {"query": text, "operator": "and", "boost": 1}}},
                ],
            }
        }

    def opensearch_body(
        self,
        request,
        *,
        fuzzy: bool = True,
        minimum: int | None = None,
        weights: list[float] | None = None,
        suggest: bool = True,
    ) -> dict:
        """The whole search: query, post_filter, facet aggregations, highlight, paging and,
        with ``suggest``, the "did you mean" suggestions (a term suggester over every
        indexed word: a quarter of a search's time, so asked only when it may be used)."""
        fields = {"type": "type", "sector": "sectors", "specialty": "specialties", "topic": "topics"}
        chosen = {facet: {"term": {fields[facet]: slug}} for facet, slug in request.filters().items()}
        aggregations = {}
        for facet, name in fields.items():
            others = [clause for other, clause in chosen.items() if other != facet]
            aggregations[facet] = {
                "filter": {"bool": {"filter": others}} if others else {"match_all": {}},
                "aggs": {"values": {"terms": {"field": name, "size": 50}}},
            }
        body = {
            "query": self.opensearch_query(fuzzy=fuzzy, minimum=minimum, weights=weights),
            "aggs": aggregations,
            "from": (request.page - 1) * request.page_size,
            "size": request.page_size,
            "track_total_hits": True,
            "_source": ["page_id", "title", "url", "type", "summary", "sectors", "specialties"],
            "highlight": {
                # Fragments from the plain word match, not the fuzzy and prefix clauses.
                "highlight_query": self._opensearch_words(),
                "pre_tags": ["<mark>"],
                "post_tags": ["</mark>"],
                "encoder": "html",
                "fragment_size": 160,
                "number_of_fragments": 2,
                "fields": {
                    name: {} for name in ("summary", "body_general_practice", "body_hospital", "body")
                },
            },
        }
        if suggest:
            body["suggest"] = {
                "text": " ".join(self.words)[:200],
                "words": {"term": {"field": "spell", "suggest_mode": "missing", "min_word_length": 4}},
            }
        if chosen:
            body["post_filter"] = {"bool": {"filter": list(chosen.values())}}
        return body

    def opensearch_autocomplete(self, limit: int) -> dict:
        """Every word but the last as a word of the title, the last as a title word prefix of
        any length (one letter too: "børn med f"); stop words among the first are left out."""
        *head, last = self.words
        head = [w for w in head if not analysis.is_stop_word(w)]
        must = [{"match": {"title.autocomplete": {"query": last}}}]
        if head:
            words = {"query": " ".join(head), "operator": "and", "analyzer": "danish_index"}
            must.insert(0, {"match": {"title": words}})
        return {"query": {"bool": {"must": must}}, "size": limit, "_source": ["title", "url"]}

    # --- Highlighting (database backends) -------------------------------------------------
    def _matchers(self):
        stems, prefixes = set(), set()
        for group in self.groups:
            for phrase in group:
                for word in phrase:
                    if analysis.is_stop_word(word):
                        continue
                    stems.add(analysis.stem(word))
                    if len(phrase) == 1 and len(word) >= self.PREFIX_MIN:
                        prefixes.add(word)
        return stems, tuple(prefixes)

    def highlight(self, *texts: str, fragments: int = 2, width: int = 160) -> str:
        """The best ``fragments`` sentences of ``texts``, escaped, matches in ``<mark>``."""
        stems, prefixes = self._matchers()
        if not stems:
            return ""

        seen: dict[str, bool] = {}  # words repeat: each distinct token is normalised and stemmed once

        def matches(token: str) -> bool:
            if token not in seen:
                word = analysis.normalise(token)
                seen[token] = analysis.stem(word) in stems or word.startswith(prefixes)
            return seen[token]

        def word_matches(word: str) -> bool:  # an already normalised word
            return analysis.stem(word) in stems or word.startswith(prefixes)

        scored = []
        for text in texts:
            # Fragments come from the start of a long text: bounded work per hit.
            for sentence in re.split(r"(?<=[.!?:])\s+|\n+", (text or "")[:HIGHLIGHT_SCAN]):
                sentence = sentence.strip()
                if not sentence:
                    continue
                # The sentence normalised in one go, not word by word (most of the time was there).
                score = sum(1 for w in analysis.words(sentence) if word_matches(w))
                if score:
                    scored.append((score, len(scored), sentence))
        best = sorted(scored, key=lambda s: (-s[0], s[1]))[:fragments]
        out = []
        for _score, _order, sentence in sorted(best, key=lambda s: s[1]):
            if len(sentence) > width:
                sentence = sentence[:width].rsplit(" ", 1)[0] + " …"
            pieces = re.split(r"(\w+)", sentence)
            out.append(
                "".join(
                    f"<mark>{html.escape(p)}</mark>"
                    if p and p[0].isalnum() and matches(p)
                    else html.escape(p)
                    for p in pieces
                )
            )
        return " … ".join(out)
