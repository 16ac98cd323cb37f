"""Points over time as plain geometry for an SVG drawn by a template: no chart library,
no inline styles (CSP); colours come from CSS classes."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


@dataclass(frozen=True)
class WeekPoint:
    week: str  # '2026-W07'
    gained: int
    total: int  # cumulative at the end of the week


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    point: WeekPoint


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    left: float
    right: float
    line: str  # polyline "x,y x,y ..."
    area: str  # polygon down to the baseline
    dots: list[Dot]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    series: list[WeekPoint]


def _nice_ceiling(value: int) -> int:
    """A round axis maximum: 10, 20, 50, 100, 200, 500, ..."""
    step = 10
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def cumulative(weekly: dict[str, int], window: list[str]) -> list[WeekPoint]:
    """Weekly gains in `window` (oldest first) with running totals, counting every
    earlier week too."""
    running = sum(points for week, points in weekly.items() if week < window[0])
    series = []
    for week in window:
        gained = weekly.get(week, 0)
        running += gained
        series.append(WeekPoint(week=week, gained=gained, total=running))
    return series


def build(series: list[WeekPoint]) -> Chart:
    top_value = _nice_ceiling(max([p.total for p in series] + [10]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    step = plot_w / max(len(series) - 1, 1)

    def y_of(value: int) -> float:
        return round(baseline - value / top_value * plot_h, 1)

    dots = [
        Dot(x=round(LEFT + i * step, 1), y=y_of(p.total), point=p) for i, p in enumerate(series)
    ]
    line = " ".join(f"{d.x},{d.y}" for d in dots)
    area = f"{LEFT},{baseline} {line} {dots[-1].x if dots else LEFT},{baseline}"
    every = 1 if len(series) <= 8 else 2
    x_labels = [
        (d.x, "W" + d.point.week.split("-W")[1])
        for i, d in enumerate(dots)
        if (len(dots) - 1 - i) % every == 0
    ]
    y_ticks = [(y_of(v), v) for v in (0, top_value // 2, top_value)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        baseline=baseline,
        left=LEFT,
        right=WIDTH - RIGHT,
        line=line,
        area=area,
        dots=dots,
        x_labels=x_labels,
        y_ticks=y_ticks,
        series=series,
    )
