from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from content.rendering import cached_render
from portal.core.markdown import html_to_text
from portal.core.sanitise import clean_html

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "superscript"]


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text whose output is sanitised like Markdown.

    Draftail already limits what an editor can type, but content arriving by
    import or API bypasses the editor; cleaning at render covers both.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    def render_basic(self, value, context=None):
        # Keyed by the HTML after Wagtail has expanded its page and document links, not by the
        # stored source: a moved page changes the expanded HTML and so the key.
        expanded = str(super().render_basic(value, context))
        return mark_safe(cached_render("richtext", expanded, lambda: clean_html(expanded)))  # noqa: S308

    def get_searchable_content(self, value):
        # One line per heading and paragraph (Wagtail's own joins them with spaces), so that a
        # search snippet does not run a heading into the text under it.
        return [html_to_text(value.source if hasattr(value, "source") else str(value or ""))]

    class Meta:
        icon = "pilcrow"
        label = _("Rich text")
