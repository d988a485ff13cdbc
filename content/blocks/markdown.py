from django import forms
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from content.rendering import cached_render
from portal.core.markdown import markdown_to_text, render_markdown


class MarkdownBlock(blocks.TextBlock):
    """Markdown written by an editor or imported from a file.

    Rendered with tables and footnotes, then sanitised against the project's
    allow-list (``portal.core.sanitise``).
    """

    @cached_property
    def field(self):
        from wagtail.admin.widgets import AdminAutoHeightTextInput

        # A StreamField child has no <label> of its own (the block header is not one): without
        # an accessible name the text box is axe's critical "form elements must have labels".
        label = self.label or self.meta.label or _("Markdown")
        widget = AdminAutoHeightTextInput(attrs={"rows": self.meta.rows, "aria-label": str(label)})
        return forms.CharField(widget=widget, **self.field_options)

    def render_basic(self, value, context=None):
        # Templates that nest the block under their own h2 set markdown_heading_offset.
        offset = int((context or {}).get("markdown_heading_offset", 0) or 0)
        source = value or ""
        html = cached_render(
            "markdown", source, lambda: render_markdown(source, heading_offset=offset), heading_offset=offset
        )
        return mark_safe(html)  # noqa: S308 - cleaned by nh3

    def get_searchable_content(self, value):
        # What the reader sees, so that search snippets show no ``**``, ``#`` or ``[^1]``.
        return [markdown_to_text(value or "")]

    class Meta:
        icon = "code"
        label = _("Markdown")
        rows = 12
        help_text = _(
            "Markdown: ## for a heading, **bold**, lists, tables and footnotes ([^1]). "
            "The preview panel (the eye at the top right) shows the page as readers will see it."
        )
