"""Search snippets read as text: no Markdown syntax, and a heading kept apart from its text.

Issue 10: a snippet showed ``henvisning[^1]`` and ran headings into the paragraph under them.
The indexed text is what the reader sees, one line per block (``portal.core.markdown``), and
each backend shows a line break inside a fragment as `` · ``.
"""

import re

import pytest

from portal.core.markdown import html_to_text, markdown_to_text
from search import backends
from search.backends import database_backend
from search.documents import document_for_page
from search.query import SearchRequest

MARKDOWN = """## Iltbehandling ved åndenød

Giv **ilt** ved åndenød, se henvisning[^1] og *tabellen*.

| Saturation | Handling |
|---|---|
| Under 92 % | Ilt |

[^1]: Sundhedsstyrelsen 2023.
"""
RAW_MARKDOWN = ("[^", "**", "##", "|", "↩", "fnref")


def test_markdown_becomes_the_text_a_reader_sees_one_line_per_block():
    assert markdown_to_text(MARKDOWN).splitlines() == [
        "Iltbehandling ved åndenød",
        "Giv ilt ved åndenød, se henvisning og tabellen.",
        "Saturation – Handling",
        "Under 92 % – Ilt",
        "Sundhedsstyrelsen 2023.",
    ]


def test_rich_text_headings_get_their_own_line_and_scripts_are_not_text():
    html = "<h2>Røde flag</h2><p>Feber &amp; stivhed<br>i nakken</p><script>alert(1)</script>"
    assert html_to_text(html).splitlines() == ["Røde flag", "Feber & stivhed", "i nakken"]


def test_clinical_symbols_in_the_text_are_kept():
    assert markdown_to_text("Dosis < 5 mg og > 2 mg, 3 * dagligt") == "Dosis < 5 mg og > 2 mg, 3 * dagligt"


def _publish(page):
    page.save_revision().publish()
    return page


def _guideline():
    from tests.content.factories import GuidelinePageFactory, markdown_body

    return GuidelinePageFactory(
        title="Hjertesvigt",
        summary="Opfølgning.",
        general_practice_body=markdown_body(MARKDOWN),
        hospital_body=[("text", "<h2>Udskrivelse</h2><p>Iltbehandling afsluttes før udskrivelse.</p>")],
    )


@pytest.mark.django_db
def test_the_indexed_document_has_no_markdown_and_keeps_the_lines():
    document = document_for_page(_guideline())
    for raw in RAW_MARKDOWN:
        assert raw not in document.body_general_practice
    assert document.body_general_practice.startswith("Iltbehandling ved åndenød\nGiv ilt ved åndenød")
    assert document.body_hospital == "Udskrivelse\nIltbehandling afsluttes før udskrivelse."


def _assert_readable(highlight: str):
    text = re.sub(r"</?mark>", "", highlight)
    assert text, "no snippet"
    for raw in RAW_MARKDOWN:
        assert raw not in text, (raw, text)
    # The heading and the paragraph under it are never run together.
    assert "åndenød Giv" not in text and "Udskrivelse Iltbehandling" not in text, text


@pytest.mark.django_db
def test_database_backend_snippets_are_readable(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(_guideline())
    result = database_backend().search(SearchRequest(query="iltbehandling"))
    assert [hit.title for hit in result.hits] == ["Hjertesvigt"]
    _assert_readable(result.hits[0].highlight)
    assert "<mark>" in result.hits[0].highlight


@pytest.mark.django_db
def test_opensearch_snippets_are_readable(engine, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(_guideline())
    engine.client.indices.refresh(index="_all")
    result = backends.search(SearchRequest(query="iltbehandling"))
    assert result.backend == "opensearch"
    assert [hit.title for hit in result.hits] == ["Hjertesvigt"]
    _assert_readable(result.hits[0].highlight)
