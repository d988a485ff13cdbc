"""Monthly trend lines, cluster against area, drawn on the server as SVG by pygal.

The SVG carries no script (``js=[]``: pygal's tooltips would load a script from elsewhere, and
its inline config script is taken out of the tree) and
is served by its own view as an image, so the page's strict CSP (no inline style) stays as it
is; the image's one inline stylesheet is allowed by that response's own policy. Cells shown as
"too few" are gaps in the line, never a number. The page gives the same figures as a table.
"""

import pygal
from django.utils import formats
from django.utils.translation import gettext as _
from pygal.etree import etree
from pygal.style import Style

from .figures import MetricRow

# The portal's colours (DKFDS): the cluster in the primary blue, the area in a dark grey.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#747474",
    colors=("#005e9e", "#5c5c5c"),
    font_family="IBM Plex Sans, Arial, sans-serif",
    title_font_size=18,
    legend_font_size=14,
    label_font_size=12,
    major_label_font_size=12,
)


def month_label(month) -> str:
    return formats.date_format(month, "M Y")


def trend_svg(row: MetricRow, *, title: str, first_series: str | None, second_series: str) -> bytes:
    """The metric's monthly values: the cluster's (when given) and the area's."""
    chart = pygal.Line(
        js=[],
        style=STYLE,
        width=800,
        height=360,
        title=title,
        x_label_rotation=0,
        show_minor_x_labels=True,
        legend_at_bottom=True,
        allow_interruptions=True,
        print_values=False,
        show_dots=True,
        dots_size=4,
        include_x_axis=True,
        no_data_text=_("Too few to show"),
        truncate_label=-1,
        range=(0, 100) if row.metric.unit == "percent" else None,
    )
    chart.x_labels = [month_label(month) for month, _cluster, _area in row.months]
    if first_series is not None:
        chart.add(first_series, [c.value if c and c.shown else None for _m, c, _a in row.months])
    chart.add(second_series, [a.value if a.shown else None for _m, _c, a in row.months])
    return _without_script(chart.render_tree())


def _without_script(root) -> bytes:
    """pygal writes its config into a <script> even with ``js=[]``; an image needs none of it."""
    for parent in root.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return ("<?xml version='1.0' encoding='utf-8'?>\n" + etree.tostring(root, encoding="unicode")).encode()
