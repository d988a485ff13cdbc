"""Hostile Markdown and rich text must render inert, whatever the payload."""

import re
from html.parser import HTMLParser

import pytest

from content.blocks import MarkdownBlock, SafeRichTextBlock
from portal.core.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "![billede](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div onclick="alert(1)" style="background:url(javascript:alert(1))">x</div>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<form action="https://evil.example"><input name="x"></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<p onmouseover="alert(1)">hover</p>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
]

FORBIDDEN_TAGS = {"script", "iframe", "style", "svg", "form", "input", "object", "embed", "meta", "img"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "#", "/")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}=")
            if name in {"href", "src"} and value and not value.strip().lower().startswith(SAFE_SCHEMES):
                self.problems.append(f"{name}={value}")
            if name == "style" and value and "url(" in value.lower():
                self.problems.append(f"style={value}")


def assert_inert(html: str):
    """Inert means: no active tag, no event handler, no URL with a dangerous scheme.

    Text that merely reads "javascript:" is harmless and allowed.
    """
    collector = _Collector()
    collector.feed(html)
    assert not collector.problems, f"{collector.problems} survived in {html!r}"
    assert "<script" not in html.lower()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payload_renders_inert(payload):
    assert_inert(render_markdown(payload))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_block_renders_inert(payload):
    assert_inert(str(MarkdownBlock().render(payload)))


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.django_db
def test_rich_text_block_renders_inert(payload):
    block = SafeRichTextBlock()
    assert_inert(str(block.render(block.to_python(payload))))


def test_markdown_keeps_tables_and_footnotes():
    html = render_markdown("| A | B |\n|---|---|\n| 1 | 2 |\n\nTekst[^1]\n\n[^1]: Fodnote")
    assert '<table class="table">' in html
    assert "<td>1</td>" in html
    assert 'class="footnote"' in html
    assert "Fodnote" in html


def test_markdown_keeps_safe_links():
    html = render_markdown("[Sundhedsstyrelsen](https://www.sst.dk/)")
    assert 'href="https://www.sst.dk/"' in html
    assert 'rel="noopener noreferrer"' in html


def test_heading_offset_demotes_headings_but_not_code():
    html = render_markdown("## Overskrift\n\n```\n## ikke en overskrift\n```", heading_offset=1)
    assert "<h3>Overskrift</h3>" in html
    assert "## ikke en overskrift" in html


def test_footnote_back_links_are_in_danish_with_an_accessible_name():
    from django.utils import translation

    with translation.override("da"):
        html = render_markdown("Tekst[^1].\n\n[^1]: Sundhedsstyrelsen 2023.")
    backlink = re.search(r'<a href="#fnref:1"[^>]*>', html).group(0)
    assert 'title="Tilbage til fodnote 1 i teksten"' in backlink
    assert 'aria-label="Tilbage til fodnote 1 i teksten"' in backlink
    assert "Jump back" not in html
