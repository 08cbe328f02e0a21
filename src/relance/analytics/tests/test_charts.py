"""The charts' geometry: numbers SVG reads in any language, round ticks, labels with room."""

from decimal import Decimal

import pytest
from django.utils import translation

from relance.analytics.charts import (
    CHAR,
    FONT,
    nice_ticks,
    stacked_bars,
    svg_number,
    text_width,
)
from relance.analytics.templatetags.charts import svg

SERIES = [("x", "X", "red"), ("y", "Y", "blue")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(51.0712, "51.07"), (Decimal("120.10"), "120.1"), (3, "3"), (-0.001, "0"), (1e-9, "0")],
)
def test_svg_number(value, expected):
    assert svg_number(value) == expected


def test_svg_filter_ignores_the_language():
    with translation.override("fr"):
        assert svg(1234.5) == "1234.5"


@pytest.mark.parametrize(
    ("maximum", "integers", "expected"),
    [
        (4, True, [0, 1, 2, 3, 4]),
        (283, True, [0, 100, 200, 300]),
        (1, True, [0, 1]),
        (303594.86, False, [0, 100000, 200000, 300000, 400000]),
        (75342.55, False, [0, 20000, 40000, 60000, 80000]),
    ],
)
def test_nice_ticks(maximum, integers, expected):
    assert nice_ticks(maximum, integers=integers) == expected


def test_vertical_bars_stand_on_the_baseline_and_rotate_long_labels():
    categories = [(str(day), f"{day:02d}/11") for day in range(30)]
    chart = stacked_bars("t", categories, SERIES, {("3", "x"): 5, ("3", "y"): 2})
    base = chart.axis[1]
    bar = chart.bars[3]
    lower, upper = bar.segments
    assert lower.y + lower.height == pytest.approx(base)
    assert upper.y + upper.height == pytest.approx(lower.y)
    assert bar.label_text.rotate and bar.label_text.anchor == "end"
    # The first rotated label, running down-left from its bar, stays inside the chart.
    first = chart.bars[0]
    assert first.label_text.x - text_width("00/11") * 0.71 >= 0
    assert [tick.label.lines[0][1] for tick in chart.ticks] == ["0", "2", "4", "6", "8"]


def test_horizontal_bars_leave_room_for_labels_and_totals():
    long = "Key accounts (gentle)\n5. Review with the credit manager"
    chart = stacked_bars(
        "t",
        [("a", long), ("b", "Short")],
        SERIES,
        {("a", "x"): Decimal("300000.00"), ("b", "y"): Decimal("1.00")},
        horizontal=True,
        width=620,
        label_chars=34,
        format_value=lambda value: f"€{value:,.2f}",
    )
    left = chart.axis[0]
    first, second = chart.bars
    assert [line for _y, line in first.label_text.lines] == long.split("\n")
    assert left >= len("5. Review with the credit manager") * FONT * CHAR
    assert first.segments[0].x == left and second.segments[1].x == left
    assert first.total_text.lines[0][1] == "€300,000.00"
    end = first.total_text.x + text_width("€300,000.00")
    assert end <= chart.width
    assert chart.height == pytest.approx(chart.ticks[0].y2 + chart.tick_font_size + 12)


def test_labels_too_long_are_shortened_with_the_whole_in_a_tooltip():
    label = "Electronic registered letter with acknowledgement of receipt"
    chart = stacked_bars("t", [("a", label)], SERIES, {("a", "x"): 1}, horizontal=True)
    lines = [line for _y, line in chart.bars[0].label_text.lines]
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(len(line) <= 24 for line in lines)
    assert chart.bars[0].label_text.title == label
