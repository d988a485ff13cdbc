"""Turning a checked ``SourceDocument`` into a saved Wagtail page."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model

from content.blocks import AUDIT_FORM_EXTENSIONS, EVIDENCE_CHOICES
from content.models import (
    AuditMaterialPage,
    CasePage,
    FaqPage,
    GuidelinePage,
    SectionIndexPage,
    Sector,
    ThinkSmartReviewPage,
    Topic,
)
from content.models.guideline import RECOMMENDATION_CHOICES
from content.text import danish_slug
from portal.accounts.models import Specialty

from .parsing import MarkdownImportError, SourceDocument, split_sections

PAGE_MODELS = {
    "guideline": GuidelinePage,
    "case": CasePage,
    "faq": FaqPage,
    "audit": AuditMaterialPage,
    "review": ThinkSmartReviewPage,
}

# Accepted headings, lower-cased, for the guideline variants and review sections.
VARIANT_HEADINGS = {
    "almen praksis": "general_practice_body",
    "general practice": "general_practice_body",
    "sygehus": "hospital_body",
    "hospital": "hospital_body",
}
REVIEW_HEADINGS = {
    "nuværende praksis": "current_practice",
    "current practice": "current_practice",
    "evidens": "evidence",
    "evidence": "evidence",
    "anbefaling": "recommendation",
    "recommendation": "recommendation",
    "forventede konsekvenser": "expected_consequences",
    "expected consequences": "expected_consequences",
}


@dataclass
class ImportResult:
    path: Path
    action: str  # "created" or "updated"
    page: object


def markdown_stream(text: str) -> list:
    return [{"type": "markdown", "value": text}] if text.strip() else []


def _stream(model, field_name: str, raw: list):
    return model._meta.get_field(field_name).to_python(raw)


class PageBuilder:
    """Sets a page's fields from one source document. One method per page type."""

    def __init__(self, doc: SourceDocument):
        self.doc = doc
        self.meta = doc.meta

    # -- look-ups ---------------------------------------------------------------
    def parent(self) -> SectionIndexPage:
        slug = self.meta["parent"].strip()
        parent = SectionIndexPage.objects.filter(slug=slug).first()
        if parent is None:
            raise MarkdownImportError(f"sektionen {slug!r} (parent) findes ikke")
        return parent

    def specialties(self) -> list[Specialty]:
        wanted = self.meta["specialties"]
        found = {s.slug: s for s in Specialty.objects.filter(slug__in=wanted)}
        found |= {s.name.lower(): s for s in Specialty.objects.filter(name__in=wanted)}
        missing = [w for w in wanted if w not in found and w.lower() not in found]
        if missing:
            raise MarkdownImportError(f"ukendte specialer: {', '.join(missing)}")
        return [found.get(w) or found[w.lower()] for w in wanted]

    def sectors(self) -> list[Sector]:
        wanted = self.meta["sector"]
        if self.doc.type == "guideline":
            wanted = [Sector.GENERAL_PRACTICE, Sector.HOSPITAL]  # a guideline always has both variants
        found = {s.slug: s for s in Sector.objects.filter(slug__in=wanted)}
        missing = [w for w in wanted if w not in found]
        if missing:
            raise MarkdownImportError(f"ukendte sektorer: {', '.join(missing)} (brug almen-praksis, sygehus)")
        return [found[w] for w in wanted]

    def topics(self) -> list[Topic]:
        topics = []
        for name in self.meta["topics"]:
            slug = danish_slug(name, 120)
            if not slug or len(name) > 120:
                raise MarkdownImportError(f"ugyldigt emne {name!r}")
            topic, _created = Topic.objects.get_or_create(slug=slug, defaults={"name": name})
            topics.append(topic)
        return topics

    # -- fields per type ---------------------------------------------------------
    def apply(self, page) -> None:
        page.title = self.meta["title"].strip()
        page.summary = (self.meta.get("summary") or "").strip()
        page.last_reviewed = self.meta["last_reviewed"]
        page.next_review = self.meta["next_review"]
        getattr(self, f"apply_{self.doc.type}")(page)

    def apply_guideline(self, page: GuidelinePage) -> None:
        shared, sections = split_sections(self.doc.body)
        bodies = {}
        for heading, text in sections:
            field = VARIANT_HEADINGS.get(heading.lower())
            if field is None:
                raise MarkdownImportError(
                    f"ukendt overskrift '# {heading}' i en retningslinje; "
                    "brug '# Almen praksis' og '# Sygehus'"
                )
            if field in bodies:
                raise MarkdownImportError(f"overskriften '# {heading}' står to gange")
            bodies[field] = text
        if set(bodies) != {"general_practice_body", "hospital_body"}:
            raise MarkdownImportError("en retningslinje skal have både '# Almen praksis' og '# Sygehus'")
        if shared:
            page.summary = page.summary or shared
        for field, text in bodies.items():
            setattr(page, field, _stream(GuidelinePage, field, markdown_stream(text)))
        page.variant_reason = (self.meta.get("variant_reason") or "").strip()
        page.general_practice_owner = (self.meta.get("owner_general_practice") or "").strip()
        page.hospital_owner = (self.meta.get("owner_hospital") or "").strip()
        page.evidence_level = self._choice("evidence", EVIDENCE_CHOICES)
        page.recommendation_strength = self._choice("recommendation", RECOMMENDATION_CHOICES)
        page.references = _stream(GuidelinePage, "references", self._references())

    def apply_case(self, page: CasePage) -> None:
        page.body = _stream(CasePage, "body", markdown_stream(self.doc.body))

    def apply_faq(self, page: FaqPage) -> None:
        intro, questions = split_sections(self.doc.body, level=2)
        if not questions:
            raise MarkdownImportError("en FAQ skal have mindst ét spørgsmål som '## Spørgsmål?'")
        if intro and not page.summary:
            page.summary = intro
        items = [
            {"type": "item", "value": {"question": q[:300], "anchor": "", "answer": markdown_stream(a)}}
            for q, a in questions
        ]
        page.items = _stream(FaqPage, "items", items)

    def apply_audit(self, page: AuditMaterialPage) -> None:
        page.purpose = (self.meta.get("purpose") or "").strip()
        page.period_start = self.meta["period_start"]
        page.period_end = self.meta["period_end"]
        page.indicators = _stream(AuditMaterialPage, "indicators", self._indicators())
        page.documents = _stream(AuditMaterialPage, "documents", self._documents())
        page.body = _stream(AuditMaterialPage, "body", markdown_stream(self.doc.body))

    def apply_review(self, page: ThinkSmartReviewPage) -> None:
        _preamble, sections = split_sections(self.doc.body)
        seen = set()
        for heading, text in sections:
            field = REVIEW_HEADINGS.get(heading.lower())
            if field is None:
                raise MarkdownImportError(f"ukendt overskrift '# {heading}' i en tænk klogt-gennemgang")
            seen.add(field)
            setattr(page, field, _stream(ThinkSmartReviewPage, field, markdown_stream(text)))
        if seen != set(REVIEW_HEADINGS.values()):
            raise MarkdownImportError(
                "en tænk klogt-gennemgang skal have afsnittene Nuværende praksis, Evidens, "
                "Anbefaling og Forventede konsekvenser"
            )

    # -- helpers -------------------------------------------------------------------
    def _choice(self, key: str, choices) -> str:
        value = self.meta.get(key) or ""
        allowed = [c for c, _label in choices]
        if value and value not in allowed:
            raise MarkdownImportError(f"'{key}' skal være en af: {', '.join(allowed)}")
        return value

    def _references(self) -> list:
        refs = self.meta.get("references") or []
        if not isinstance(refs, list):
            raise MarkdownImportError("'references' skal være en liste")
        result = []
        for ref in refs:
            if isinstance(ref, str):
                ref = {"title": ref}
            if not isinstance(ref, dict) or not isinstance(ref.get("title"), str):
                raise MarkdownImportError("hver reference skal have en 'title'")
            url = ref.get("url") or ""
            if url and not str(url).startswith(("http://", "https://")):
                raise MarkdownImportError(f"referencens link skal begynde med http(s)://: {url!r}")
            result.append({"type": "reference", "value": {"title": ref["title"][:500], "url": url}})
        return result

    def _indicators(self) -> list:
        indicators = self.meta.get("indicators") or []
        if not isinstance(indicators, list):
            raise MarkdownImportError("'indicators' skal være en liste")
        result = []
        for item in indicators:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                raise MarkdownImportError("hver indikator skal have et 'name'")
            value = {k: str(item.get(k) or "") for k in ("name", "description", "target")}
            result.append({"type": "indicator", "value": value})
        return result

    def _documents(self) -> list:
        documents = self.meta.get("documents") or []
        if not isinstance(documents, list):
            raise MarkdownImportError("'documents' skal være en liste")
        folder = self.doc.path.parent.resolve()
        result = []
        for item in documents:
            if not isinstance(item, dict) or not item.get("file"):
                raise MarkdownImportError("hvert dokument skal have en 'file'")
            path = (folder / str(item["file"])).resolve()
            if folder not in path.parents:
                raise MarkdownImportError(f"dokumentet {item['file']!r} ligger uden for mappen")
            if not path.is_file():
                raise MarkdownImportError(f"dokumentet {item['file']!r} findes ikke")
            if path.suffix.lower().lstrip(".") not in AUDIT_FORM_EXTENSIONS:
                types = ", ".join(AUDIT_FORM_EXTENSIONS)
                name = item["file"]
                raise MarkdownImportError(f"dokumentet {name!r} skal være PDF, Excel eller Word: {types}")
            title = str(item.get("title") or path.stem)
            document = self._document_ensure(path, title)
            result.append({"type": "document", "value": {"document": document.pk, "title": title}})
        return result

    @staticmethod
    def _document_ensure(path: Path, title: str):
        """One Document per file content: re-importing reuses it instead of duplicating."""
        Document = get_document_model()
        data = path.read_bytes()
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        existing = Document.objects.filter(file_hash=digest, title=title).first()
        if existing:
            return existing
        document = Document(title=title)
        document.file.save(path.name, ContentFile(data), save=False)
        document.file_size = len(data)
        document.file_hash = digest
        document.save()
        return document


@transaction.atomic
def import_document(doc: SourceDocument, *, publish: bool) -> ImportResult:
    """Create or update the page for ``doc``. All or nothing: a failure saves nothing.

    The page is found again by its parent and slug, so re-running an import
    updates the page (as a new revision) instead of duplicating it.
    """
    builder = PageBuilder(doc)
    parent = builder.parent()
    model = PAGE_MODELS[doc.type]
    slug = danish_slug(doc.meta.get("slug") or doc.meta["title"])
    if not slug:
        raise MarkdownImportError("kan ikke lave en slug af titlen")
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None and not isinstance(existing, model):
        raise MarkdownImportError(
            f"siden '{slug}' findes allerede som {existing.get_verbose_name()}, "
            f"ikke {model.get_verbose_name()}"
        )
    if model.__name__.lower() not in {m.lower() for m in _allowed_children(parent)}:
        raise MarkdownImportError(f"en {model.get_verbose_name()} kan ikke ligge under {parent.title}")

    page = existing or model(slug=slug)
    builder.apply(page)
    try:
        page.full_clean(exclude=["path", "depth", "numchild", "url_path"] if existing is None else None)
    except ValidationError as exc:
        raise MarkdownImportError(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        ) from exc

    specialties, sectors, topics = builder.specialties(), builder.sectors(), builder.topics()
    page.specialties.set(specialties)
    page.sectors.set(sectors)
    page.topics.set(topics)
    page.tags.set(doc.meta["tags"])
    if existing is None:
        if not publish:
            page.live = False
        parent.add_child(instance=page)
    revision = page.save_revision(log_action=True)
    if publish:
        revision.publish()
    return ImportResult(path=doc.path, action="updated" if existing else "created", page=page)


def _allowed_children(parent) -> list[str]:
    return [m.__name__ for m in parent.specific_class.allowed_subpage_models()]
