"""Server-rendered bar charts for the analytics page: the geometry of each bar, drawn as
SVG by templates/admin/_analytics_chart.html. The page shows the same numbers in a table
beside each chart, so the chart is a picture of the table (role="img" with a title)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 150
VALUE_WIDTH = 70
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: float

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT

    def value_x(self, bar: Bar) -> float:
        return self.label_width + bar.width + 6


def bar_chart(chart_id: str, title: str, items: list[tuple[str, float, str]]) -> Chart:
    """Horizontal bars, one per (label, value, value as text), scaled to the largest."""
    largest = max((value for _, value, _ in items), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(label, text, n * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2, room * value / largest)
        for n, (label, value, text) in enumerate(items)
    ]
    return Chart(chart_id, title, bars)
