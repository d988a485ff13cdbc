from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ReferenceBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=500, label=_("Reference"))
    url = blocks.URLBlock(required=False, label=_("Link"))


class ReferencesBlock(blocks.StructBlock):
    """A numbered list of references."""

    heading = blocks.CharBlock(required=False, max_length=200, label=_("Heading"))
    items = blocks.ListBlock(ReferenceBlock(), label=_("References"))

    class Meta:
        icon = "list-ol"
        label = _("References")
        template = "blocks/references.html"
