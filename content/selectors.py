"""Reads of the knowledge base: section listings, facets, review status."""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from wagtail.models import Page, TaskState, WorkflowState

from content import freshness
from content.models import KNOWLEDGE_PAGE_MODELS


@dataclass(frozen=True)
class SectionFilter:
    """The facet values a visitor chose, by slug. Query parameters are Danish."""

    specialty: str = ""
    sector: str = ""
    topic: str = ""

    PARAMS = {"specialty": "speciale", "sector": "sektor", "topic": "emne"}

    @classmethod
    def from_query(cls, query) -> "SectionFilter":
        # Slugs are short; anything longer or odd simply matches nothing.
        def clean(name):
            value = str(query.get(cls.PARAMS[name], ""))[:120]
            return value if value.replace("-", "").isalnum() else ""

        return cls(specialty=clean("specialty"), sector=clean("sector"), topic=clean("topic"))

    def is_active(self) -> bool:
        return bool(self.specialty or self.sector or self.topic)


@dataclass
class Facet:
    slug: str
    name: str
    count: int
    chosen: bool


@dataclass
class SectionListing:
    pages: list
    facets: dict = field(default_factory=dict)
    # The page types present in the section, for naming the count ("12 retningslinjer").
    models: list = field(default_factory=list)

    def count_text(self) -> str:
        """``"1 retningslinje"``, ``"12 retningslinjer"``; "sider" when the section mixes types."""
        count = len(self.pages)
        if len(self.models) == 1:
            return self.models[0].LISTING_COUNT % {"count": count}
        return ngettext("%(count)d page", "%(count)d pages", count) % {"count": count}


FACETS = {"specialty": "specialties", "sector": "sectors", "topic": "topics"}


@dataclass(frozen=True)
class ListingEntry:
    """A live, public knowledge page as listings show it: plain values, kept in the cache.

    The taxonomy is (slug, name) pairs read straight from the relation tables: reading it
    through the page's ``specialties`` manager built a new modelcluster manager per call,
    84 of them per listing request.
    """

    pk: int
    title: str
    url: str
    model_label: str
    summary: str
    specialties: tuple = ()
    sectors: tuple = ()
    topics: tuple = ()

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    @property
    def verbose_name(self):
        # Read at render time, so that it is in the reader's language.
        return self.model._meta.verbose_name

    def values(self, facet: str) -> tuple:
        return getattr(self, FACETS[facet])

    @property
    def specialty_names(self) -> list[str]:
        return [name for _slug, name in self.specialties]


def _taxonomy(model, page_ids: list[int], relation: str) -> dict[int, tuple]:
    """page id -> ((slug, name), ...) for one relation of one page type: one query."""
    field = model._meta.get_field(relation)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    # In the vocabulary's own order, as ``page.specialties.all()`` gave them.
    ordering = [
        f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
        for name in field.related_model._meta.ordering or ["pk"]
    ]
    rows = (
        field.remote_field.through.objects.filter(**{f"{source}_id__in": page_ids})
        .order_by(*ordering)
        .values_list(f"{source}_id", f"{target}__slug", f"{target}__name")
    )
    by_page: dict[int, list] = {}
    for page_id, slug, name in rows:
        by_page.setdefault(page_id, []).append((slug, name))
    return {page_id: tuple(values) for page_id, values in by_page.items()}


def _build_section_entries(section) -> list[ListingEntry]:
    """The section's live, public knowledge pages. Queries: one, plus four per page type present."""
    children = list(section.get_children().live().public().values_list("id", "content_type_id"))
    type_ids = {type_id for _page_id, type_id in children}
    entries = []
    for model in KNOWLEDGE_PAGE_MODELS:
        model_type_id = ContentType.objects.get_for_model(model).id
        if model_type_id not in type_ids:
            continue
        ids = [page_id for page_id, type_id in children if type_id == model_type_id]
        pages = model.objects.filter(id__in=ids).defer_streamfields()
        taxonomy = {relation: _taxonomy(model, ids, relation) for relation in FACETS.values()}
        entries.extend(
            ListingEntry(
                pk=page.pk,
                title=page.title,
                url=page.get_url(),
                model_label=model._meta.label_lower,
                summary=page.summary,
                **{relation: taxonomy[relation].get(page.pk, ()) for relation in FACETS.values()},
            )
            for page in pages
        )
    return sorted(entries, key=lambda e: (e.title.lower(), e.pk))


def section_entries(section) -> list[ListingEntry]:
    """``_build_section_entries``, from the cache until the knowledge base changes (``content.freshness``)."""
    key = f"samspil:listing:{freshness.token()}:{section.pk}"
    entries = cache.get(key)
    if entries is None:
        entries = _build_section_entries(section)
        cache.set(key, entries, freshness.CACHE_SECONDS)
    return entries


def page_classification(page, *, request=None) -> dict | None:
    """A served knowledge page's specialties, sectors and topics as (slug, name) pairs, cached
    until the knowledge base changes (``content.freshness``): three queries once, then none.
    None for a preview, whose values are the unsaved ones on the page itself."""
    if request is not None and getattr(request, "is_preview", False):
        return None
    key = f"samspil:classification:{freshness.token()}:{page.pk}"
    classification = cache.get(key)
    if classification is None:
        model = type(page)
        classification = {
            relation: _taxonomy(model, [page.pk], relation).get(page.pk, ()) for relation in FACETS.values()
        }
        cache.set(key, classification, freshness.CACHE_SECONDS)
    return classification


def section_listing(*, section, chosen: SectionFilter) -> SectionListing:
    """Children of ``section`` matching ``chosen``, and facet counts.

    A facet's counts are computed with the other facets applied but not its
    own, so that choosing a specialty still shows the other specialties.
    No query while the section's entries are cached; otherwise a number that
    depends on the page types present, not on the pages.
    """
    pages = section_entries(section)
    labels = {entry.model_label for entry in pages}
    models = [m for m in KNOWLEDGE_PAGE_MODELS if m._meta.label_lower in labels]

    def matches(page, facet, slug):
        return not slug or any(s == slug for s, _n in page.values(facet))

    facet_names = tuple(FACETS)
    facets = {}
    for facet in facet_names:
        counter: Counter = Counter()
        base = 0  # the pages this facet would narrow: those that pass the other facets
        for page in pages:
            if all(matches(page, other, getattr(chosen, other)) for other in facet_names if other != facet):
                base += 1
                counter.update(set(page.values(facet)))
        # A value every one of those pages has narrows nothing ("Almen medicin (12)" of 12):
        # it is left out, unless chosen (the reader must be able to remove it).
        facets[facet] = sorted(
            (
                Facet(slug, name, count, slug == getattr(chosen, facet))
                for (slug, name), count in counter.items()
                if count < base or slug == getattr(chosen, facet)
            ),
            key=lambda f: f.name,
        )

    selected = [p for p in pages if all(matches(p, f, getattr(chosen, f)) for f in facet_names)]
    return SectionListing(pages=selected, facets=facets, models=models)


def recently_updated_pages(*, limit: int = 6):
    return (
        Page.objects.live()
        .public()
        .type(*KNOWLEDGE_PAGE_MODELS)
        .order_by("-last_published_at")
        .specific()[:limit]
    )


def pages_past_review(*, today=None) -> list:
    """Knowledge pages (live or draft) whose next review date has passed."""
    today = today or timezone.localdate()
    pages = []
    for model in KNOWLEDGE_PAGE_MODELS:
        pages.extend(model.objects.filter(next_review__lt=today).select_related("owner"))
    return sorted(pages, key=lambda p: p.next_review)


@dataclass(frozen=True)
class EditorItem:
    """A page on an editor's overview: its title, where to edit it, and one line about it."""

    title: str
    edit_url: str
    detail: str = ""


@dataclass
class EditorOverview:
    to_approve: list[EditorItem] = field(default_factory=list)  # colleagues' submissions
    submitted: list[EditorItem] = field(default_factory=list)  # mine, awaiting a colleague
    past_review: list[EditorItem] = field(default_factory=list)  # pages I own, review date passed
    past_review_count: int = 0


def editor_overview(user, *, limit: int = 5, today=None) -> EditorOverview:
    """What waits for an editor in the knowledge base: colleagues' pages to approve (never her own,
    the two-person rule), her submissions still in moderation, and her pages past their review
    date. A fixed number of queries whatever the number of pages."""
    today = today or timezone.localdate()

    def edit_url(page_id) -> str:
        return reverse("wagtailadmin_pages:edit", args=(page_id,))

    page_type = ContentType.objects.get_for_model(Page)
    to_approve = list(
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__base_content_type=page_type)
        .select_related("workflow_state__requested_by")
        .order_by("started_at")[:limit]
    )
    submitted = list(
        WorkflowState.objects.active()
        .filter(requested_by=user, base_content_type=page_type)
        .order_by("created_at")[:limit]
    )
    titles = Page.objects.in_bulk(
        {int(s.workflow_state.object_id) for s in to_approve} | {int(s.object_id) for s in submitted}
    )

    def title(object_id) -> str:
        page = titles.get(int(object_id))
        return page.title if page is not None else "–"

    mine_past_review = [p for p in pages_past_review(today=today) if p.owner_id == user.pk]
    return EditorOverview(
        to_approve=[
            EditorItem(
                title(s.workflow_state.object_id),
                edit_url(s.workflow_state.object_id),
                s.workflow_state.requested_by.get_full_name() if s.workflow_state.requested_by else "",
            )
            for s in to_approve
        ],
        submitted=[EditorItem(title(s.object_id), edit_url(s.object_id)) for s in submitted],
        past_review=[
            EditorItem(
                p.title,
                edit_url(p.pk),
                ngettext("%(days)d day overdue", "%(days)d days overdue", p.days_past_review(today))
                % {"days": p.days_past_review(today)},
            )
            for p in mine_past_review[:limit]
        ],
        past_review_count=len(mine_past_review),
    )
