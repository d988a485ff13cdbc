"""The week-by-week calendar's cells, written in Python.

A proposal page has up to 25 practices by 52 weeks: 1,300 cells. Through the template engine
each cell cost some forty calls, most of the run page's time; here it is a string join.
Trainees' first names are escaped as the template did.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_CELL = '<td class="samspil-stays-cell">'
_TAKEN = '<td class="samspil-stays-cell samspil-stays-cell--taken">'


@register.simple_tag
def calendar_cells(row):
    """The ``<td>`` of each week in a calendar row, with who is there that week."""
    cells = []
    for stays in row.cells:
        if not stays:
            cells.append(_CELL + "</td>")
            continue
        names = "".join(
            f'<span class="samspil-stays-who">{escape(a.need.trainee.first_name)}</span>' for a in stays
        )
        cells.append(f"{_TAKEN}{names}</td>")
    return mark_safe("".join(cells))  # noqa: S308 - the only variable text is escaped above
