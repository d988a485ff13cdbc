from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import AuditFormBlock, BodyBlock, IndicatorBlock

from .mixins import KnowledgePageMixin


class AuditMaterialPage(KnowledgePageMixin, Page):
    """An audit kit: purpose, indicators, period, and the documents to register with."""

    purpose = models.TextField(_("purpose"), blank=True)
    indicators = StreamField([("indicator", IndicatorBlock())], blank=True, verbose_name=_("indicators"))
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    # Forms editors upload (PDF, Excel, Word); the block name stays "document" for saved pages.
    documents = StreamField(
        [("document", AuditFormBlock())], blank=True, verbose_name=_("registration forms and documents")
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("how to run the audit"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("purpose"),
        FieldPanel("indicators"),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading=_("Period")),
        FieldPanel("documents"),
        FieldPanel("body"),
        *KnowledgePageMixin.review_panels,
        *KnowledgePageMixin.taxonomy_panels,
    ]
    search_fields = (
        Page.search_fields
        + KnowledgePageMixin.search_fields
        + [
            index.SearchField("purpose"),
            index.SearchField("indicators"),
            index.SearchField("body"),
        ]
    )
    parent_page_types = ["content.SectionIndexPage"]
    subpage_types = []

    # The count on a section listing, in clinicians' words (``content.selectors``).
    LISTING_COUNT = ngettext_lazy("%(count)d audit kit", "%(count)d audit kits", "count")

    class Meta:
        verbose_name = _("audit material")
        verbose_name_plural = _("audit material")

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
