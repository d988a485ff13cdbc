"""Reading one Markdown file with YAML front matter into a checked ``SourceDocument``.

Nothing here touches the database; every problem is a ``MarkdownImportError``
with a reason an editor can act on.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

MAX_FILE_BYTES = 2 * 1024 * 1024

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?(.*)\Z", re.DOTALL)
FENCE = re.compile(r"^(```|~~~)")

COMMON_KEYS = {
    "type", "title", "slug", "summary", "parent", "sector", "specialties", "topics", "tags",
    "last_reviewed", "next_review",
}  # fmt: skip
KEYS_BY_TYPE = {
    "guideline": COMMON_KEYS | {
        "owner_general_practice", "owner_hospital", "variant_reason", "evidence", "recommendation",
        "references",
    },
    "case": COMMON_KEYS,
    "faq": COMMON_KEYS,
    "audit": COMMON_KEYS | {"purpose", "period_start", "period_end", "indicators", "documents"},
    "review": COMMON_KEYS,
}  # fmt: skip


class MarkdownImportError(Exception):
    """A file that cannot be imported, and why. Nothing from it is saved."""


@dataclass
class SourceDocument:
    path: Path
    meta: dict
    body: str

    @property
    def type(self) -> str:
        return self.meta["type"]


def read_source(path: Path) -> SourceDocument:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise MarkdownImportError(f"filen er større end {MAX_FILE_BYTES // 2**20} MB")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MarkdownImportError(f"filen er ikke gyldig UTF-8 (byte {exc.start})") from exc
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise MarkdownImportError("filen indeholder NUL-tegn")
    match = FRONT_MATTER.match(text)
    if not match:
        raise MarkdownImportError("mangler YAML-front matter mellem to linjer med '---' øverst i filen")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (linje {mark.line + 2})" if mark else ""
        raise MarkdownImportError(f"ugyldig YAML i front matter{where}") from exc
    if not isinstance(meta, dict):
        raise MarkdownImportError("front matter skal være en YAML-ordbog (nøgle: værdi)")
    doc = SourceDocument(path=path, meta=meta, body=match.group(2))
    _check_meta(doc)
    return doc


def _check_meta(doc: SourceDocument) -> None:
    meta = doc.meta
    kind = meta.get("type")
    if kind not in KEYS_BY_TYPE:
        raise MarkdownImportError(f"ukendt type {kind!r}; brug en af: {', '.join(sorted(KEYS_BY_TYPE))}")
    unknown = set(meta) - KEYS_BY_TYPE[kind]
    if unknown:
        raise MarkdownImportError(f"ukendte felter for {kind}: {', '.join(sorted(map(str, unknown)))}")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise MarkdownImportError("mangler 'title'")
    if len(title) > 255:
        raise MarkdownImportError("'title' er længere end 255 tegn")
    if not isinstance(meta.get("parent"), str) or not meta["parent"].strip():
        raise MarkdownImportError("mangler 'parent' (sektionens slug, fx 'retningslinjer')")
    for key in ("summary", "variant_reason", "purpose", "owner_general_practice", "owner_hospital", "slug"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            raise MarkdownImportError(f"'{key}' skal være tekst")
    for key in ("specialties", "topics", "tags", "sector"):
        meta[key] = as_string_list(meta.get(key), key)
    for key in ("last_reviewed", "next_review", "period_start", "period_end"):
        meta[key] = as_date(meta.get(key), key)


def as_string_list(value, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise MarkdownImportError(f"'{key}' skal være en liste af tekster")
    return [str(v).strip() for v in value if str(v).strip()]


def as_date(value, key: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise MarkdownImportError(f"'{key}' er ikke en dato på formen ÅÅÅÅ-MM-DD: {value!r}") from exc


def split_sections(body: str, level: int = 1) -> tuple[str, list[tuple[str, str]]]:
    """Split Markdown at headings of ``level`` (outside code fences).

    Returns the text before the first heading and ``[(heading, text), ...]``.
    """
    marker = "#" * level + " "
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    in_fence = False
    for line in body.splitlines():
        if FENCE.match(line.strip()):
            in_fence = not in_fence
        if not in_fence and line.startswith(marker):
            sections.append((line[len(marker) :].strip().rstrip("#").strip(), []))
            continue
        (sections[-1][1] if sections else preamble).append(line)
    return "\n".join(preamble).strip(), [(h, "\n".join(lines).strip()) for h, lines in sections]
