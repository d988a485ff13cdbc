from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, Revision
from wagtail.search import index

from content.blocks import AuditFormBlock, BodyBlock, IndicatorBlock

from .mixins import KnowledgePageMixin


class AuditKitForm(WagtailAdminPageForm):
    """The editor's way to move a kit to the guideline's newest version: tick, then save."""

    relink_guideline = forms.BooleanField(
        required=False,
        label=_("Audit the guideline's current version"),
        help_text=_("Tick when the kit has been brought in line with the guideline as it is published now."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("relink_guideline"):
            # The model's clean() links the version that is live now (it runs after this).
            self.instance.guideline_revision, self.instance.guideline_version_at = None, None
        return cleaned


class AuditMaterialPage(KnowledgePageMixin, Page):
    """An audit kit: purpose, indicators, period, and the documents to register with.

    A kit audits one version of a guideline: the guideline's live revision when the editor
    linked it. When the guideline is published again, the kit (and every audit round run from
    it) says the guideline has changed since, until an editor moves the kit to the new version.
    """

    base_form_class = AuditKitForm

    purpose = models.TextField(_("purpose"), blank=True)
    indicators = StreamField([("indicator", IndicatorBlock())], blank=True, verbose_name=_("indicators"))
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    # Forms editors upload (PDF, Excel, Word); the block name stays "document" for saved pages.
    documents = StreamField(
        [("document", AuditFormBlock())], blank=True, verbose_name=_("registration forms and documents")
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("how to run the audit"))
    guideline = models.ForeignKey(
        "content.GuidelinePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_kits",
        verbose_name=_("guideline audited"),
        help_text=_("The guideline whose recommendations the indicators measure."),
    )
    # The version audited: set by clean() from the guideline's live revision, never by hand.
    # The date is kept beside it because old revisions can be purged.
    guideline_revision = models.ForeignKey(
        Revision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("guideline version audited"),
    )
    guideline_version_at = models.DateTimeField(
        _("date of the guideline version"), null=True, blank=True, editable=False
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("purpose"),
        FieldPanel("indicators"),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading=_("Period")),
        FieldPanel("documents"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("guideline"), FieldPanel("relink_guideline")], heading=_("Guideline audited")
        ),
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
        self._link_guideline_version()

    def _link_guideline_version(self):
        if self.guideline_id is None:
            self.guideline_revision, self.guideline_version_at = None, None
            return
        guideline = self.guideline
        if not guideline.live or guideline.live_revision_id is None:
            raise ValidationError(
                {
                    "guideline": _(
                        "The guideline is not published: an audit kit can only audit a published guideline."
                    )
                }
            )
        revision = self.guideline_revision
        # A purged revision leaves the date: the kit still audits that (old) version.
        other_guideline = revision is not None and revision.object_id != str(guideline.pk)
        if self.guideline_version_at is None or other_guideline:
            # Newly linked, linked to another guideline, or moved on by the editor: today's version.
            live = guideline.live_revision
            self.guideline_revision, self.guideline_version_at = live, live.created_at

    @property
    def guideline_changed(self) -> bool:
        """Whether the guideline has been published again since the version this kit audits."""
        return guideline_changed_since(self.guideline, self.guideline_revision_id)


def guideline_changed_since(guideline, revision_id) -> bool:
    return guideline is not None and guideline.live and guideline.live_revision_id != revision_id
