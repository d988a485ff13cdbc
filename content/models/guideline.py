from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import EVIDENCE_CHOICES, BodyBlock, ReferenceBlock

from .mixins import KnowledgePageMixin

RECOMMENDATION_CHOICES = [
    ("strong", _("Strong")),
    ("weak", _("Weak")),
    ("good_practice", _("Good practice")),
]


class GuidelinePage(KnowledgePageMixin, Page):
    """A clinical guideline with a general-practice and a hospital variant.

    The same disease may be handled differently in the two sectors because
    epidemiology and conditions differ; ``variant_reason`` says why, and each
    variant has its own named owner.
    """

    GENERAL_PRACTICE = "almen-praksis"
    HOSPITAL = "sygehus"
    VARIANTS = (GENERAL_PRACTICE, HOSPITAL)

    variant_reason = models.TextField(_("why the variants differ"), blank=True)
    general_practice_body = StreamField(BodyBlock(), blank=True, verbose_name=_("general practice"))
    hospital_body = StreamField(BodyBlock(), blank=True, verbose_name=_("hospital"))
    general_practice_owner = models.CharField(_("owner in general practice"), max_length=200, blank=True)
    hospital_owner = models.CharField(_("owner at the hospital"), max_length=200, blank=True)
    # The name above is what readers see; the account is who receives feedback on the variant
    # and answers it (issue 15). Without one, the page's owner answers.
    general_practice_owner_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner's account in general practice"),
        help_text=_("Feedback on the general practice variant is sent to this person."),
    )
    hospital_owner_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner's account at the hospital"),
        help_text=_("Feedback on the hospital variant is sent to this person."),
    )
    evidence_level = models.CharField(
        _("certainty of evidence"), max_length=20, choices=EVIDENCE_CHOICES, blank=True
    )
    recommendation_strength = models.CharField(
        _("strength of recommendation"), max_length=20, choices=RECOMMENDATION_CHOICES, blank=True
    )
    references = StreamField([("reference", ReferenceBlock())], blank=True, verbose_name=_("references"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("variant_reason"),
        MultiFieldPanel(
            [
                FieldPanel("general_practice_owner"),
                FieldPanel("general_practice_owner_account"),
                FieldPanel("general_practice_body"),
            ],
            heading=_("General practice"),
        ),
        MultiFieldPanel(
            [FieldPanel("hospital_owner"), FieldPanel("hospital_owner_account"), FieldPanel("hospital_body")],
            heading=_("Hospital"),
        ),
        FieldRowPanel([FieldPanel("evidence_level"), FieldPanel("recommendation_strength")]),
        FieldPanel("references"),
        *KnowledgePageMixin.review_panels,
        *KnowledgePageMixin.taxonomy_panels,
    ]
    search_fields = (
        Page.search_fields
        + KnowledgePageMixin.search_fields
        + [
            index.SearchField("variant_reason"),
            index.SearchField("general_practice_body"),
            index.SearchField("hospital_body"),
        ]
    )
    parent_page_types = ["content.SectionIndexPage"]
    subpage_types = []

    # The count on a section listing, in clinicians' words (``content.selectors``).
    LISTING_COUNT = ngettext_lazy("%(count)d guideline", "%(count)d guidelines", "count")

    class Meta:
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")

    def review_owner_names(self) -> list[str]:
        """The named owner of each variant; the page owner when neither is named."""
        named = [n for n in (self.general_practice_owner, self.hospital_owner) if n]
        return list(dict.fromkeys(named)) or super().review_owner_names()

    def chosen_variant(self, request) -> str | None:
        """``?variant=almen-praksis`` shows one variant; no choice shows both side by side."""
        variant = request.GET.get("variant")
        return variant if variant in self.VARIANTS else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["variant"] = self.chosen_variant(request)
        return context
