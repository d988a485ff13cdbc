"""Which filter variants of a listing a publish really changed.

A section listing has one baked file per filter value and page (``?speciale=geriatri``,
``?side=2`` …): thirty or more for the guidelines. A publish that changes one guideline's text
changes only the variants that list it, and only when its title, summary or classification
changed. Rendering all of them took most of the bake task (issue 16: publish → fresh p95 ≤ 2 s).

So each variant's file ends with a fingerprint of the data it shows (the listing's entries,
facets, counts and page, in the bake's language: ``SectionIndexPage.listing``, the same data
the template gets). A targeted bake computes the fingerprints, which costs no rendering, and
re-renders only the variants whose fingerprint differs from the one in their file. What the
fingerprint does not cover (the templates, the menus) changes with a deploy or a section or
information page, and those bake everything (``bake.bake_all`` never skips).
"""

import hashlib
import re

from django.http import QueryDict
from django.utils import translation

_MARK = re.compile(rb"<!-- samspil-listing ([0-9a-f]{32}) -->\n\Z")
# Read from the end of the file only: the mark is the last line.
_TAIL_BYTES = 64


def listing_fingerprint(section, query: str) -> str:
    data = section.listing(QueryDict(query))
    results = data["results"]
    shown = (
        translation.get_language(),
        section.title,
        section.intro,
        data["chosen"],
        data["facets"],
        data["result_count"],
        str(data["result_count_text"]),
        list(results),
        results.number,
        results.paginator.num_pages,
    )
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


def mark(content: bytes, fingerprint: str) -> bytes:
    """The rendered page with its fingerprint as a last-line comment (after ``</html>``)."""
    return content + f"\n<!-- samspil-listing {fingerprint} -->\n".encode()


def marked_with(path, fingerprint: str) -> bool:
    """Whether the file on disk was baked from data with this fingerprint."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(0, handle.tell() - _TAIL_BYTES))
            found = _MARK.search(handle.read())
    except FileNotFoundError:
        return False
    return found is not None and found.group(1).decode() == fingerprint
