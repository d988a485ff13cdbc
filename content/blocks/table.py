from django.utils.translation import gettext_lazy as _
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock


class TableBlock(WagtailTableBlock):
    """A data table with an optional caption and header row."""

    class Meta:
        icon = "table"
        label = _("Table")
        template = "blocks/table.html"
