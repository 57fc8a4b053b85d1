"""A child's growth charts: server-rendered inline SVG, no JavaScript.

Each chart (weight-for-age up to 10 years, length/height-for-age, BMI-for-age) draws WHO's −3, −2,
0, +2 and +3 SD lines for the child's sex over the ages of the child's measurements (with a margin),
and the child's points. The lines come from `health.growth.reference_curve` and never change: they
are kept in process memory per (indicator, sex, range).

When the ages drawn cross 60 months, the WHO Child Growth Standards 2006 give way to the WHO Growth
Reference 2007: the lines are drawn in two pieces, with the boundary marked and both references
named. A chart is readable on a 360 px phone (a viewBox, drawn at the width of the page) and comes
with a text summary for screen readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from health.growth import (
    CHART_SDS,
    DAYS_PER_YEAR,
    WFA_2007_LAST_YEAR,
    WHO_2006_LAST_DAY,
    reference_curve,
)
from health.models import Reference

MONTH_DAYS = DAYS_PER_YEAR / 12
BOUNDARY_MONTHS = 60
LAST_MONTHS = {"wfa": int(WFA_2007_LAST_YEAR * 12), "hfa": 228, "bmi": 228}
MARGIN_MONTHS = 6
MIN_SPAN_MONTHS = 12

CHART_TITLES = {
    "wfa": gettext_lazy("Weight for age"),
    "hfa": gettext_lazy("Height for age"),
    "bmi": gettext_lazy("BMI for age"),
}
UNITS = {"wfa": "kg", "hfa": "cm", "bmi": "kg/m²"}
MEASUREMENT_VALUE = {"wfa": "weight_kg", "hfa": "height_cm", "bmi": "bmi"}
MEASUREMENT_Z = {"wfa": "z_wfa", "hfa": "z_hfa", "bmi": "z_bmi"}

# The drawing, in viewBox units (drawn at the page's width: about 1 unit per pixel on a phone).
WIDTH, HEIGHT = 360, 250
LEFT, RIGHT, TOP, BOTTOM = 34, 26, 10, 34
SD_COLOURS = {-3: "#a4370d", -2: "#d88a2d", 0: "#0b6e4f", 2: "#d88a2d", 3: "#a4370d"}
POINT_COLOUR = "#1d2430"
LABEL_GAP = 9


@dataclass(frozen=True)
class Point:
    age_days: int
    value: float
    z: float | None
    reference: str


@dataclass
class Chart:
    indicator: str
    title: str
    svg: SafeString
    summary: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # the labels of the references drawn

    @property
    def dom_id(self) -> str:
        return f"chart-{self.indicator}"


def age_words(age_days: int) -> str:
    """ "4 years 2 months", "11 months": a child's age as parents say it."""
    months_total = int(age_days // MONTH_DAYS)
    years, months = divmod(months_total, 12)
    if not years:
        return ngettext("%(months)s month", "%(months)s months", months) % {"months": months}
    year_text = ngettext("%(years)s year", "%(years)s years", years) % {"years": years}
    if not months:
        return year_text
    month_text = ngettext("%(months)s month", "%(months)s months", months) % {"months": months}
    return _("%(years)s %(months)s") % {"years": year_text, "months": month_text}


def position_words(z: float | None) -> str:
    """Where a point lies among the lines, in plain words."""
    if z is None:
        return _("no comparison with WHO's lines at this age")
    if z < -2:
        return _("below the −2 line: the nurse follows this with the family")
    if z > 2:
        return _("above the +2 line: the nurse follows this with the family")
    if abs(z) <= 1:
        return _("on the line of healthy children")
    if z < 0:
        return _("below the middle line, between the lines of most healthy children")
    return _("above the middle line, between the lines of most healthy children")


def _number(value: float) -> str:
    """One decimal at most, with the reader's decimal mark ("15,1" in Vietnamese)."""
    rounded = round(value, 1)
    text = number_format(abs(rounded), 0 if rounded == int(rounded) else 1)
    return ("−" if rounded < 0 else "") + text


def _value_words(indicator: str, value: float) -> str:
    return f"{_number(value)} {UNITS[indicator]}"


def _range_months(indicator: str, points: list[Point]) -> tuple[int, int]:
    """The ages drawn: the child's points with a margin, on whole quarters, within the reference."""
    first = min(p.age_days for p in points) / MONTH_DAYS
    last = max(p.age_days for p in points) / MONTH_DAYS
    low = max(0, int(math.floor((first - MARGIN_MONTHS) / 3) * 3))
    high = int(math.ceil((last + MARGIN_MONTHS) / 3) * 3)
    if max(p.age_days for p in points) <= WHO_2006_LAST_DAY:
        high = min(high, BOUNDARY_MONTHS)  # one reference only: do not draw the other for nothing
    high = min(high, LAST_MONTHS[indicator])
    if high - low < MIN_SPAN_MONTHS:
        if high == LAST_MONTHS[indicator] or (high == BOUNDARY_MONTHS and last * MONTH_DAYS <= WHO_2006_LAST_DAY):
            low = max(0, high - MIN_SPAN_MONTHS)
        else:
            high = low + MIN_SPAN_MONTHS
    return low, high


def _step_months(span: int) -> int:
    return 1 if span <= 18 else 2 if span <= 48 else 3


@lru_cache(maxsize=256)
def _curves(indicator: str, sex: str, low: int, high: int) -> tuple[tuple[tuple[tuple[float, float], ...], ...], ...]:
    """The SD lines between these ages (months), each in one or two pieces split at the references' boundary.

    Returns, for each SD of CHART_SDS, a tuple of pieces, each a tuple of (days, value).
    """
    step = _step_months(high - low) * MONTH_DAYS
    low_days, high_days = round(low * MONTH_DAYS), round(high * MONTH_DAYS)
    spans = []
    if low_days <= WHO_2006_LAST_DAY:
        spans.append((low_days, min(high_days, WHO_2006_LAST_DAY)))
    if high_days > WHO_2006_LAST_DAY:
        spans.append((max(low_days, WHO_2006_LAST_DAY + 1), high_days))
    pieces: dict[int, list[tuple]] = {sd: [] for sd in CHART_SDS}
    for start, end in spans:
        ages = [start + index * step for index in range(int((end - start) // step) + 1)]
        if ages[-1] < end:
            ages.append(end)
        lines: dict[int, list[tuple[float, float]]] = {sd: [] for sd in CHART_SDS}
        for days in ages:
            for sd, values in _curve_at(indicator, sex, days).items():
                lines[sd].extend(values)
        for sd in CHART_SDS:
            if lines[sd]:
                pieces[sd].append(tuple((round(d), v) for d, v in lines[sd]))
    return tuple(tuple(pieces[sd]) for sd in CHART_SDS)


def _curve_at(indicator: str, sex: str, days: float) -> dict[int, list[tuple[float, float]]]:
    """The lines' values at one age. rcpchgrowth's tables leave a gap of a day or two where the
    under-2 length table hands over to the height table: an age in it is moved to the next day."""
    for nudge in (0, 1, 2, -1):
        try:
            return reference_curve(indicator=indicator, sex=sex, from_days=days + nudge, to_days=days + nudge)
        except ValueError:
            continue
    return {}


def _nice_step(span: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 50):
        if span / step <= 6:
            return step
    return 100


def _axis_label(months: int, span: int) -> str:
    if months < 12 or (span <= 24 and months < 24):
        return _("%(months)s mo") % {"months": months}
    years, rest = divmod(months, 12)
    if rest:
        return _("%(years)sy%(months)sm") % {"years": years, "months": rest}
    return _("%(years)sy") % {"years": years}


def chart_render(*, indicator: str, sex: str, points: list[Point]) -> Chart | None:
    """One chart for these points (measurements with a value and a reference for this indicator)."""
    points = [p for p in points if p.reference != Reference.NONE and p.age_days <= LAST_MONTHS[indicator] * MONTH_DAYS]
    if not points:
        return None
    low, high = _range_months(indicator, points)
    curves = _curves(indicator, sex, low, high)
    values = [v for pieces in curves for piece in pieces for _days, v in piece] + [p.value for p in points]
    step = _nice_step(max(values) - min(values))
    y_low = math.floor(min(values) / step) * step
    y_high = math.ceil(max(values) / step) * step
    if y_high == y_low:
        y_high = y_low + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(days: float) -> float:
        return round(LEFT + (days / MONTH_DAYS - low) / (high - low) * plot_w, 1)

    def y(value: float) -> float:
        return round(TOP + (y_high - value) / (y_high - y_low) * plot_h, 1)

    title = str(CHART_TITLES[indicator])
    unit = UNITS[indicator]
    drawn_refs = []
    if low * MONTH_DAYS <= WHO_2006_LAST_DAY:
        drawn_refs.append(str(Reference.WHO_2006.label))
    if high * MONTH_DAYS > WHO_2006_LAST_DAY:
        drawn_refs.append(str(Reference.WHO_2007.label))
    summary = [
        _("At %(age)s, %(value)s: %(where)s.")
        % {"age": age_words(p.age_days), "value": _value_words(indicator, p.value), "where": position_words(p.z)}
        for p in points
    ]
    desc = ngettext(
        "WHO's lines for −3, −2, 0 (the middle), +2 and +3 standard deviations from %(low)s to %(high)s, "
        "and %(count)s measurement of the child.",
        "WHO's lines for −3, −2, 0 (the middle), +2 and +3 standard deviations from %(low)s to %(high)s, "
        "and %(count)s measurements of the child.",
        len(points),
    ) % {"low": age_words(round(low * MONTH_DAYS)), "high": age_words(round(high * MONTH_DAYS)), "count": len(points)}

    out = [
        f'<svg class="growth-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{indicator}-t {indicator}-d" xmlns="http://www.w3.org/2000/svg" font-size="10">',
        f'<title id="{indicator}-t">{escape(title)}</title><desc id="{indicator}-d">{escape(desc)}</desc>',
    ]
    # Grid and axes.
    grid = []
    value = y_low
    while value <= y_high + 1e-9:
        yy = y(value)
        grid.append(f'<line x1="{LEFT}" y1="{yy}" x2="{WIDTH - RIGHT}" y2="{yy}"/>')
        out.append(f'<text x="{LEFT - 3}" y="{yy + 3}" text-anchor="end" fill="#5b6575">{_number(value)}</text>')
        value += step
    span = high - low
    tick = 3 if span <= 18 else 6 if span <= 36 else 12
    month = int(math.ceil(low / tick) * tick)
    while month <= high:
        xx = x(month * MONTH_DAYS)
        grid.append(f'<line x1="{xx}" y1="{TOP}" x2="{xx}" y2="{HEIGHT - BOTTOM}"/>')
        out.append(
            f'<text x="{xx}" y="{HEIGHT - BOTTOM + 12}" text-anchor="middle" fill="#5b6575">'
            f"{escape(_axis_label(month, span))}</text>"
        )
        month += tick
    out.insert(2, '<g stroke="#d9dee6" stroke-width="1">' + "".join(grid) + "</g>")
    out.append(
        f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 4}" text-anchor="middle" fill="#5b6575">'
        f"{escape(_('Age'))}</text>"
        f'<text x="4" y="{TOP + 2}" fill="#5b6575" dominant-baseline="hanging" '
        f'transform="rotate(-90 4 {TOP + 2})" text-anchor="end">{escape(unit)}</text>'
    )
    # The references' boundary, when drawn.
    if len(drawn_refs) == 2:
        bx = x(BOUNDARY_MONTHS * MONTH_DAYS + 0.5)
        out.append(
            f'<g class="boundary"><line x1="{bx}" y1="{TOP}" x2="{bx}" y2="{HEIGHT - BOTTOM}" stroke="#5b6575" '
            f'stroke-dasharray="4 3"/>'
            f'<text x="{bx - 3}" y="{TOP + 10}" text-anchor="end" fill="#5b6575">WHO 2006</text>'
            f'<text x="{bx + 3}" y="{TOP + 10}" fill="#5b6575">WHO 2007</text></g>'
        )
    # WHO's lines.
    ends = []
    for sd, pieces in zip(CHART_SDS, curves, strict=True):
        width = 2 if sd == 0 else 1.2
        dash = ' stroke-dasharray="5 3"' if abs(sd) == 3 else ""
        for piece in pieces:
            path = " ".join(f"{x(d)},{y(v)}" for d, v in piece)
            out.append(
                f'<polyline class="sd sd{sd:+d}" points="{path}" fill="none" stroke="{SD_COLOURS[sd]}" '
                f'stroke-width="{width}"{dash}/>'
            )
        if pieces:
            last_d, last_v = pieces[-1][-1]
            ends.append((sd, x(last_d) + 3, y(last_v) + 3))
    # The lines' names at their right ends, kept apart when the lines come close.
    placed: list[float] = []
    for sd, lx, ly in sorted(ends, key=lambda end: -end[2]):
        ly = min(ly, placed[-1] - LABEL_GAP) if placed else ly
        placed.append(ly)
        label = "0" if sd == 0 else f"{sd:+d}".replace("-", "−")
        out.append(f'<text x="{lx}" y="{round(ly, 1)}" fill="{SD_COLOURS[sd]}">{label}</text>')
    # The child's points.
    ordered = sorted(points, key=lambda p: p.age_days)
    if len(ordered) > 1:
        path = " ".join(f"{x(p.age_days)},{y(p.value)}" for p in ordered)
        out.append(f'<polyline points="{path}" fill="none" stroke="{POINT_COLOUR}" stroke-width="1.5"/>')
    for p, text in zip(points, summary, strict=True):
        out.append(
            f'<circle class="point" cx="{x(p.age_days)}" cy="{y(p.value)}" r="4" fill="{POINT_COLOUR}" '
            f'stroke="#fff" stroke-width="1.5"><title>{escape(text)}</title></circle>'
        )
    out.append("</svg>")
    return Chart(indicator=indicator, title=title, svg=mark_safe("".join(out)), summary=summary, references=drawn_refs)  # noqa: S308 (every text is escaped above)


def child_charts(child, measurements) -> list[Chart]:
    """The charts of a child's measurements (in any order): weight, height and BMI for age."""
    charts = []
    for indicator in ("wfa", "hfa", "bmi"):
        points = []
        for m in measurements:
            value = getattr(m, MEASUREMENT_VALUE[indicator])
            if value is None:
                continue
            points.append(
                Point(
                    age_days=m.age_days,
                    value=round(float(value), 2),
                    z=getattr(m, MEASUREMENT_Z[indicator]),
                    reference=m.reference,
                )
            )
        chart = chart_render(indicator=indicator, sex=child.sex, points=points)
        if chart is not None:
            charts.append(chart)
    return charts
