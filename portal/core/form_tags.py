"""Template tags for the shared form markup (``templates/includes/form_field.html``).

A select's options are written here rather than in a template loop: the loop resolved, filtered
and compared each option through the template engine, about 100 µs an option, and the focused
stays' rule form offers every practice of a region (576 at national scale): 60 of the region
board's 80 ms. Labels and values are escaped as the template did: ``django.utils.html.escape``
is the standard library's ``html.escape`` behind a lazy-string wrapper that costs more than the
escaping, so the standard library's is called on the ``str`` directly.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def select_options(field):
    """The ``<option>`` elements of a bound select field, its current value selected."""
    current = field.value()  # once: BoundField.value() re-cleans the data on every call
    current = "" if current is None else str(current)
    options = []
    for value, label in field.field.choices:
        value = str(value)
        selected = " selected" if value == current else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every value and label is escaped above
