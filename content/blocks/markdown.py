from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.core.markdown import markdown_to_text, render_markdown


class MarkdownBlock(blocks.TextBlock):
    """Markdown written by an editor or imported from a file.

    Rendered with tables and footnotes, then sanitised against the project's
    allow-list (``portal.core.sanitise``).
    """

    def render_basic(self, value, context=None):
        # Templates that nest the block under their own h2 set markdown_heading_offset.
        offset = int((context or {}).get("markdown_heading_offset", 0) or 0)
        return mark_safe(render_markdown(value, heading_offset=offset))  # noqa: S308 - cleaned by nh3

    def get_searchable_content(self, value):
        # What the reader sees, so that search snippets show no ``**``, ``#`` or ``[^1]``.
        return [markdown_to_text(value or "")]

    class Meta:
        icon = "code"
        label = _("Markdown")
        rows = 12
