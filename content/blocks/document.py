from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class DocumentLinkBlock(blocks.StructBlock):
    """A link to a downloadable document, with its type and size shown."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(required=False, max_length=200, label=_("Link text"))

    class Meta:
        icon = "doc-full"
        label = _("Document link")
        template = "blocks/document_link.html"
