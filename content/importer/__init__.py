"""Importing Markdown files with YAML front matter as Wagtail pages.

The file format is described in ``content/demo/README.md``; the demo content
itself is imported through the same code (``load_demo_content``).
"""

from .pages import ImportResult, import_document
from .parsing import MarkdownImportError, SourceDocument, read_source

__all__ = ["ImportResult", "MarkdownImportError", "SourceDocument", "import_document", "read_source"]
