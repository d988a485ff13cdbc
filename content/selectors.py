"""Reads of the knowledge base: section listings, facets, review status."""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import ngettext
from wagtail.models import Page

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


def _knowledge_models_under(section):
    """The knowledge page models that actually have live children here (one query)."""
    type_ids = set(
        section.get_children().live().public().values_list("content_type_id", flat=True).distinct()
    )
    return [m for m in KNOWLEDGE_PAGE_MODELS if ContentType.objects.get_for_model(m).id in type_ids]


def section_listing(*, section, chosen: SectionFilter) -> SectionListing:
    """Children of ``section`` matching ``chosen``, and facet counts.

    A facet's counts are computed with the other facets applied but not its
    own, so that choosing a specialty still shows the other specialties.
    Query count depends on the number of page types present, not on pages.
    """
    pages = []
    models = _knowledge_models_under(section)
    for model in models:
        pages.extend(
            model.objects.child_of(section)
            .live()
            .public()
            .prefetch_related("specialties", "sectors", "topics")
        )

    def values(page, facet):
        return {
            (obj.slug, obj.name)
            for obj in getattr(
                page, {"specialty": "specialties", "sector": "sectors", "topic": "topics"}[facet]
            ).all()
        }

    def matches(page, facet, slug):
        return not slug or any(s == slug for s, _n in values(page, facet))

    facet_names = ("specialty", "sector", "topic")
    facets = {}
    for facet in facet_names:
        counter: Counter = Counter()
        base = 0  # the pages this facet would narrow: those that pass the other facets
        for page in pages:
            if all(matches(page, other, getattr(chosen, other)) for other in facet_names if other != facet):
                base += 1
                counter.update(values(page, facet))
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
    selected.sort(key=lambda p: p.title.lower())
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
    from django.urls import reverse
    from wagtail.models import TaskState, WorkflowState

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
    today = today or timezone.localdate()
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
