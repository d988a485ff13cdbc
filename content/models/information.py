from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import MarkdownBlock, SafeRichTextBlock


class InformationBody(blocks.StreamBlock):
    text = SafeRichTextBlock()
    markdown = MarkdownBlock()


class InformationPage(Page):
    """A page about the portal itself: contact, privacy, cookies, the accessibility statement.

    Editors keep them in the admin; those with "Show in menus" ticked are the footer's links.
    """

    body = StreamField(InformationBody(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("body")]
    promote_panels = Page.promote_panels
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["content.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
