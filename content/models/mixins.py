"""Small mixins that page types are composed from.

Following bakerydemo and torchbox.com: each page type is ``Page`` plus the
mixins it needs, rather than one deep base page. See
https://docs.wagtail.org/en/stable/topics/pages.html
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from .taxonomy import KnowledgePageTag


class SummaryMixin(models.Model):
    """A plain-text summary, shown in listings, search results and the page lead."""

    summary = models.TextField(_("summary"), max_length=800, blank=True)

    search_fields = [index.SearchField("summary")]

    class Meta:
        abstract = True


class TaxonomyMixin(models.Model):
    """Specialties, sectors, topics and free tags: what section pages filter by."""

    specialties = ParentalManyToManyField(
        "accounts.Specialty", blank=True, related_name="%(class)s_pages", verbose_name=_("specialties")
    )
    sectors = ParentalManyToManyField(
        "content.Sector", blank=True, related_name="%(class)s_pages", verbose_name=_("sectors")
    )
    topics = ParentalManyToManyField(
        "content.Topic", blank=True, related_name="%(class)s_pages", verbose_name=_("topics and symptoms")
    )
    tags = ClusterTaggableManager(through=KnowledgePageTag, blank=True, verbose_name=_("tags"))

    taxonomy_panels = [
        MultiFieldPanel(
            [
                FieldPanel("specialties"),
                FieldPanel("sectors"),
                FieldPanel("topics"),
                FieldPanel("tags"),
            ],
            heading=_("Classification"),
        )
    ]

    search_fields = [
        index.RelatedFields("specialties", [index.SearchField("name")]),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("specialties"),
    ]

    class Meta:
        abstract = True


class ReviewDatesMixin(models.Model):
    """When the content was last reviewed and when it must be reviewed again.

    Pages past ``next_review`` appear in the admin report "Pages due for review"
    (``content.reports``).
    """

    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True)

    review_panels = [
        MultiFieldPanel(
            [FieldPanel("last_reviewed"), FieldPanel("next_review")],
            heading=_("Review"),
        )
    ]

    class Meta:
        abstract = True

    @property
    def is_past_review(self) -> bool:
        return bool(self.next_review and self.next_review < timezone.localdate())

    def days_past_review(self, today: datetime.date | None = None) -> int:
        """Days since the review date; 0 on the day itself and before it."""
        if not self.next_review:
            return 0
        return max(0, ((today or timezone.localdate()) - self.next_review).days)

    def review_owner_names(self) -> list[str]:
        """Who answers for the content: the page's owner in Wagtail (a page type may add more)."""
        owner = getattr(self, "owner", None)
        return [owner.get_full_name() or owner.email] if owner is not None else []

    def clean(self):
        super().clean()
        if self.last_reviewed and self.next_review and self.next_review <= self.last_reviewed:
            raise ValidationError({"next_review": _("The next review must come after the last review.")})
        if self.last_reviewed and self.last_reviewed > timezone.localdate() + datetime.timedelta(days=1):
            raise ValidationError({"last_reviewed": _("The last review cannot be in the future.")})


class KnowledgePageMixin(SummaryMixin, TaxonomyMixin, ReviewDatesMixin):
    """What every public knowledge page has. Section indexes list these."""

    search_fields = SummaryMixin.search_fields + TaxonomyMixin.search_fields

    class Meta:
        abstract = True
