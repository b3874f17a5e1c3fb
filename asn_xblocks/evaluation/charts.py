"""Bar charts as geometry for an SVG drawn by the template: readable without JavaScript.

Each chart is a list of labelled bars on a fixed scale; the template draws them in an
`<svg role="img">` titled by the chart's caption and puts the same numbers in a data table
beside it, so a screen reader (or a printout) gets every value in text. A missing value (a
suppressed figure) draws no bar and says so in the table.
"""
from dataclasses import dataclass

BAR_HEIGHT, GAP, LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH = 22, 8, 200, 300, 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as the table and the bar's end show it
    y: int
    width: float

    @property
    def text_y(self):
        return self.y + 15

    @property
    def value_x(self):
        return LABEL_WIDTH + round(self.width, 1) + 6


@dataclass
class Chart:
    chart_id: str
    title: str
    headers: tuple  # the data table's column headers
    bars: tuple
    height: int
    rows: tuple  # the data table's rows (first cell is the row header)
    html: str = ''  # the chart and its table, once the block has rendered them

    label_width = LABEL_WIDTH
    label_x = LABEL_WIDTH - 6
    bar_height = BAR_HEIGHT
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH


def bar_chart(chart_id, title, headers, bars, scale_max, rows=None) -> Chart:
    """`bars` are (label, value or None, value text); `rows` default to (label, text) per bar."""
    top = max([scale_max] + [value for _l, value, _t in bars if value is not None]) or 1
    drawn = tuple(Bar(label, value, text, GAP + index * (BAR_HEIGHT + GAP),
                      0 if value is None else max(value, 0) / top * PLOT_WIDTH)
                  for index, (label, value, text) in enumerate(bars))
    return Chart(chart_id, title, tuple(headers), drawn, GAP + len(drawn) * (BAR_HEIGHT + GAP),
                 tuple(rows) if rows is not None else tuple((label, text) for label, _v, text in bars))
