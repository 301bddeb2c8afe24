"""Geometry for the server-rendered SVG charts; templates in templates/dashboards/charts/ draw them.

Each chart carries a title, a one-sentence summary and the data table beside it in the page, so no reader depends
on the picture. Colours keep at least 3:1 contrast with white and are never the only carrier of meaning: bars are
labelled with words and counts, and lines differ in dash pattern and marker shape as well as colour.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

# Contrast with white (so also of white text on them): red 6.5:1, amber (dark orange) 5.6:1, green 6.2:1,
# blue 5.2:1, grey 7.1:1, purple 10.1:1.
COLOURS = {
    "red": "#b3261e",
    "amber": "#a84d00",
    "green": "#00703c",
    "blue": "#1d70b8",
    "grey": "#505a5f",
    "purple": "#4c2c92",
    "black": "#0b0c0c",
}

STATUS_COLOURS = {
    "not_started": COLOURS["grey"],
    "in_progress": COLOURS["blue"],
    "reopened": COLOURS["amber"],
    "completed": COLOURS["purple"],
    "signed_off": COLOURS["green"],
}
RAG_COLOURS = {
    "red": COLOURS["red"],
    "amber": COLOURS["amber"],
    "green": COLOURS["green"],
    "blue": COLOURS["blue"],
}


@dataclass
class Segment:
    label: str
    value: int
    colour: str
    x: float
    width: float

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def show_text(self) -> bool:
        # Only where the count fits inside the segment; the legend and the table carry every number anyway.
        return self.width >= 18


@dataclass
class Bar:
    label: str
    total: int
    segments: list[Segment]
    y: float
    height: float
    start: float

    @property
    def text_y(self) -> float:
        return self.y + self.height / 2 + 5

    @property
    def end_x(self) -> float:
        return (self.segments[-1].x + self.segments[-1].width if self.segments else self.start) + 6


@dataclass
class StackedBarChart:
    id: str
    title: str
    summary: str
    bars: list[Bar]
    legend: list[tuple[str, str]]
    width: int = 640
    label_width: int = 200
    bar_height: int = 22
    gap: int = 12
    top: int = 34

    @property
    def height(self) -> int:
        return self.top + len(self.bars) * (self.bar_height + self.gap) + 4

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - 50

    @property
    def legend_items(self) -> list[dict]:
        x = 0.0
        items = []
        for label, colour in self.legend:
            items.append({"label": label, "colour": colour, "x": x, "text_x": x + 18})
            x += 28 + 7.8 * len(label)
        return items


def stacked_bars(
    *,
    id: str,
    title: str,
    summary: str,
    rows: list[tuple[str, dict[str, int]]],
    labels: dict[str, str],
    colours: dict[str, str],
) -> StackedBarChart:
    """One horizontal bar per row, split into segments in the order of `labels`, all on the same scale."""
    chart = StackedBarChart(
        id=id, title=title, summary=summary, bars=[], legend=[(labels[k], colours[k]) for k in labels]
    )
    largest = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    scale = chart.plot_width / largest
    for index, (label, counts) in enumerate(rows):
        x = float(chart.label_width)
        segments = []
        for key, text in labels.items():
            value = counts.get(key, 0)
            if value:
                segments.append(Segment(text, value, colours[key], x, value * scale))
                x += value * scale
        y = chart.top + index * (chart.bar_height + chart.gap)
        chart.bars.append(
            Bar(
                label=label,
                total=sum(counts.values()),
                segments=segments,
                y=y,
                height=chart.bar_height,
                start=chart.label_width,
            )
        )
    return chart


@dataclass
class Point:
    x: float
    y: float
    value: Decimal | int
    label: str


@dataclass
class Series:
    name: str
    colour: str
    dash: str  # SVG stroke-dasharray; "" for solid
    marker: str  # circle, square or diamond
    points: list[Point] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    @property
    def end_label(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    id: str
    title: str
    summary: str
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target: dict | None = None
    width: int = 640
    height: int = 300
    left: int = 56
    right: int = 130
    top: int = 20
    bottom: int = 44

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def legend_items(self) -> list[dict]:
        items = []
        x = 0.0
        for series in self.series:
            items.append({"series": series, "x": x, "line_end": x + 28, "text_x": x + 34})
            x += 50 + 7.2 * len(series.name)
        return items


def nice_ceiling(value: float) -> float:
    """A round number at or above `value` for the top of an axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _format_number(value: float | Decimal) -> str:
    value = float(value)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def line_chart(
    *,
    id: str,
    title: str,
    summary: str,
    x_labels: list[str],
    series: list[tuple[str, list[Decimal | int | None], str, str, str]],
    target: tuple[str, Decimal] | None = None,
    max_x_labels: int = 8,
) -> LineChart:
    """Lines over shared categories; each series is (name, values, colour, dash, marker). None leaves a gap."""
    known = [float(v) for _, values, *_ in series for v in values if v is not None]
    if target is not None:
        known.append(float(target[1]))
    top = nice_ceiling(max(known, default=0))
    chart = LineChart(id=id, title=title, summary=summary, series=[], x_ticks=[], y_ticks=[])
    plot_w = chart.plot_right - chart.left
    plot_h = chart.plot_bottom - chart.top
    count = len(x_labels)
    step_x = plot_w / (count - 1) if count > 1 else 0

    def x_at(i: int) -> float:
        return chart.left + (i * step_x if count > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return chart.plot_bottom - (v / top) * plot_h

    every = max(1, math.ceil(count / max_x_labels))
    # Evenly spaced labels counted back from the last category, so the latest one is always named.
    shown = set(range(count - 1, -1, -every))
    chart.x_ticks = [Tick(x_at(i), label) for i, label in enumerate(x_labels) if i in shown]
    chart.y_ticks = [Tick(y_at(top * k / 4), _format_number(top * k / 4)) for k in range(5)]
    for name, values, colour, dash, marker in series:
        line = Series(name=name, colour=colour, dash=dash, marker=marker)
        run: list[str] = []
        for i, value in enumerate(values):
            if value is None:
                if len(run) > 1:
                    line.paths.append(" ".join(run))
                run = []
                continue
            point = Point(x_at(i), y_at(float(value)), value, x_labels[i])
            line.points.append(point)
            run.append(f"{'M' if not run else 'L'}{point.x:.1f},{point.y:.1f}")
        if len(run) > 1:
            line.paths.append(" ".join(run))
        chart.series.append(line)
    if target is not None:
        chart.target = {"label": target[0], "y": y_at(float(target[1])), "value": target[1]}
    return chart


def month_label(month: dt.date) -> str:
    return month.strftime("%b %Y")
