from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import FaqItemBlock
from content.text import danish_slug

from .mixins import KnowledgePageMixin


class FaqPage(KnowledgePageMixin, Page):
    """Questions and answers; each item can be linked to by its anchor."""

    items = StreamField([("item", FaqItemBlock())], blank=True, verbose_name=_("questions"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("items"),
        *KnowledgePageMixin.review_panels,
        *KnowledgePageMixin.taxonomy_panels,
    ]
    search_fields = Page.search_fields + KnowledgePageMixin.search_fields + [index.SearchField("items")]
    # Each question is a search document of its own, linked by its anchor (search.documents).
    search_item_field = "items"
    parent_page_types = ["content.SectionIndexPage"]
    subpage_types = []

    # The count on a section listing, in clinicians' words (``content.selectors``).
    LISTING_COUNT = ngettext_lazy(
        "%(count)d page of questions and answers", "%(count)d pages of questions and answers", "count"
    )

    class Meta:
        verbose_name = _("FAQ page")
        verbose_name_plural = _("FAQ pages")

    def questions(self):
        """The items with a unique anchor each, for the table of contents and the links."""
        seen: set[str] = set()
        result = []
        for block in self.items:
            anchor = danish_slug(block.value["anchor"] or block.value["question"], 60) or "spoergsmaal"
            unique, n = anchor, 2
            while unique in seen:
                unique, n = f"{anchor}-{n}", n + 1
            seen.add(unique)
            result.append({"anchor": unique, "question": block.value["question"], "block": block})
        return result
