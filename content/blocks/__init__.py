"""StreamField blocks. Each block has its own module; this package re-exports
the public names and the standard body used by every page type."""

from wagtail import blocks

from .audit import AUDIT_FORM_EXTENSIONS, AuditFormBlock, IndicatorBlock
from .callout import CalloutBlock
from .document import DocumentLinkBlock
from .faq import FaqItemBlock
from .markdown import MarkdownBlock
from .recommendation import EVIDENCE_CHOICES, STRENGTH_CHOICES, RecommendationBlock
from .references import ReferenceBlock, ReferencesBlock
from .richtext import SafeRichTextBlock
from .table import TableBlock


class BodyBlock(blocks.StreamBlock):
    """The body of every knowledge page and of each guideline variant."""

    text = SafeRichTextBlock()
    markdown = MarkdownBlock()
    callout = CalloutBlock()
    table = TableBlock()
    document = DocumentLinkBlock()
    recommendation = RecommendationBlock()
    references = ReferencesBlock()


__all__ = [
    "AUDIT_FORM_EXTENSIONS",
    "EVIDENCE_CHOICES",
    "AuditFormBlock",
    "STRENGTH_CHOICES",
    "BodyBlock",
    "CalloutBlock",
    "DocumentLinkBlock",
    "FaqItemBlock",
    "IndicatorBlock",
    "MarkdownBlock",
    "RecommendationBlock",
    "ReferenceBlock",
    "ReferencesBlock",
    "SafeRichTextBlock",
    "TableBlock",
]
