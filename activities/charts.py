"""Coordinates for the small server-rendered SVG charts of answer rates (no chart library, no script).

The template draws them (templates/activities/_rate_chart.svg.html); this module only
turns rates into points on a fixed canvas, so that the page stays a few kilobytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import formats

WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 38, 10, 10, 30


@dataclass
class Point:
    x: float
    y: float
    percent: int
    week: object


@dataclass
class RateChart:
    series: object
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM
    band_y: float = 0
    band_height: float = 0
    band_low: int = 0
    band_high: int = 0
    path: str = ""
    points: list[Point] = field(default_factory=list)
    y_ticks: list[tuple[float, int]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    latest: int | None = None
    average: int | None = None
    in_band_weeks: int = 0

    @property
    def classroom(self):
        return self.series.classroom

    @property
    def plot_width(self) -> int:
        return self.right_edge - self.left


def _y(rate: float) -> float:
    return round(TOP + (1 - max(0.0, min(1.0, rate))) * (HEIGHT - TOP - BOTTOM), 1)


def rate_chart(series, *, band: tuple[float, float]) -> RateChart:
    """One class's weekly rates as points and a line (broken over weeks without activities)."""
    weeks = series.weeks
    span = WIDTH - LEFT - RIGHT
    step = span / max(1, len(weeks) - 1)
    chart = RateChart(series=series, band_low=round(band[0] * 100), band_high=round(band[1] * 100))
    chart.band_y = _y(band[1])
    chart.band_height = round(_y(band[0]) - _y(band[1]), 1)
    chart.y_ticks = [(_y(v / 100), v) for v in (0, 25, 50, 75, 100)]
    parts, drawing = [], False
    rates = []
    for index, week in enumerate(weeks):
        x = round(LEFT + index * step, 1)
        if (len(weeks) - 1 - index) % 2 == 0:  # every other week, ending with the latest
            chart.x_ticks.append((x, formats.date_format(week.week, "d/m")))
        if week.rate is None:
            drawing = False
            continue
        y = _y(week.rate)
        parts.append(f"{'L' if drawing else 'M'}{x} {y}")
        drawing = True
        chart.points.append(Point(x=x, y=y, percent=week.percent, week=week))
        rates.append(week.rate)
        if band[0] <= week.rate <= band[1] + 1e-9:
            chart.in_band_weeks += 1
    chart.path = " ".join(parts)
    if rates:
        chart.latest = round(rates[-1] * 100)
        chart.average = round(sum(rates) / len(rates) * 100)
    return chart
