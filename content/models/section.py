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

    def get_context(self, request, *args, **kwargs):
        from content.selectors import SectionFilter, section_listing

        context = super().get_context(request, *args, **kwargs)
        chosen = SectionFilter.from_query(request.GET)
        listing = section_listing(section=self, chosen=chosen)
        page_number = request.GET.get("side") or 1
        context["chosen"] = chosen
        context["facets"] = listing.facets
        context["result_count"] = len(listing.pages)
        context["result_count_text"] = listing.count_text()
        context["results"] = Paginator(listing.pages, self.PAGE_SIZE).get_page(page_number)
        return context
