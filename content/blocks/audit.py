from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class IndicatorBlock(blocks.StructBlock):
    """An audit indicator: what is counted and the target."""

    name = blocks.CharBlock(max_length=200, label=_("Indicator"))
    description = blocks.TextBlock(required=False, label=_("Description"))
    target = blocks.CharBlock(required=False, max_length=200, label=_("Target"))

    class Meta:
        icon = "list-ul"
        label = _("Indicator")
