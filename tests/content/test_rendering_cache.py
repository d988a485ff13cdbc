"""Rendered Markdown and rich text are cached by content hash, and the cache changes nothing.

Clinical text is never silently changed: what comes out of the cache must be the renderer's
own output, byte for byte, in every language and heading level it was asked for.
"""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from content import rendering
from content.blocks import MarkdownBlock, SafeRichTextBlock
from portal.core import markdown as markdown_module
from portal.core.markdown import render_markdown
from portal.core.sanitise import clean_html

from .factories import GuidelinePageFactory, markdown_body
from .test_sanitise import PAYLOADS

SAMPLES = sorted((Path(__file__).parent / "markdown_samples").rglob("*.md"))
CLINICAL = [
    "Dosis < 5 mg og > 2 mg, 3 * dagligt; <b>fed</b> & <5 mg> <ikke-et-tag>",
    "## Udredning\n\n| Test | Grænse |\n|:--|--:|\n| eGFR | < 30 |\n\nSe note[^1].\n\n[^1]: Sundhedsstyrelsen 2023.",
    "Æ ø å – “citat” … \u00a0hårdt mellemrum\n\n```\n## ikke en overskrift <script>\n```",
    "",
]


@pytest.fixture
def conversions(monkeypatch):
    """How many times Markdown was really converted."""
    calls = []
    original = markdown_module._to_html

    def counting(text):
        calls.append(text)
        return original(text)

    monkeypatch.setattr(markdown_module, "_to_html", counting)
    return calls


def _sources():
    return CLINICAL + PAYLOADS + [path.read_text(encoding="utf-8") for path in SAMPLES]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("offset", [0, 1])
def test_cached_markdown_is_byte_identical_to_the_uncached_render(language, offset):
    block = MarkdownBlock()
    context = {"markdown_heading_offset": offset}
    with translation.override(language):
        for source in _sources():
            uncached = render_markdown(source, heading_offset=offset)
            first = str(block.render_basic(source, context))  # renders and stores
            stored = cache.get(rendering.cache_key("markdown", source, heading_offset=offset))
            second = str(block.render_basic(source, context))  # from the cache
            assert first == stored == second == uncached, source


def test_the_same_markdown_is_converted_once(conversions):
    block = MarkdownBlock()
    for _ in range(3):
        html = str(block.render_basic("**Akut** henvisning ved rødt flag.", {}))
    assert html == "<p><strong>Akut</strong> henvisning ved rødt flag.</p>"
    assert len(conversions) == 1


def test_changed_text_language_or_heading_level_is_rendered_anew(conversions):
    block = MarkdownBlock()
    note = "## Note\n\nTekst[^1].\n\n[^1]: Kilde."
    with translation.override("da"):
        danish = str(block.render_basic(note, {}))
        demoted = str(block.render_basic(note, {"markdown_heading_offset": 1}))
        changed = str(block.render_basic(note.replace("Kilde", "Ny kilde"), {}))
    with translation.override("en"):
        english = str(block.render_basic(note, {}))
    assert len(conversions) == 4
    assert "<h2>Note</h2>" in danish and "<h3>Note</h3>" in demoted
    assert "Ny kilde" in changed
    assert 'title="Tilbage til fodnote 1 i teksten"' in danish
    assert "Tilbage til fodnote" not in english


def test_a_new_renderer_version_makes_new_keys(monkeypatch):
    before = rendering.cache_key("markdown", "Tekst", heading_offset=0)
    monkeypatch.setattr(rendering, "SETTINGS_FINGERPRINT", "another-renderer")
    assert rendering.cache_key("markdown", "Tekst", heading_offset=0) != before


@pytest.mark.django_db
@pytest.mark.parametrize("source", CLINICAL[:1] + PAYLOADS)
def test_cached_rich_text_is_byte_identical_to_the_uncached_render(source):
    block = SafeRichTextBlock()
    value = block.to_python(source)
    uncached = clean_html(str(value))
    assert str(block.render_basic(value)) == uncached
    assert str(block.render_basic(value)) == uncached


@pytest.mark.django_db
def test_a_rich_text_link_follows_the_page_it_points_to():
    """Rich text is keyed by its expanded HTML: a page that moves gets its new address."""
    target = GuidelinePageFactory(title="Mål", slug="maal")
    block = SafeRichTextBlock()
    value = block.to_python(f'<p><a linktype="page" id="{target.pk}">Se her</a></p>')
    assert 'href="/retningslinjer/maal/"' in str(block.render_basic(value))
    target.slug = "nyt-maal"
    target.save_revision().publish()
    assert 'href="/retningslinjer/nyt-maal/"' in str(block.render_basic(block.to_python(str(value.source))))


def _without_csrf_tokens(content: bytes) -> str:
    # The language form's token is masked anew for every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


@pytest.mark.django_db
def test_a_guideline_page_renders_the_same_from_the_cache(client, conversions):
    page = GuidelinePageFactory(
        general_practice_body=markdown_body("## Første\n\nDosis < 5 mg[^1].\n\n[^1]: Kilde."),
        hospital_body=markdown_body("| A | B |\n|---|---|\n| 1 | 2 |"),
    )
    conversions.clear()  # the search index's plain text, made on publish
    first = _without_csrf_tokens(client.get(page.url).content)
    converted = len(conversions)
    second = _without_csrf_tokens(client.get(page.url).content)
    assert second == first
    assert converted == 2 and len(conversions) == 2
    assert "Dosis &lt; 5 mg" in first
