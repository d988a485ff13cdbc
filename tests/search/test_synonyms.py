"""The synonym file: every group is one meaning on the database search and on OpenSearch.

Each group of ``search/synonyms/da_medical.txt`` gets one document per term; searching any
term of the group must find the documents of all its terms. The database side goes through
``search.backends`` (Python synonym expansion); the engine side is a small index with the
real index settings on the node the test session starts, searched through the fields'
search analyzer (``synonym_graph``), so that no rule can be silently dropped there.
"""

import copy
import uuid
from collections import defaultdict

import pytest
from wagtail.models import Page

from search import analysis
from search.backends import database_backend
from search.documents import IndexDocument, index_settings, opensearch_document_class
from search.query import SearchRequest

MIN_GROUPS = 300


def _groups() -> list[tuple[int, list[str]]]:
    """(line number, terms) of every group in the file."""
    groups = []
    text = analysis.SYNONYM_FILE.read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            groups.append((number, [term.strip() for term in line.split(",") if term.strip()]))
    return groups


GROUPS = _groups()
GROUP_IDS = [f"{number}-{terms[0]}" for number, terms in GROUPS]


def _key(term: str) -> tuple[str, ...]:
    """What the database search matches a term by: its stems, stop words left out."""
    return tuple(analysis.stem(w) for w in analysis.words(term) if not analysis.is_stop_word(w))


# --- The file ----------------------------------------------------------------------------------


def test_the_file_has_at_least_300_groups():
    assert len(GROUPS) >= MIN_GROUPS, f"{len(GROUPS)} groups"


def test_every_line_is_a_group_of_equals_with_usable_terms():
    for number, terms in GROUPS:
        line = f"line {number}: {', '.join(terms)}"
        assert "=>" not in " ".join(terms), f"{line}: one-way rules are not tested here"
        assert len(terms) >= 2, f"{line}: a group needs two terms"
        for term in terms:
            assert _key(term), f"{line}: {term!r} is only stop words"
            assert len(analysis.words(term)) <= analysis.MAX_SYNONYM_WORDS, f"{line}: {term!r} too long"
            # OpenSearch removes stop words after expanding synonyms; one at either end of a
            # term leaves a hole at the edge of the token graph, and the term then finds
            # nothing there ("for tidlig fødsel" did not): write "tidlig fødsel".
            first, *_middle, last = analysis.words(term) * 2
            assert not analysis.is_stop_word(first), f"{line}: {term!r} starts with a stop word"
            assert not analysis.is_stop_word(last), f"{line}: {term!r} ends with a stop word"


def test_no_term_is_in_two_groups():
    # Compared as the database search compares them (stems), so that "hjertesvigt" and
    # "Hjertesvigtet" in two groups would count as the same term: the groups would merge there.
    seen = defaultdict(set)
    for number, terms in GROUPS:
        for term in terms:
            seen[_key(term)].add(number)
    doubles = {" ".join(key): sorted(lines) for key, lines in seen.items() if len(lines) > 1}
    assert not doubles, f"terms in more than one group (lines): {doubles}"


def test_the_terms_the_issue_named_are_there():
    def group_of(term):
        return next(terms for _n, terms in GROUPS if _key(term) in {_key(t) for t in terms})

    assert {"ak-behandling", "doak", "antikoagulation"} <= set(group_of("blodfortyndende"))
    assert "svartid" in group_of("responstid")
    assert "heart failure" in group_of("hjertesvigt")
    assert "pneumoni" in group_of("lungebetændelse")


# --- The database search -----------------------------------------------------------------------


def _documents(number: int, terms: list[str], page_id: int) -> list[IndexDocument]:
    return [
        IndexDocument(
            page_id=page_id,
            key=f"synonym:{number}:{i}",
            type="guideline",
            title=term,
            url=f"/synonym/{number}/{i}/",
            body=f"Om {term}.",
        )
        for i, term in enumerate(terms)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("number", "terms"), GROUPS, ids=GROUP_IDS)
def test_the_database_search_treats_every_term_of_the_group_alike(number, terms):
    backend = database_backend()
    documents = _documents(number, terms, Page.objects.first().pk)
    backend.index(documents, replace=False)
    wanted = {doc.url for doc in documents}
    for term in terms:
        result = backend.search(SearchRequest(query=term))
        found = {hit.url for hit in result.hits}
        assert wanted <= found, f"{term!r} misses {sorted(wanted - found)} of group {terms}"


# --- OpenSearch --------------------------------------------------------------------------------


def _engine_index_body(**synonym_options) -> dict:
    settings = index_settings()
    settings["analysis"]["filter"]["danish_medical_synonyms"].update(synonym_options)
    mapping = opensearch_document_class()._doc_type.mapping.to_dict()
    return {"settings": settings, "mappings": mapping}


@pytest.fixture(scope="module")
def synonym_index(opensearch_node):
    """One index with a document per term of every group, built with the real settings."""
    from opensearchpy import OpenSearch, helpers

    client = OpenSearch(hosts=[opensearch_node.url], timeout=60)
    name = f"test-synonyms-{uuid.uuid4().hex[:10]}"
    client.indices.create(index=name, body=_engine_index_body())
    actions = [
        {
            "_index": name,
            "_id": f"{number}:{i}",
            "_source": {"key": f"{number}:{i}", "page_id": number, "title": term, "body": f"Om {term}."},
        }
        for number, terms in GROUPS
        for i, term in enumerate(terms)
    ]
    helpers.bulk(client, actions, refresh=True)
    yield client, name
    client.indices.delete(index=name, ignore_unavailable=True)


def test_the_engine_accepts_every_rule_without_leniency(opensearch_node):
    # The index settings are lenient (a bad rule is skipped, not fatal, in production);
    # here a rule the engine cannot parse makes the index fail to build.
    from opensearchpy import OpenSearch

    client = OpenSearch(hosts=[opensearch_node.url], timeout=60)
    name = f"test-strict-synonyms-{uuid.uuid4().hex[:10]}"
    body = _engine_index_body(lenient=False)
    try:
        client.indices.create(index=name, body=copy.deepcopy(body))
        analysed = client.indices.analyze(
            index=name, body={"analyzer": "danish_search", "text": "blodfortyndende"}
        )
        tokens = {token["token"] for token in analysed["tokens"]}
        assert analysis.stem("antikoagulation") in tokens
        assert "doak" in tokens
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)


@pytest.mark.parametrize(("number", "terms"), GROUPS, ids=GROUP_IDS)
def test_the_engine_treats_every_term_of_the_group_alike(synonym_index, number, terms):
    client, name = synonym_index
    wanted = {f"{number}:{i}" for i in range(len(terms))}
    for term in terms:
        response = client.search(
            index=name,
            body={
                "size": 50,
                "_source": ["key"],
                "query": {
                    "bool": {
                        "must": {"match": {"body": {"query": term, "operator": "and"}}},
                        "filter": {"term": {"page_id": number}},
                    }
                },
            },
        )
        found = {hit["_source"]["key"] for hit in response["hits"]["hits"]}
        assert wanted <= found, f"{term!r} misses {sorted(wanted - found)} of group {terms}"
