"""Kept for existing imports: Markdown rendering lives in ``portal.core.markdown``."""

from portal.core.markdown import EXTENSIONS, render_markdown

__all__ = ["EXTENSIONS", "render_markdown"]
