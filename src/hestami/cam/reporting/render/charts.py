"""A report's charts drawn with matplotlib (Agg, no GUI, no pyplot state) into PNG bytes for the PDF.

Only the PDF draws charts; this module is imported when one is drawn (matplotlib and numpy take about half a
second to import, which no API process should pay at start-up).
"""

from __future__ import annotations

from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from hestami.cam.reporting.definitions import Chart
from hestami.cam.reporting.render.values import chart_number

DPI = 150
SIZE_INCHES = (8.0, 3.6)
ASPECT = SIZE_INCHES[1] / SIZE_INCHES[0]
"""Height over width of every chart image."""


def _grouped(value: float, _position: float) -> str:
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def png(chart: Chart) -> bytes:
    """The chart as a PNG: bars grouped by category or one line per series, a legend when there are several
    series, the y label, values grouped by thousands. The title is left to the PDF's text."""
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(chart.categories)))
    count = max(len(chart.series), 1)
    width = 0.8 / count
    for index, series in enumerate(chart.series):
        values = [chart_number(v) for v in series.values]
        if chart.kind == "bar":
            offset = (index - (count - 1) / 2) * width
            axes.bar([p + offset for p in positions], values, width, label=series.name)
        else:
            axes.plot(positions, values, marker="o", label=series.name)
    axes.set_xticks(positions, labels=list(chart.categories), rotation=45 if len(positions) > 8 else 0)
    if chart.y_label:
        axes.set_ylabel(chart.y_label)
    axes.yaxis.set_major_formatter(FuncFormatter(_grouped))
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(chart.series) > 1:
        axes.legend(frameon=False)
    out = BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
