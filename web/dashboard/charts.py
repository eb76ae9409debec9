"""Charts drawn on the server as inline SVG: geometry here, markup in `_macros.html` (`svg_chart`).

No script and no network: the page carries the chart, and a data table beside it says the
same in text for screen readers and for anyone who wants the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 220
LEFT = 40  # room for the value axis
BOTTOM = 28  # room for the labels under the columns
TOP = 10


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: int  # which colour: the index of the series
    title: str  # shown on hover, read by screen readers


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    """Everything the SVG and its data table need."""

    title: str
    width: int
    height: int
    rects: Sequence[Rect]
    labels: Sequence[Label]
    gridlines: Sequence[Label]  # y and the value written beside it
    series: Sequence[str]
    table_head: Sequence[str]
    table_rows: Sequence[Sequence[str]]

    @property
    def empty(self) -> bool:
        return not self.table_rows


def columns(
    title: str,
    points: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[str],
    *,
    label_every: int = 1,
) -> Chart:
    """Stacked columns, one per point (a day, a list version), one colour per series."""
    peak = max((sum(values) for _, values in points), default=0)
    top = _nice(peak)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(points), 1)
    rects: list[Rect] = []
    labels: list[Label] = []
    for index, (label, values) in enumerate(points):
        x = LEFT + index * slot + slot * 0.15
        base: float = HEIGHT - BOTTOM
        for number, value in enumerate(values):
            height = plot_h * value / top if top else 0
            if value:
                text = f"{label}: {value} {series[number]}"
                rects.append(Rect(x, base - height, slot * 0.7, height, number, text))
            base -= height
        if index % label_every == 0:
            labels.append(Label(x + slot * 0.35, HEIGHT - BOTTOM + 16, label))
    rows = [[label, *map(str, values)] for label, values in points if any(values)]
    return Chart(title, WIDTH, HEIGHT, rects, labels, _grid(top, plot_h), series,
                 ["", *series], rows)  # fmt: skip


def bars(title: str, items: Sequence[tuple[str, int]], unit: str) -> Chart:
    """Horizontal bars, one per item, labelled on the left (programs and their hit counts)."""
    left, row_h = 170, 24
    height = TOP + row_h * max(len(items), 1) + 8
    peak = max((value for _, value in items), default=0) or 1
    rects, labels = [], []
    for index, (label, value) in enumerate(items):
        y = TOP + index * row_h
        width = (WIDTH - left - 50) * value / peak
        rects.append(Rect(left, y + 4, width, row_h - 8, 0, f"{label}: {value} {unit}"))
        labels.append(Label(left - 8, y + row_h / 2 + 4, label, "end"))
        labels.append(Label(left + width + 6, y + row_h / 2 + 4, str(value), "start"))
    rows = [[label, str(value)] for label, value in items]
    return Chart(title, WIDTH, height, rects, labels, [], [unit], ["", unit], rows)


def _nice(peak: int) -> int:
    """A round top for the value axis: 1, 2, 5, 10, 20, 50, ..."""
    if peak <= 0:
        return 0
    power = int(10 ** int(math.log10(peak)))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= peak)


def _grid(top: int, plot_h: float) -> list[Label]:
    if not top:
        return []
    return [
        Label(LEFT - 6, HEIGHT - BOTTOM - plot_h * share, f"{top * share:g}", "end")
        for share in (0, 0.5, 1)
    ]
