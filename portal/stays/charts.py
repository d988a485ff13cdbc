"""The report's bar chart as geometry for an inline SVG in the template: no plotting library and
nothing fetched from elsewhere, so the chart is server-side, prints, and reads without script."""

from dataclasses import dataclass

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 220
PLOT_WIDTH = 360


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    maximum: int


def specialty_bars(rows) -> BarChart:
    """One horizontal bar per specialty with stays done, scaled to the largest."""
    shown = [r for r in rows if r.stays_done or r.weeks_hosted]
    maximum = max((r.stays_done for r in shown), default=0)
    bars = []
    for index, row in enumerate(shown):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = round(PLOT_WIDTH * row.stays_done / maximum) if maximum else 0
        bars.append(Bar(row.specialty.name, row.stays_done, y, width, y + BAR_HEIGHT - 6))
    height = max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    return BarChart(bars, LABEL_WIDTH + PLOT_WIDTH + 60, height, LABEL_WIDTH, maximum)
