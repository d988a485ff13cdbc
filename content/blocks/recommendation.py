from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .richtext import SafeRichTextBlock

STRENGTH_CHOICES = [
    ("strong_for", _("Strong recommendation for")),
    ("weak_for", _("Weak recommendation for")),
    ("weak_against", _("Weak recommendation against")),
    ("strong_against", _("Strong recommendation against")),
    ("good_practice", _("Good practice")),
]

EVIDENCE_CHOICES = [
    ("high", _("High")),
    ("moderate", _("Moderate")),
    ("low", _("Low")),
    ("very_low", _("Very low")),
]


class RecommendationBlock(blocks.StructBlock):
    """One recommendation with its strength and the certainty of the evidence (GRADE)."""

    text = SafeRichTextBlock(label=_("Recommendation"))
    strength = blocks.ChoiceBlock(choices=STRENGTH_CHOICES, label=_("Strength"))
    evidence = blocks.ChoiceBlock(choices=EVIDENCE_CHOICES, required=False, label=_("Certainty of evidence"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["strength_label"] = dict(STRENGTH_CHOICES).get(value.get("strength"), "")
        context["evidence_label"] = dict(EVIDENCE_CHOICES).get(value.get("evidence"), "")
        return context

    class Meta:
        icon = "tick-inverse"
        label = _("Recommendation")
        template = "blocks/recommendation.html"
