from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import BodyBlock

from .mixins import KnowledgePageMixin


class ThinkSmartReviewPage(KnowledgePageMixin, Page):
    """A "tænk klogt" review: what we do now, what the evidence says, what to change.

    A cross-sector look at an established habit (a test, a scan, a follow-up)
    in the spirit of Choosing Wisely.
    """

    current_practice = StreamField(BodyBlock(), blank=True, verbose_name=_("current practice"))
    evidence = StreamField(BodyBlock(), blank=True, verbose_name=_("evidence"))
    recommendation = StreamField(BodyBlock(), blank=True, verbose_name=_("recommendation"))
    expected_consequences = StreamField(BodyBlock(), blank=True, verbose_name=_("expected consequences"))
    # Set when the review is drafted from a meeting's outcome (portal.events), in its first
    # revision, so that publishing never loses it.
    source_event = models.ForeignKey(
        "content.EventPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the meeting"),
    )

    # (field name, heading) in reading order, for the template and the importer.
    SECTIONS = (
        ("current_practice", _("Current practice")),
        ("evidence", _("Evidence")),
        ("recommendation", _("Recommendation")),
        ("expected_consequences", _("Expected consequences")),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        *[FieldPanel(name) for name, _heading in SECTIONS],
        *KnowledgePageMixin.review_panels,
        *KnowledgePageMixin.taxonomy_panels,
        FieldPanel("source_event", read_only=True),
    ]
    search_fields = (
        Page.search_fields
        + KnowledgePageMixin.search_fields
        + [index.SearchField(name) for name, _heading in SECTIONS]
    )
    parent_page_types = ["content.SectionIndexPage"]
    subpage_types = []

    # The count on a section listing, in clinicians' words (``content.selectors``).
    LISTING_COUNT = ngettext_lazy("%(count)d think smart review", "%(count)d think smart reviews", "count")

    class Meta:
        verbose_name = _("think smart review")
        verbose_name_plural = _("think smart reviews")

    def sections(self):
        return [(heading, getattr(self, name)) for name, heading in self.SECTIONS]
