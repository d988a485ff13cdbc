"""/soeg/, /api/v1/search and the autocomplete endpoint, on the database backend."""

import logging
import re

import pytest

pytestmark = pytest.mark.django_db

BAD_INPUT = [
    '"',
    '"demens',
    "(demens",
    "demens)",
    "AND OR NOT",
    "demens AND OR",
    "title:*",
    "field:* OR *:*",
    "/.*/",
    "[a-z]+$^",
    "demens*",
    "NEAR(a b)",
    "-demens +kol",
    "'; DROP TABLE search_searchdocument; --",
    "x" * 500,  # the longest query allowed (MAX_QUERY_LENGTH)
    "ø" * 500,
    "ab " * 166,
    "demens\x00kol",
    "\x00",
    "😀 demens 🫁",
    "\u200f\u202eåndenød\u202c",
    "æøå ÆØÅ",
    "{}[]<>\\|^~`",
    "<script>alert(1)</script>",
    "%00%27",
    "   ",
]


def test_any_input_answers_200(client, corpus):
    for query in BAD_INPUT:
        for url in ("/soeg/", "/api/v1/search", "/api/v1/search/autocomplete"):
            response = client.get(url, {"q": query, "type": query[:50], "sector": query[:50]})
            assert response.status_code == 200, (url, query)
            if url == "/soeg/":
                assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("query", ["a" * 60_000, "ø" * 60_000, "demens " * 8_000, "x" * 501])
def test_an_over_long_query_answers_400_in_danish_without_an_error_in_the_log(client, corpus, caplog, query):
    caplog.set_level(logging.INFO)
    page = client.get("/soeg/", {"q": query})
    assert page.status_code == 400
    assert "Din søgning er for lang. Brug højst 500 tegn." in page.content.decode()
    assert page["Content-Type"].startswith("text/html")
    for url in ("/api/v1/search", "/api/v1/search/autocomplete"):
        response = client.get(url, {"q": query})
        assert response.status_code == 400, url
        assert response.json() == {"error": "Din søgning er for lang. Brug højst 500 tegn."}
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_search_page_shows_hits_facets_highlights_and_the_count(client, corpus):
    html = client.get("/soeg/", {"q": "åndenød"}).content.decode()
    assert "Åndenød hos ældre" in html
    assert "<mark>åndenød</mark>" in html.lower()
    assert 'href="?q=%C3%A5nden%C3%B8d&amp;sektor=sygehus"' in html
    assert re.search(r"\d+ resultat", html)


def test_search_page_facet_links_filter(client, corpus):
    html = client.get("/soeg/", {"q": "åndenød", "type": "case"}).content.decode()
    assert "Åndenød hos ældre" not in html.split('role="status"')[1]
    assert 'aria-current="true"' in html


def test_zero_results_page_offers_help(client, corpus):
    html = client.get("/soeg/", {"q": "xyzzyqwerty"}).content.decode()
    assert "0 resultater" in html
    assert "samspil-zero-results" in html


def test_search_page_offers_the_suggestion(client, corpus):
    html = client.get("/soeg/", {"q": "demnes"}).content.decode()
    assert "demens" in html and "Demensudredning" in html


def test_search_redirect_keeps_the_query(client):
    response = client.get("/search/?q=demens")
    assert response.status_code == 301 and response["Location"] == "/soeg/?q=demens"


def test_the_json_api(client, corpus):
    data = client.get("/api/v1/search", {"q": "kol", "type": "guideline"}).json()
    assert data["backend"] == "database"
    assert data["query"] == "kol"
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["title"] == "KOL-exacerbation"
    assert hit["url"] == corpus["kol"].url
    assert hit["type"] == "guideline"
    assert set(hit["sector"]) == {"almen-praksis", "sygehus"}
    assert [s["slug"] for s in hit["specialties"]] == ["lungesygdomme"]
    assert "<mark>" in hit["highlight"]
    assert {"type", "sector", "specialty", "topic"} <= set(data["facets"])
    assert data["suggestion"] == ""


def test_the_json_api_with_bad_parameters(client, corpus):
    data = client.get("/api/v1/search", {"q": "kol", "page": "x", "type": "../../etc", "sector": "ø"}).json()
    assert data["total"] >= 1 and data["page"] == 1


def test_autocomplete(client, corpus):
    data = client.get("/api/v1/search/autocomplete", {"q": "demensu"}).json()
    assert data["suggestions"] == [{"title": "Demensudredning", "url": corpus["demens"].url}]
    assert client.get("/api/v1/search/autocomplete", {"q": "d"}).json()["suggestions"] == []


def test_header_box_is_wired_to_autocomplete_without_inline_script(client):
    html = client.get("/soeg/").content.decode()
    assert 'data-autocomplete-url="/api/v1/search/autocomplete"' in html
    assert 'src="/static/js/search-autocomplete.js"' in html
