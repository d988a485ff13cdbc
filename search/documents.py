"""What is indexed: one document per live, public knowledge page, and one per FAQ item.

This module is the one place that says which parts of a page are searchable
and under which name; the backends (``search.backends``) store these
documents and never look at page models themselves. The body text comes from
each page model's Wagtail ``search_fields`` (so a new field on a page type
is picked up by adding it there), sorted into the general-practice body, the
hospital body and the common body.

A page type may split items off into documents of their own: it names the
StreamField in ``search_item_field`` and lists the items with ``questions()``
(anchor, question, block), as ``FaqPage`` does. Each item is then a document
with the question as title and the page URL + ``#anchor`` as URL, and the
field is left out of the page's own document (else every answer would be
found twice). Documents are keyed by ``key`` (``page:12``, ``faq:12:anchor``);
``page_id`` says which page they belong to, so that publishing, unpublishing
or deleting a page replaces or removes all of its documents at once.

The directory of the hospital's outreach services (``portal.outreach``) is searchable too: one
document per active entry, keyed ``outreach:<id>``, with no page (``page_id`` None), so it is
written and removed by its key (``outreach_documents``, ``search.indexing.sync_outreach``).
Nothing of an order is ever indexed: the entries are public information, orders are not.

The collaboration directories (``content.models.CollaborationDirectoryPage``) are pages, indexed
and removed like the knowledge pages, but without the knowledge mixins (no summary, taxonomy or
review date): one document per page whose body names every person listed, with department,
hospital, area and board seat (``directory_document``), so that a consultant's name or a
department finds the page. A linked user's phone and e-mail are shown on the page, never indexed.
"""

import datetime
from dataclasses import asdict, dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.encoding import force_str
from wagtail.fields import StreamField
from wagtail.search import index

from content.models import KNOWLEDGE_PAGE_MODELS, CollaborationDirectoryPage
from search import analysis

# Fields that have their own place in the document, not in the body.
_OWN_FIELDS = {"title", "summary"}
# Body fields that belong to one sector; everything else is common to both.
SECTOR_BODY_FIELDS = {"general_practice_body": "body_general_practice", "hospital_body": "body_hospital"}


def plain_text(text: str) -> str:
    """Text with its lines kept (headings, paragraphs, list items) and spaces tidied.

    Markdown and rich text blocks hand over what the reader sees, one line per block
    (``get_searchable_content``); the line breaks let snippets keep a heading apart from the
    text under it (``search.query.snippet_text``).
    """
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def type_key(model) -> str:
    """``GuidelinePage`` → ``guideline``: the value of the ``type`` facet and API parameter."""
    return model._meta.model_name.removesuffix("page")


OUTREACH_TYPE = "outreach"


def type_names() -> dict:
    """Facet key → the model's (lazily translated) verbose name."""
    from portal.outreach.models import OutreachService

    names = {type_key(model): model._meta.verbose_name for model in KNOWLEDGE_PAGE_MODELS}
    names[OUTREACH_TYPE] = OutreachService._meta.verbose_name
    names[type_key(CollaborationDirectoryPage)] = CollaborationDirectoryPage._meta.verbose_name
    return names


@dataclass
class TaxonomyValue:
    slug: str
    name: str


@dataclass
class IndexDocument:
    """One searchable page or page item, in the shape every backend stores."""

    page_id: int | None
    type: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    body_general_practice: str = ""
    body_hospital: str = ""
    sectors: list[TaxonomyValue] = field(default_factory=list)
    specialties: list[TaxonomyValue] = field(default_factory=list)
    topics: list[TaxonomyValue] = field(default_factory=list)
    # Topics of kind "symptom", also in ``topics``: symptom entry searches these.
    symptoms: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    last_published_at: datetime.datetime | None = None
    next_review: datetime.date | None = None
    # Unique in the index: ``page:<id>`` for a page, ``<type>:<id>:<anchor>`` for an item.
    key: str = ""

    def __post_init__(self):
        if not self.key:
            self.key = page_key(self.page_id)

    @property
    def audience(self) -> list[str]:
        """Who the page is for: its sectors, or both when it names none."""
        return [s.slug for s in self.sectors] or ["almen-praksis", "sygehus"]

    def as_dict(self) -> dict:
        return asdict(self)


def _field_text(page, name: str) -> str:
    value = getattr(page, name, None)
    if value is None:
        return ""
    model_field = page._meta.get_field(name)
    if isinstance(model_field, StreamField):
        parts = model_field.stream_block.get_searchable_content(value)
        return plain_text("\n".join(force_str(p) for p in parts if p))
    return plain_text(force_str(value))


def page_key(page_id: int) -> str:
    return f"page:{page_id}"


def _body_fields(model) -> list[str]:
    names = []
    own = _OWN_FIELDS | {getattr(model, "search_item_field", "")}
    for search_field in model.get_search_fields():
        if isinstance(search_field, index.SearchField) and search_field.field_name not in own:
            if search_field.field_name not in names:
                names.append(search_field.field_name)
    return names


def documents_for_page(page) -> list[IndexDocument]:
    """The page's own document, then one per item when its type splits items off."""
    if isinstance(page, CollaborationDirectoryPage):
        return [directory_document(page)]
    document = document_for_page(page)
    return [document, *_item_documents(page, document)]


def _item_documents(page, parent: IndexDocument) -> list[IndexDocument]:
    if not getattr(type(page), "search_item_field", ""):
        return []
    documents = []
    base_url = parent.url.split("#", 1)[0]
    for item in page.questions():
        block = item["block"]
        answer_block = block.block.child_blocks.get("answer")
        answer = ""
        if answer_block is not None:
            parts = answer_block.get_searchable_content(block.value.get("answer"))
            answer = plain_text("\n".join(force_str(p) for p in parts if p))
        documents.append(
            IndexDocument(
                page_id=parent.page_id,
                key=f"{parent.type}:{parent.page_id}:{item['anchor']}",
                type=parent.type,
                title=force_str(item["question"]),
                url=f"{base_url}#{item['anchor']}",
                body=answer,
                sectors=parent.sectors,
                specialties=parent.specialties,
                topics=parent.topics,
                symptoms=parent.symptoms,
                tags=parent.tags,
                last_published_at=parent.last_published_at,
                next_review=parent.next_review,
            )
        )
    return documents


def document_for_page(page) -> IndexDocument:
    """The page's own index document (call ``.specific`` first); see ``documents_for_page``."""
    bodies: dict[str, list[str]] = {"body": [], **{v: [] for v in SECTOR_BODY_FIELDS.values()}}
    for name in _body_fields(type(page)):
        try:
            text = _field_text(page, name)
        except FieldDoesNotExist:  # a search field backed by a method, not a model field
            text = plain_text(force_str(getattr(page, name, "") or ""))
        if text:
            bodies[SECTOR_BODY_FIELDS.get(name, "body")].append(text)
    topics = list(page.topics.all())
    return IndexDocument(
        page_id=page.pk,
        type=type_key(type(page)),
        title=page.title,
        url=page.get_url() or page.url_path,
        summary=page.summary,
        body="\n".join(bodies["body"]),
        body_general_practice="\n".join(bodies["body_general_practice"]),
        body_hospital="\n".join(bodies["body_hospital"]),
        sectors=[TaxonomyValue(s.slug, s.name) for s in page.sectors.all()],
        specialties=[TaxonomyValue(s.slug, s.name) for s in page.specialties.all()],
        topics=[TaxonomyValue(t.slug, t.name) for t in topics],
        symptoms=[t.name for t in topics if t.kind == "symptom"],
        tags=[t.name for t in page.tags.all()],
        last_published_at=page.last_published_at,
        next_review=page.next_review,
    )


def searchable_pages(page_ids=None):
    """Every page that belongs in the index (live, public knowledge pages and directories),
    model by model.

    One queryset per page type, because taxonomy can only be prefetched on
    the specific models; ``page_ids`` narrows it down.
    """
    for model in KNOWLEDGE_PAGE_MODELS:
        pages = model.objects.live().public().prefetch_related("specialties", "sectors", "topics", "tags")
        if page_ids is not None:
            pages = pages.filter(pk__in=page_ids)
        yield from pages.iterator(chunk_size=500)
    directories = CollaborationDirectoryPage.objects.live().public().select_related("kap_unit")
    if page_ids is not None:
        directories = directories.filter(pk__in=page_ids)
    yield from directories  # a handful; each reads its three lists in directory_document


def searchable_count() -> int:
    models = (*KNOWLEDGE_PAGE_MODELS, CollaborationDirectoryPage)
    return sum(model.objects.live().public().count() for model in models)


def directory_document(page) -> IndexDocument:
    """A collaboration directory's document: its title, intro and one line per person listed."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # "Praksisansvarlig konsulent", whoever publishes
        body = plain_text("\n".join(page.search_body()))
    return IndexDocument(
        page_id=page.pk,
        type=type_key(CollaborationDirectoryPage),
        title=page.title,
        url=page.get_url() or page.url_path,
        summary=plain_text(page.intro),
        body=body,
        last_published_at=page.last_published_at,
    )


def outreach_key(service_id: int) -> str:
    return f"{OUTREACH_TYPE}:{service_id}"


def outreach_documents(service_ids=None) -> list[IndexDocument]:
    """One document per active outreach service (those among ``service_ids`` when given): its
    name, kind, owner, hours, phone, area and description. Three queries."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from portal.outreach.selectors import active_services, service_postcode_summary

    with translation.override(settings.LANGUAGE_CODE):  # the index is Danish, whoever triggers it
        return _outreach_documents(active_services(), service_ids, reverse, service_postcode_summary)


def _outreach_documents(services, service_ids, reverse, service_postcode_summary) -> list[IndexDocument]:
    if service_ids is not None:
        services = services.filter(pk__in=list(service_ids))
    documents = []
    for service in services:
        area = service_postcode_summary(service)
        documents.append(
            IndexDocument(
                page_id=None,
                key=outreach_key(service.pk),
                type=OUTREACH_TYPE,
                title=service.name,
                url=reverse("outreach:service", args=[service.pk]),
                summary=plain_text(f"{service.get_kind_display()}. {service.owner}. {service.hours}."),
                body=plain_text("\n".join(filter(None, [service.description, area, service.phone]))),
            )
        )
    return documents


# --- The OpenSearch index -------------------------------------------------------------------
# The same analysis as ``search.analysis``, inside the engine: accents folded by a
# mapping (never ``asciifolding``, which would turn æ, ø and å into ae, o and a),
# ``aa`` → ``å``, Danish stop words and Snowball stemmer, and at search time the
# synonym file through ``synonym_graph`` (multi-word synonyms need the graph filter,
# which is only allowed in search analyzers).

_ACCENTS = {
    "á": "a", "à": "a", "â": "a", "ã": "a", "ä": "æ", "ç": "c", "é": "e", "è": "e", "ê": "e", "ë": "e",
    "í": "i", "ì": "i", "î": "i", "ï": "i", "ñ": "n", "ó": "o", "ò": "o", "ô": "o", "õ": "o", "ö": "ø",
    "ú": "u", "ù": "u", "û": "u", "ü": "u", "ý": "y",
}  # fmt: skip


def _char_mappings() -> list[str]:
    mappings = ["aa => å", "Aa => Å", "AA => Å", "aA => å"]
    for accented, plain in _ACCENTS.items():
        mappings.append(f"{accented} => {plain}")
        mappings.append(f"{accented.upper()} => {plain.upper()}")
    return mappings


def index_settings(*, synonyms: list[str] | None = None) -> dict:
    """Settings of a new index; the synonym lines are read when the index is built."""
    from search.analysis import synonym_lines

    return {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "refresh_interval": "1s",
        "max_ngram_diff": 20,
        "analysis": {
            "char_filter": {"danish_folding": {"type": "mapping", "mappings": _char_mappings()}},
            "filter": {
                "danish_stop": {"type": "stop", "stopwords": "_danish_"},
                "danish_stemmer": {"type": "stemmer", "language": "danish"},
                "danish_medical_synonyms": {
                    "type": "synonym_graph",
                    "synonyms": synonyms if synonyms is not None else synonym_lines(),
                    "lenient": True,
                },
                # One letter too: "børn med f" completes to "Børn med feber".
                "autocomplete_edge": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
            },
            "analyzer": {
                "danish_index": {
                    "type": "custom",
                    "char_filter": ["danish_folding"],
                    "tokenizer": "standard",
                    "filter": ["lowercase", "danish_stop", "danish_stemmer"],
                },
                "danish_search": {
                    "type": "custom",
                    "char_filter": ["danish_folding"],
                    "tokenizer": "standard",
                    "filter": ["lowercase", "danish_medical_synonyms", "danish_stop", "danish_stemmer"],
                },
                "danish_words": {  # for "did you mean": whole words, unstemmed
                    "type": "custom",
                    "char_filter": ["danish_folding"],
                    "tokenizer": "standard",
                    "filter": ["lowercase"],
                },
                "autocomplete_index": {
                    "type": "custom",
                    "char_filter": ["danish_folding"],
                    "tokenizer": "standard",
                    "filter": ["lowercase", "autocomplete_edge"],
                },
            },
        },
    }


def _danish_text(**kwargs):
    from opensearchpy import Text

    return Text(analyzer="danish_index", search_analyzer="danish_search", **kwargs)


def opensearch_document_class():
    """The DSL ``Document`` describing the mapping (built lazily: opensearch-py is optional)."""
    from opensearchpy import Date, Document, Integer, Keyword, Text

    class KnowledgeDocument(Document):
        key = Keyword()
        page_id = Integer()
        type = Keyword()
        title = _danish_text(
            copy_to="spell",
            fields={
                "autocomplete": Text(analyzer="autocomplete_index", search_analyzer="danish_words"),
                "words": Text(analyzer="danish_words"),
            },
        )
        # Offsets in the postings of the highlighted fields: the unified highlighter reads the
        # matches' places from the index instead of analysing each hit's texts again (half of a
        # search's time went to highlighting).
        summary = _danish_text(copy_to="spell", index_options="offsets")
        body = _danish_text(copy_to="spell", index_options="offsets")
        body_general_practice = _danish_text(copy_to="spell", index_options="offsets")
        body_hospital = _danish_text(copy_to="spell", index_options="offsets")
        topics_text = _danish_text(copy_to="spell")
        symptoms = _danish_text(copy_to="spell")
        # Every word as written: the known words of "did you mean" (bodies too, so a word of
        # any text is never corrected), and word prefixes ("telefon" finds "telefonaftale"),
        # answered from prefix terms indexed beside the words (4 to 10 letters: longer ones,
        # rarer, expand terms; each prefix length costs indexing time) rather than expanding.
        spell = Text(analyzer="danish_words", index_prefixes={"min_chars": 4, "max_chars": 10})
        # Compound parts and joined hyphenated words (``search.analysis.extra_words``), in
        # spell too, so that a prefix finds a part ("sygepleje" ~ "hjemmesygeplejerske").
        parts = _danish_text(copy_to="spell")
        url = Keyword(index=False)
        sectors = Keyword()
        specialties = Keyword()
        topics = Keyword()
        audience = Keyword()
        last_published_at = Date()
        next_review = Date()

    return KnowledgeDocument


def _texts(doc: IndexDocument) -> list[str]:
    topics = " ".join([t.name for t in doc.topics] + [s.name for s in doc.specialties] + doc.tags)
    return [doc.title, topics, doc.summary, doc.body, doc.body_general_practice, doc.body_hospital]


def opensearch_source(doc: IndexDocument) -> dict:
    """The JSON body of one document in the OpenSearch index."""
    return {
        "key": doc.key,
        "page_id": doc.page_id,
        "type": doc.type,
        "title": doc.title,
        "summary": doc.summary,
        "body": doc.body,
        "body_general_practice": doc.body_general_practice,
        "body_hospital": doc.body_hospital,
        "topics_text": " ".join([t.name for t in doc.topics] + [s.name for s in doc.specialties] + doc.tags),
        "symptoms": doc.symptoms,
        "parts": " ".join(analysis.extra_words(" ".join(_texts(doc)))),
        "url": doc.url,
        "sectors": [s.slug for s in doc.sectors],
        "specialties": [s.slug for s in doc.specialties],
        "topics": [t.slug for t in doc.topics],
        "audience": doc.audience,
        "last_published_at": doc.last_published_at.isoformat() if doc.last_published_at else None,
        "next_review": doc.next_review.isoformat() if doc.next_review else None,
    }
