"""Markdown to safe HTML, the one way the project renders Markdown.

Shared by the content blocks and the login modules (which must not import ``content``).
"""

import re
from html.parser import HTMLParser

import markdown as markdown_lib
from django.utils.translation import gettext

from .sanitise import clean_html

EXTENSIONS = ["tables", "footnotes", "fenced_code", "sane_lists", "def_list", "abbr"]

_ATX_HEADING = re.compile(r"^(#{1,5})(?=\s)", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)


def _demote_headings(text: str, offset: int) -> str:
    """Push ATX headings ``offset`` levels down, leaving code fences alone.

    A ``## Heading`` inside a guideline variant sits under the variant's own
    h2, so it must render as h3 for a correct document outline.
    """
    parts = _FENCE.split(text)
    out, in_fence = [], False
    for part in parts:
        if _FENCE.fullmatch(part):
            in_fence = not in_fence
            out.append(part)
        elif in_fence:
            out.append(part)
        else:
            out.append(_ATX_HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + offset), part))
    return "".join(out)


_BACKLINK = re.compile(r'(<a href="#fnref:[^"]*" title="([^"]*)")')


def _to_html(text: str) -> str:
    # A new Markdown instance per call: footnote state must not leak between blocks. The
    # footnote back-link's title is the reader's language, not the library's English.
    footnotes = {"BACKLINK_TITLE": gettext("Back to footnote %d in the text")}
    md = markdown_lib.Markdown(
        extensions=EXTENSIONS, extension_configs={"footnotes": footnotes}, output_format="html"
    )
    # Raw HTML is text here, escaped and shown as written: passed through, the sanitiser would
    # drop what it does not allow, and "Dosis <i.v.> 5 mg" would lose "<i.v.>" without a word.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md.convert(text)


def render_markdown(text: str, *, heading_offset: int = 0) -> str:
    text = text or ""
    if heading_offset:
        text = _demote_headings(text, heading_offset)
    html = clean_html(_to_html(text))
    # Added after cleaning, so they are ours: tables take Det Fælles Designsystem's style, and
    # the back-link "↩" gets its title as accessible name (a screen reader would say "arrow").
    html = html.replace("<table>", '<table class="table">')
    return _BACKLINK.sub(r'\1 aria-label="\2"', html)


# --- Plain text, for search snippets --------------------------------------------------------

_LINE_TAGS = {
    "address", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_CELL_TAGS = {"td", "th"}
_HIDDEN_TAGS = {"script", "style", "template"}
CELL_SEPARATOR = " – "


class _TextExtractor(HTMLParser):
    """Visible text, one line per block element; footnote marks and back-links left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0  # inside an element whose text is not read
        self._skip_tag = ""
        self._row_cells = 0

    def handle_starttag(self, tag, attrs):
        if self._skip_depth:
            self._skip_depth += tag == self._skip_tag
            return
        attributes = dict(attrs)
        href = attributes.get("href") or ""
        is_footnote_mark = tag == "sup" and (attributes.get("id") or "").startswith("fnref")
        is_backlink = tag == "a" and href.startswith("#fnref")
        if tag in _HIDDEN_TAGS or is_footnote_mark or is_backlink:
            self._skip_depth, self._skip_tag = 1, tag
        elif tag in _CELL_TAGS:
            if self._row_cells:
                self.parts.append(CELL_SEPARATOR)
            self._row_cells += 1
        elif tag in _LINE_TAGS:
            self._row_cells = 0 if tag == "tr" else self._row_cells
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if not self._skip_depth and tag in _LINE_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self._skip_depth:
            self._skip_depth -= tag == self._skip_tag
            return
        if tag in _LINE_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip_depth:  # source line breaks are spaces in HTML; lines come from tags
            self.parts.append(data.replace("\n", " "))

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """HTML as the reader sees it, one line per paragraph, heading, list item or table row.

    Headings stay on a line of their own so that a search snippet does not run a heading
    into the paragraph under it; footnote numbers and back-links ("↩") are left out.
    """
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    return extractor.text()


def markdown_to_text(text: str) -> str:
    """Markdown as the reader sees it: no ``**``, ``#``, ``|`` or ``[^1]`` (see ``html_to_text``)."""
    return html_to_text(_to_html(text or ""))
