from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class SectionIndexPage(Page):
    """A section of the knowledge base (guidelines, cases, FAQ, audit, tænk klogt).

    Lists its live children and filters them by specialty, sector and topic
    (``?speciale=``, ``?sektor=``, ``?emne=``), with counts per facet value.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = [
        "content.GuidelinePage",
        "content.CasePage",
        "content.FaqPage",
        "content.AuditMaterialPage",
        "content.ThinkSmartReviewPage",
    ]
    PAGE_SIZE = 20

    class Meta:
        verbose_name = _("section index")
        verbose_name_plural = _("section indexes")

    def listing(self, query) -> dict:
        """What the listing shows for a query (``request.GET`` or a parsed bake query).

        The template's data, and what the bake fingerprints (``content.baking.fingerprint``) to
        know whether a filter variant changed: both read this one place, so they cannot drift.
        """
        from content.selectors import SectionFilter, section_listing

        chosen = SectionFilter.from_query(query)
        listing = section_listing(section=self, chosen=chosen)
        return {
            "chosen": chosen,
            "facets": listing.facets,
            "result_count": len(listing.pages),
            "result_count_text": listing.count_text(),
            "results": Paginator(listing.pages, self.PAGE_SIZE).get_page(query.get("side") or 1),
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing(request.GET))
        return context
