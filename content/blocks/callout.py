from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .richtext import SafeRichTextBlock


class CalloutBlock(blocks.StructBlock):
    """A framed note: information, a warning, or a red flag that must not be missed."""

    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Warning")), ("red_flag", _("Red flag"))],
        default="info",
        label=_("Kind"),
    )
    heading = blocks.CharBlock(required=False, max_length=200, label=_("Heading"))
    text = SafeRichTextBlock(label=_("Text"))

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "blocks/callout.html"
