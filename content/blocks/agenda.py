"""An agenda item of a meeting: who speaks from which sector about which part of the course."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

GENERAL_PRACTICE, HOSPITAL, BOTH = "almen-praksis", "sygehus", "begge"
AGENDA_SECTOR_CHOICES = [
    (GENERAL_PRACTICE, _("General practice")),
    (HOSPITAL, _("Hospital")),
    (BOTH, _("Both sectors together")),
]


class AgendaItemBlock(blocks.StructBlock):
    time = blocks.TimeBlock(required=False, label=_("Time"))
    title = blocks.CharBlock(max_length=200, label=_("Title"))
    sector = blocks.ChoiceBlock(choices=AGENDA_SECTOR_CHOICES, label=_("Sector"))
    presenter = blocks.CharBlock(max_length=200, required=False, label=_("Presenter"))
    description = blocks.TextBlock(required=False, label=_("Description"))

    class Meta:
        icon = "list-ul"
        label = _("Agenda item")
