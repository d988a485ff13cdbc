from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .markdown import MarkdownBlock
from .richtext import SafeRichTextBlock


class FaqAnswerBlock(blocks.StreamBlock):
    text = SafeRichTextBlock()
    markdown = MarkdownBlock()


class FaqItemBlock(blocks.StructBlock):
    """A question with its answer. ``anchor`` makes the item linkable (#anchor)."""

    question = blocks.CharBlock(max_length=300, label=_("Question"))
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        label=_("Anchor"),
        help_text=_("Left empty, it is made from the question."),
    )
    answer = FaqAnswerBlock(label=_("Answer"))

    class Meta:
        icon = "help"
        label = _("Question and answer")
        template = "blocks/faq_item.html"
