"""A figure as the page shows it: "too few" below the minimum group size, never the number."""

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from portal.quality.selectors import clusters_of

register = template.Library()


@register.simple_tag
def quality_cell(cell, unit: str) -> str:
    if cell is None or (cell.value is None and not cell.suppressed):
        return "–"
    if cell.suppressed:
        return _("too few")
    if unit == "percent":
        return f"{formats.number_format(cell.value, 1)} %"
    if unit == "hours":
        return _("%(hours)s h") % {"hours": formats.number_format(cell.value, 1)}
    return formats.number_format(cell.value, 0)


@register.simple_tag
def quality_clusters_of(user) -> list:
    """The user's clusters for Mit overblik, in one query."""
    return list(clusters_of(user))
