"""Server-side SVG bar charts: plain geometry computed here, drawn by
`analytics/_bar_chart.html` (no JavaScript library). Every bar and segment carries its
number in a data attribute, which is what the tests and screen readers' titles read."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 760
HEIGHT = 220
MARGIN_LEFT = 48
MARGIN_BOTTOM = 56
MARGIN_TOP = 10
GAP = 0.25  # of a bar's slot

Number = int | Decimal


@dataclass
class Segment:
    key: str
    label: str
    value: Number
    colour: str
    y: float = 0.0
    height: float = 0.0


@dataclass
class Bar:
    key: str
    label: str
    x: float
    width: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def total(self) -> Number:
        return sum((segment.value for segment in self.segments), 0)

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    legend: list[tuple[str, str, str]]  # (key, label, colour)
    maximum: Number
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> int:
        return self.height - MARGIN_BOTTOM

    @property
    def left(self) -> int:
        return MARGIN_LEFT

    @property
    def label_y(self) -> int:
        return self.baseline + 14


def stacked_bars(
    title: str,
    categories: Sequence[tuple[str, str]],
    series: Sequence[tuple[str, str, str]],
    values: Mapping[tuple[str, str], Number],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """One bar per (key, label) of `categories`, stacked in the order of `series` (key,
    label, colour), each segment `values[(category key, series key)]` (0 when missing)."""
    totals = [
        sum((values.get((cat, key), 0) for key, _l, _c in series), 0) for cat, _ in categories
    ]
    maximum = max(totals, default=0) or 1
    plot_height = height - MARGIN_BOTTOM - MARGIN_TOP
    slot = (width - MARGIN_LEFT) / max(len(categories), 1)
    bars = []
    for index, (cat, label) in enumerate(categories):
        bar = Bar(cat, label, MARGIN_LEFT + index * slot + slot * GAP / 2, slot * (1 - GAP))
        top = float(height - MARGIN_BOTTOM)
        for key, series_label, colour in series:
            value = values.get((cat, key), 0)
            size = float(value) / float(maximum) * plot_height
            top -= size
            bar.segments.append(Segment(key, series_label, value, colour, top, size))
        bars.append(bar)
    return Chart(title, bars, list(series), maximum, width, height)
