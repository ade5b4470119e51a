"""Charts drawn on the server as SVG: the geometry here, the markup in
templates/_charts.html (autoescaped like every template, no script, no style attribute:
the CSP forbids inline styles, so colours are presentation attributes and classes).

People would rather look than read for two things: how the agencies' estimated scores
spread (a histogram of the overview) and whether an item is getting better over the runs
(the pass rate of the item page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Bar", "Histogram", "LineChart", "Point", "histogram", "pass_rate_chart"]

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 34


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    low: int
    high: int  # scores in [low, high) (the last bin includes 100)
    passing: bool  # the bin is at or above the pass mark


@dataclass(slots=True)
class Histogram:
    width: int
    height: int
    bars: list[Bar]
    y_ticks: list[tuple[float, int]]  # (y, count)
    baseline: float
    total: int
    no_score: int  # sites without an estimate (unreachable, not complete)


def histogram(scores: Sequence[float | None], bins: int = 10, pass_mark: float = 85.0) -> Histogram:
    """Scores 0-100 in ``bins`` equal bins."""
    counts = [0] * bins
    no_score = 0
    for score in scores:
        if score is None:
            no_score += 1
            continue
        counts[min(bins - 1, max(0, int(score * bins // 100)))] += 1
    top = max(counts) or 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / bins
    baseline = TOP + plot_h
    bars = []
    for i, n in enumerate(counts):
        h = plot_h * n / top
        low, high = i * 100 // bins, (i + 1) * 100 // bins
        bars.append(Bar(round(LEFT + i * step + 2, 1), round(baseline - h, 1),
                        round(step - 4, 1), round(h, 1), n, low, high, high > pass_mark))
    ticks = sorted({0, top, top // 2})
    y_ticks = [(round(baseline - plot_h * t / top, 1), t) for t in ticks]
    return Histogram(WIDTH, HEIGHT, bars, y_ticks, baseline, sum(counts), no_score)


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    rate: float  # percent
    passes: int
    judged: int
    label: str  # the run's date
    run_id: int


@dataclass(slots=True)
class LineChart:
    width: int
    height: int
    points: list[Point]
    path: str  # "x,y x,y ..." for a polyline
    y_ticks: list[tuple[float, int]] = field(default_factory=list)  # (y, percent)
    baseline: float = 0.0


def pass_rate_chart(series: Sequence[tuple[int, str, int, int]]) -> LineChart:
    """(run id, label, passes, judged) oldest first -> the pass rate in percent per run."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    n = len(series)
    points = []
    for i, (run_id, label, passes, judged) in enumerate(series):
        rate = 100.0 * passes / judged if judged else 0.0
        x = LEFT + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))
        y = baseline - plot_h * rate / 100
        points.append(Point(round(x, 1), round(y, 1), round(rate, 1), passes, judged, label,
                            run_id))
    ticks = [(round(baseline - plot_h * p / 100, 1), p) for p in (0, 50, 100)]
    path = " ".join(f"{p.x},{p.y}" for p in points)
    return LineChart(WIDTH, HEIGHT, points, path, ticks, baseline)
