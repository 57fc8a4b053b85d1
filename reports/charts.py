"""Small SVG charts drawn on the server: no JavaScript, a <title> and <desc> for screen readers, and
colours and sizes from the stylesheet (classes only: the portal's policy allows no inline style).

Each chart is shown beside a table of the same data, so nothing is only in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.report import SchoolReport, percent_shown

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 30


@dataclass(frozen=True)
class Point:
    label: str  # under the axis (a month, a class)
    value: float | None  # None: no figure (a gap in a line, no bar)
    shown: str = ""  # the value as text, for the bar's label


def _frame(chart_id: str, title: str, desc: str, body: str, css: str) -> SafeString:
    return format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        css,
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        mark_safe(body),  # noqa: S308 (built below from escaped parts)
    )


def _y(value: float, top: float) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(TOP + plot - (value / top) * plot, 1) if top else HEIGHT - BOTTOM


def _axis(top: float, unit: str) -> str:
    """The base line, 0 and, for a percentage, 100 %; bars of counts and money carry their own values."""
    lines = [
        f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}"/>',
        f'<text class="tick" x="{LEFT - 4}" y="{HEIGHT - BOTTOM + 4}" text-anchor="end">0</text>',
    ]
    if unit:
        lines.append(
            f'<text class="tick" x="{LEFT - 4}" y="{_y(top, top) + 4}" text-anchor="end">'
            f"{escape(_number(top))}{escape(unit)}</text>"
        )
    return "".join(lines)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _slots(count: int) -> tuple[float, list[float]]:
    width = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return width, [round(LEFT + width * (n + 0.5), 1) for n in range(count)]


def _labels(points: list[Point], centres: list[float]) -> str:
    return format_html_join(
        "",
        '<text class="label" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((x, HEIGHT - BOTTOM + 16, point.label) for point, x in zip(points, centres, strict=True)),
    )


def line_chart(
    *, chart_id: str, title: str, desc: str, points: list[Point], band: tuple[int, int] | None = None
) -> SafeString:
    """A percentage month by month (0–100 %), the target band shaded behind it."""
    top = 100.0
    _width, centres = _slots(len(points))
    parts = []
    if band:
        low, high = band
        parts.append(
            f'<rect class="band" x="{LEFT}" y="{_y(high, top)}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{round(_y(low, top) - _y(high, top), 1)}"/>'
        )
    parts.append(_axis(top, "%"))
    segment: list[str] = []
    segments = []
    for point, x in zip(points, centres, strict=True):
        if point.value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x},{_y(min(point.value, top), top)}")
    if segment:
        segments.append(segment)
    parts += [f'<polyline class="line" points="{" ".join(seg)}"/>' for seg in segments]
    for point, x in zip(points, centres, strict=True):
        if point.value is not None:
            parts.append(f'<circle class="dot" cx="{x}" cy="{_y(min(point.value, top), top)}" r="3"/>')
    parts.append(_labels(points, centres))
    return _frame(chart_id, title, desc, "".join(parts), "chart-line")


def bar_chart(*, chart_id: str, title: str, desc: str, points: list[Point], percent: bool = False) -> SafeString:
    """One bar per group (a class, a campaign), its value written above it."""
    values = [point.value for point in points if point.value is not None]
    top = 100.0 if percent else float(max(values, default=0) or 1)
    width, centres = _slots(len(points))
    bar = max(4.0, round(width * 0.6, 1))
    parts = [_axis(top, "%" if percent else "")]
    for point, x in zip(points, centres, strict=True):
        if point.value is None:
            continue
        y = _y(min(point.value, top), top)
        parts.append(
            f'<rect class="bar" x="{round(x - bar / 2, 1)}" y="{y}" width="{bar}" '
            f'height="{round(HEIGHT - BOTTOM - y, 1)}"/>'
        )
        parts.append(
            format_html('<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>', x, y - 3, point.shown)
        )
    parts.append(_labels(points, centres))
    return _frame(chart_id, title, desc, "".join(parts), "chart-bars")


# --- A report's charts


def _number_or_none(value):
    return value if isinstance(value, int | float) else None


def report_charts_draw(report: SchoolReport) -> None:
    """Each section's charts (`section.charts`): a line of each rate month by month, with its figures as a
    table, and bars per group (a class, a campaign), whose table is the section's group table."""
    for section in report.sections:
        drawn = []
        for rate in section.rates:
            if len(rate.trend) < 2 or all(point.percent is None for point in rate.trend):
                continue
            months = [Point(f"{point.month:%m/%y}", point.percent) for point in rate.trend]
            title = _("%(rate)s month by month") % {"rate": rate.label}
            desc = _("The same figures are in the table below.")
            if rate.target:
                desc = _("The target is %(target)s.") % {"target": rate.target_shown} + " " + desc
            drawn.append(
                {
                    "svg": line_chart(
                        chart_id=f"chart-{section.key}-{rate.key}",
                        title=title,
                        desc=desc,
                        points=months,
                        band=rate.target,
                    ),
                    "title": title,
                    "rows": [
                        (f"{point.month:%m/%Y}", rate.label, percent_shown(point.percent)) for point in rate.trend
                    ],
                }
            )
        table = section.groups
        if table and table.rows:
            index = next((i for i, c in enumerate(table.columns) if c.kind == "rate"), None)
            if index is None:
                index = next((i for i, c in enumerate(table.columns) if c.kind != "money"), 0)
            column = table.columns[index]
            # Outside the school a hidden count ("< 5") is no number any more, and draws no bar.
            points = [Point(row.label, _number_or_none(row.values[index]), row.shown[index]) for row in table.rows]
            title = _("%(figure)s per %(group)s") % {"figure": column.label, "group": table.heading.lower()}
            drawn.append(
                {
                    "svg": bar_chart(
                        chart_id=f"chart-{section.key}-groups",
                        title=title,
                        desc=_("The same figures are in the table below."),
                        points=points,
                        percent=column.kind == "rate",
                    ),
                    "title": title,
                    "rows": None,  # the group table below is the chart's table
                }
            )
        section.charts = drawn
