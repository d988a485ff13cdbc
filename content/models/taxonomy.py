"""The vocabularies that knowledge pages are filtered by: sector and topic.

Specialty lives in ``portal.accounts`` (departments have one too) and is
registered as a snippet alongside these in ``content.wagtail_hooks``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.search import index


class Sector(index.Indexed, models.Model):
    """Almen praksis or sygehus: a guideline may differ between them."""

    GENERAL_PRACTICE = "almen-praksis"
    HOSPITAL = "sygehus"

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Topic(index.Indexed, models.Model):
    """A clinical topic or a symptom ("Åndenød") that clinicians look things up by."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Topic")
        SYMPTOM = "symptom", _("Symptom")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TOPIC)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("topic or symptom")
        verbose_name_plural = _("topics and symptoms")
        ordering = ["name"]

    def __str__(self):
        return self.name


class KnowledgePageTag(TaggedItemBase):
    """Free tags on any knowledge page (one through table for all page types)."""

    content_object = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="knowledge_tags")
