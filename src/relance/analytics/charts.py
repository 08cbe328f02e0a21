"""Server-side SVG bar charts, drawn by `analytics/_bar_chart.html` (no JavaScript library).

Everything the template places is computed here, in the pixels of the chart's own box: the
bars and their stacked segments, the value axis's ticks, the category labels (rotated or
wrapped to fit) and each bar's total. The server has no font metrics, so text widths are
estimated, generously, and the margins grow to hold the longest label.

Numbers reach SVG attributes only through `svg_number` (the template's `svg` filter), never
through Django's localization: French would write "51,07", which SVG rejects. Texts (tick
labels, totals, tooltips) are formatted here by the caller's formatters, in the language of
the request. Every bar and segment carries its number in a data attribute, which is what the
tests read."""

import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

Number = int | Decimal
Formatter = Callable[[Number], str]

WIDTH = 800
HEIGHT = 240
FONT = 12  # px: category labels and totals
TICK_FONT = 11  # px: the value axis
CHAR = 0.58  # a glyph's estimated mean width, in em, with room to spare (DejaVu Sans: ~0.55)
LINE = 1.25  # line height, in em
GAP = 0.3  # of a vertical bar's slot, between bars
BAR = 16  # px: the thickness of a horizontal bar
MIN_PLOT = 120  # px: the least height left to a vertical chart's bars
TICKS = 4  # about this many steps on the value axis
ROTATION = 45  # degrees: vertical charts' labels when they do not fit their slot


def svg_number(value: float | Number) -> str:
    """`value` as an SVG number: a dot, at most two decimals, whatever the language."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * size * CHAR


@dataclass
class Text:
    """A text at `x`, one baseline y per line; `rotate` degrees around the first line's start."""

    x: float
    lines: list[tuple[float, str]]
    anchor: str = "middle"
    rotate: float = 0
    title: str = ""  # the whole text, shown as a tooltip when a line was shortened

    @property
    def y(self) -> float:
        return self.lines[0][0]


@dataclass
class Segment:
    key: str
    label: str
    value: Number
    colour: str
    text: str = ""  # the value, formatted for the page's language
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0


@dataclass
class Bar:
    key: str
    label: str
    segments: list[Segment] = field(default_factory=list)
    label_text: Text | None = None
    total_text: Text | None = None

    @property
    def total(self) -> Number:
        return sum((segment.value for segment in self.segments), 0)


@dataclass
class Tick:
    value: float
    x1: float
    y1: float
    x2: float
    y2: float
    label: Text


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    legend: list[tuple[str, str, str]]  # (key, label, colour)
    maximum: Number
    name: str = ""
    horizontal: bool = False
    width: float = WIDTH
    height: float = HEIGHT
    ticks: list[Tick] = field(default_factory=list)
    axis: tuple[float, float, float, float] = (0, 0, 0, 0)  # the baseline: x1, y1, x2, y2
    font_size: int = FONT
    tick_font_size: int = TICK_FONT


def nice_ticks(maximum: float, *, integers: bool) -> list[float]:
    """0 to just above `maximum` in about `TICKS` round steps (1, 2, 2.5 or 5 × 10ⁿ)."""
    raw = max(maximum, 1e-9) / TICKS
    magnitude = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if integers and magnitude < 10 else (1, 2, 2.5, 5, 10)
    step = next(factor * magnitude for factor in factors if factor * magnitude >= raw)
    if integers:
        step = max(1, round(step))
    return [round(step * index, 9) for index in range(math.ceil(maximum / step - 1e-9) + 1)]


def _label_lines(label: str, chars: int) -> list[str]:
    """At most two lines of at most `chars` characters: the label's own lines (split on a
    newline) or the label wrapped on spaces; what does not fit ends with an ellipsis."""
    lines = label.split("\n") if "\n" in label else textwrap.wrap(label, chars) or [""]
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [_shorten(line, chars) for line in lines]


def _shorten(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def stacked_bars(
    title: str,
    categories: Sequence[tuple[str, str]],
    series: Sequence[tuple[str, str, str]],
    values: Mapping[tuple[str, str], Number],
    *,
    name: str = "",
    horizontal: bool = False,
    width: float = WIDTH,
    height: float = HEIGHT,
    label_chars: int = 24,
    format_value: Formatter = str,
    format_tick: Formatter | None = None,
) -> Chart:
    """One bar per (key, label) of `categories`, stacked in the order of `series` (key,
    label, colour), each segment `values[(category key, series key)]` (0 when missing).

    Vertical bars (columns) suit many short labels, such as days; horizontal ones suit long
    labels, which are then wrapped on two lines of `label_chars` beside their bar, with the
    bar's total (`format_value`) at its end. `height` is that of a vertical chart; a
    horizontal one is as tall as its rows need."""
    bars = [
        Bar(
            key,
            label,
            [Segment(s, s_label, values.get((key, s), 0), c) for s, s_label, c in series],
        )
        for key, label in categories
    ]
    for bar in bars:
        for segment in bar.segments:
            segment.text = format_value(segment.value)
    maximum = max((bar.total for bar in bars), default=0)
    integers = all(float(bar.total).is_integer() for bar in bars)
    ticks = nice_ticks(float(maximum) or 1, integers=integers)
    chart = Chart(title, bars, list(series), maximum, name, horizontal, width, height)
    tick_labels = [(value, (format_tick or format_value)(_plain(value))) for value in ticks]
    if horizontal:
        totals = [format_value(bar.total) for bar in bars]
        _horizontal(chart, tick_labels, totals, label_chars)
    else:
        _vertical(chart, tick_labels, label_chars)
    return chart


def _vertical(chart: Chart, ticks: list[tuple[float, str]], label_chars: int):
    """Columns over a horizontal baseline, the value axis on the left."""
    left = max(text_width(label, TICK_FONT) for _value, label in ticks) + 10
    right, top = 8, TICK_FONT
    labels = [_shorten(bar.label.replace("\n", " "), label_chars) for bar in chart.bars]
    label_width = max((text_width(label) for label in labels), default=0)
    slot = (chart.width - left - right) / max(len(chart.bars), 1)
    rotated = label_width > slot - 4
    if rotated:
        # The first label runs down and left from its bar's middle: room for it on the left.
        reach = label_width * math.cos(math.radians(ROTATION))
        left = max(left, reach - slot / 2 + 4)
        slot = (chart.width - left - right) / max(len(chart.bars), 1)
        bottom = label_width * math.sin(math.radians(ROTATION)) + FONT + 10
    else:
        bottom = FONT * LINE + 10
    chart.height = max(chart.height, top + bottom + MIN_PLOT)
    base = chart.height - bottom
    scale = (base - top) / ticks[-1][0]
    for index, (bar, label) in enumerate(zip(chart.bars, labels, strict=True)):
        x = left + index * slot + slot * GAP / 2
        thickness = slot * (1 - GAP)
        end = base
        for segment in bar.segments:
            size = float(segment.value) * scale
            end -= size
            segment.x, segment.y, segment.width, segment.height = x, end, thickness, size
        middle = x + thickness / 2
        if rotated:
            bar.label_text = Text(middle + 4, [(base + FONT + 2, label)], "end", -ROTATION)
        else:
            bar.label_text = Text(middle, [(base + FONT + 4, label)])
        bar.label_text.title = bar.label if label.endswith("…") else ""
    chart.axis = (left, base, chart.width - right, base)
    for value, label in ticks:
        y = base - value * scale
        text = Text(left - 6, [(y + TICK_FONT * 0.35, label)], "end")
        chart.ticks.append(Tick(value, left, y, chart.width - right, y, text))


def _horizontal(chart: Chart, ticks: list[tuple[float, str]], totals: list[str], label_chars: int):
    """Rows, labelled on the left, each bar's total at its end, the value axis below."""
    labels = [_label_lines(bar.label, label_chars) for bar in chart.bars]
    lines = max((len(label) for label in labels), default=1)
    row = max(BAR + 10, lines * FONT * LINE + 8)
    longest = max((text_width(line) for label in labels for line in label), default=0)
    left = longest + 12
    right = max(
        max((text_width(total) for total in totals), default=0) + 12,
        text_width(ticks[-1][1], TICK_FONT) / 2 + 4,
    )
    top, bottom = 4, TICK_FONT + 12
    chart.height = top + row * len(chart.bars) + bottom
    base = chart.height - bottom
    scale = (chart.width - left - right) / ticks[-1][0]
    for index, (bar, label, total) in enumerate(zip(chart.bars, labels, totals, strict=True)):
        middle = top + row * index + row / 2
        start = left
        for segment in bar.segments:
            size = float(segment.value) * scale
            segment.x, segment.y, segment.width, segment.height = start, middle - BAR / 2, size, BAR
            start += size
        first = middle - (len(label) - 1) * FONT * LINE / 2 + FONT * 0.35
        bar.label_text = Text(
            left - 8, [(first + n * FONT * LINE, line) for n, line in enumerate(label)], "end"
        )
        bar.label_text.title = bar.label.replace("\n", " ") if "…" in "".join(label) else ""
        bar.total_text = Text(start + 6, [(middle + FONT * 0.35, total)], "start")
    chart.axis = (left, top, left, base)
    for value, label in ticks:
        x = left + value * scale
        text = Text(x, [(base + TICK_FONT + 4, label)])
        chart.ticks.append(Tick(value, x, top, x, base, text))


def _plain(value: float) -> Number:
    """A tick as the formatters expect it: an int when whole, else a Decimal."""
    return int(value) if float(value).is_integer() else Decimal(str(value))
