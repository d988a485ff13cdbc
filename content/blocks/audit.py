from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError

from .document import DocumentLinkBlock

PROPORTION, COUNT = "proportion", "count"
MEASURE_CHOICES = [
    (PROPORTION, _("A proportion (numerator of denominator)")),
    (COUNT, _("A count")),
]


class IndicatorBlock(blocks.StructBlock):
    """An audit indicator: what is counted and the target."""

    name = blocks.CharBlock(max_length=200, label=_("Indicator"))
    description = blocks.TextBlock(required=False, label=_("Description"))
    target = blocks.CharBlock(required=False, max_length=200, label=_("Target"))
    # What a practice registers in an audit round (portal.auditrounds): counts only, never
    # patients. Kits saved before this field read as proportions.
    measure = blocks.ChoiceBlock(
        choices=MEASURE_CHOICES,
        default=PROPORTION,
        required=True,
        label=_("What is registered"),
        help_text=_("A proportion: how many of how many. A count: one number per practice."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Indicator")


# What a practice or a department can open and fill in; a CSV export is not a form.
AUDIT_FORM_EXTENSIONS = ("pdf", "xlsx", "docx", "ods", "odt")


class AuditFormBlock(DocumentLinkBlock):
    """A registration form or guide that editors upload (Wagtail documents): PDF, Excel or Word.

    Same fields as ``DocumentLinkBlock`` (so pages saved with it keep working); only the file
    types are checked, when an editor chooses a document.
    """

    def clean(self, value):
        value = super().clean(value)
        document = value.get("document")
        if document is not None and document.file_extension.lower() not in AUDIT_FORM_EXTENSIONS:
            raise StructBlockValidationError(
                block_errors={
                    "document": ValidationError(
                        _("An audit form must be a PDF, Excel or Word file (%(types)s), not %(type)s.")
                        % {"types": ", ".join(AUDIT_FORM_EXTENSIONS), "type": document.file_extension or "?"}
                    )
                }
            )
        return value

    class Meta:
        label = _("Audit form")
