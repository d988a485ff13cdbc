"""Markdown to safe HTML, the one way the project renders Markdown.

Shared by the content blocks and the login modules (which must not import ``content``).
"""

import re

import markdown as markdown_lib

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


def render_markdown(text: str, *, heading_offset: int = 0) -> str:
    text = text or ""
    if heading_offset:
        text = _demote_headings(text, heading_offset)
    # A new Markdown instance per call: footnote state must not leak between blocks.
    html = markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html")
    # Tables take Det Fælles Designsystem's style; added after cleaning, so it is ours.
    return clean_html(html).replace("<table>", '<table class="table">')
