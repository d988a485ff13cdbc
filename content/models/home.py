from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .section import SectionIndexPage


class HomePage(Page):
    """The front page: what Samspil is, the sections, and what changed lately."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = [
        "content.SectionIndexPage",
        "content.InformationPage",
        "content.EventIndexPage",
        "content.CollaborationDirectoryPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from content.selectors import recently_updated_pages

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().type(SectionIndexPage).live().public().specific()
        context["recent_pages"] = recently_updated_pages(limit=6)
        return context
