from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import BodyBlock

from .mixins import KnowledgePageMixin


class CasePage(KnowledgePageMixin, Page):
    """A best-practice case: a concrete course across the sectors and what was learnt."""

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        *KnowledgePageMixin.review_panels,
        *KnowledgePageMixin.taxonomy_panels,
    ]
    search_fields = Page.search_fields + KnowledgePageMixin.search_fields + [index.SearchField("body")]
    parent_page_types = ["content.SectionIndexPage"]
    subpage_types = []

    # The count on a section listing, in clinicians' words (``content.selectors``).
    LISTING_COUNT = ngettext_lazy("%(count)d best-practice case", "%(count)d best-practice cases", "count")

    class Meta:
        verbose_name = _("best-practice case")
        verbose_name_plural = _("best-practice cases")
