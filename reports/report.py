"""A school's report for one period, made from the monthly summary figures (`reports.models.Figure`).

Plain data and pure functions: `report_build` turns the period's figure rows into sections, their metrics,
rates and per-group tables; `report_to_snapshot` and `report_from_snapshot` keep a report as JSON (what a
school submits) and read it back; `report_protected` gives what an officer outside the school may read,
every count going through `coordination.lib.disclosure`. Nothing here reads the database.

How a period adds up its months: a "count" or "money" metric is the sum of the months, a "stock" metric
is its value in the last month that has one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from coordination.lib import disclosure
from coordination.lib.money import format_vnd
from reports import periods
from reports.sections import Section

SNAPSHOT_VERSION = 1


@dataclass
class MetricLine:
    key: str
    label: str
    kind: str
    value: int | None  # None: no figure in the period
    shown: str = ""


@dataclass
class TrendPoint:
    month: datetime.date
    percent: float | None


@dataclass
class RateLine:
    key: str
    label: str
    numerator: str
    denominator: str
    percent: float | None  # None: nothing to divide by (or, outside the school, too few to show)
    target: tuple[int, int] | None = None
    trend: list[TrendPoint] = field(default_factory=list)
    shown: str = ""

    @property
    def band(self) -> str:
        """ "below", "within" or "above" the target band; "" without a target or a rate."""
        if self.target is None or self.percent is None:
            return ""
        low, high = self.target
        if self.percent < low:
            return "below"
        return "above" if self.percent > high else "within"

    @property
    def target_shown(self) -> str:
        if self.target is None:
            return ""
        return _("%(low)s–%(high)s %%") % {"low": self.target[0], "high": self.target[1]}

    @property
    def band_shown(self) -> str:
        return {
            "below": _("below the target"),
            "within": _("within the target"),
            "above": _("above the target"),
        }.get(self.band, "")


@dataclass
class Column:
    key: str
    label: str
    kind: str  # a metric's kind, or "rate"


@dataclass
class GroupRow:
    label: str
    values: list[int | float | None]
    shown: list[str] = field(default_factory=list)


@dataclass
class GroupTable:
    heading: str  # what a group is (a class, a campaign)
    columns: list[Column]
    rows: list[GroupRow]


@dataclass
class SectionReport:
    key: str
    title: str
    metrics: list[MetricLine]
    rates: list[RateLine]
    groups: GroupTable | None
    charts: list = field(default_factory=list)  # drawn by the page, not kept in a snapshot

    @property
    def has_data(self) -> bool:
        return any(metric.value is not None for metric in self.metrics) or bool(self.groups and self.groups.rows)


@dataclass
class SchoolReport:
    school_name: str
    period: periods.Period
    sections: list[SectionReport]
    computed_at: datetime.datetime | None  # the oldest figure's: how fresh the report is
    protected: bool = False  # counts of 1 to 4 hidden: what an officer reads

    @property
    def has_data(self) -> bool:
        return any(section.has_data for section in self.sections)

    @property
    def months(self) -> list[datetime.date]:
        return self.period.months()


# --- Shown values


def count_shown(value: int | str | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return number_format(value, force_grouping=True)


def value_shown(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "money" and not isinstance(value, str):
        return format_vnd(value)
    if kind == "rate":
        return percent_shown(value)
    return count_shown(value)


def percent_shown(percent: float | str | None) -> str:
    if percent is None:
        return "–"
    if isinstance(percent, str):
        return percent
    return _("%(percent)s %%") % {"percent": number_format(round(percent), force_grouping=True)}


def _percent(numerator: int | None, denominator: int | None) -> float | None:
    if not denominator or numerator is None:
        return None
    return round(100 * numerator / denominator, 1)


# --- Building from figures


def _period_value(kind: str, by_month: dict[datetime.date, int]) -> int | None:
    if not by_month:
        return None
    if kind == "stock":
        return by_month[max(by_month)]
    return sum(by_month.values())


def _section_build(section: Section, rows: dict, months: list[datetime.date]) -> SectionReport:
    """`rows`: (group, metric) -> {month: value} for this section."""
    whole = {metric.key: _period_value(metric.kind, rows.get(("", metric.key), {})) for metric in section.metrics}
    metrics = [
        MetricLine(key=metric.key, label=str(metric.label), kind=metric.kind, value=whole[metric.key])
        for metric in section.metrics
    ]
    rates = []
    for rate in section.rates:
        numerators, denominators = rows.get(("", rate.numerator), {}), rows.get(("", rate.denominator), {})
        trend = [TrendPoint(month, _percent(numerators.get(month), denominators.get(month))) for month in months]
        rates.append(
            RateLine(
                key=rate.key,
                label=str(rate.label),
                numerator=rate.numerator,
                denominator=rate.denominator,
                percent=_percent(whole[rate.numerator], whole[rate.denominator]),
                target=rate.target,
                trend=trend,
            )
        )
    group_labels = sorted({group for group, _key in rows if group})
    groups = None
    if group_labels:
        used = {key for group, key in rows if group}
        columns = [Column(m.key, str(m.label), m.kind) for m in section.metrics if m.key in used]
        rate_columns = [r for r in section.rates if r.numerator in used and r.denominator in used]
        columns += [Column(r.key, str(r.label), "rate") for r in rate_columns]
        table_rows = []
        for label in group_labels:
            values = {m.key: _period_value(m.kind, rows.get((label, m.key), {})) for m in section.metrics}
            cells: list[int | float | None] = [values[column.key] for column in columns if column.kind != "rate"]
            cells += [_percent(values[r.numerator], values[r.denominator]) for r in rate_columns]
            table_rows.append(GroupRow(label=label, values=cells))
        groups = GroupTable(heading=str(section.breakdown or _("Group")), columns=columns, rows=table_rows)
    return SectionReport(key=section.key, title=str(section.title), metrics=metrics, rates=rates, groups=groups)


def report_build(*, school_name: str, period: periods.Period, section_list: list[Section], figure_rows) -> SchoolReport:
    """The report of one school for one period: `figure_rows` are (section, metric, group, month, value,
    computed_at) of that school and the period's months."""
    months = period.months()
    by_section: dict[str, dict] = defaultdict(lambda: defaultdict(dict))
    oldest = None
    for section_key, metric, group, month, value, computed_at in figure_rows:
        by_section[section_key][(group, metric)][month] = value
        if oldest is None or computed_at < oldest:
            oldest = computed_at
    sections = [_section_build(section, by_section.get(section.key, {}), months) for section in section_list]
    report = SchoolReport(school_name=school_name, period=period, sections=sections, computed_at=oldest)
    _fill_shown(report)
    return report


def _fill_shown(report: SchoolReport) -> None:
    for section in report.sections:
        for metric in section.metrics:
            metric.shown = value_shown(metric.value, metric.kind)
        for rate in section.rates:
            rate.shown = percent_shown(rate.percent)
        if section.groups:
            kinds = [column.kind for column in section.groups.columns]
            for row in section.groups.rows:
                row.shown = [value_shown(value, kind) for value, kind in zip(row.values, kinds, strict=True)]


# --- Snapshots: a report kept as it was submitted


def report_to_snapshot(report: SchoolReport) -> dict:
    """The report as plain JSON (labels in the submitter's language; keys to translate them again)."""
    return {
        "version": SNAPSHOT_VERSION,
        "school": report.school_name,
        "period": report.period.key,
        "computed_at": report.computed_at.isoformat() if report.computed_at else None,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "metrics": [
                    {"key": m.key, "label": m.label, "kind": m.kind, "value": m.value} for m in section.metrics
                ],
                "rates": [
                    {
                        "key": r.key,
                        "label": r.label,
                        "numerator": r.numerator,
                        "denominator": r.denominator,
                        "percent": r.percent,
                        "target": list(r.target) if r.target else None,
                        "trend": [[f"{point.month:%Y-%m}", point.percent] for point in r.trend],
                    }
                    for r in section.rates
                ],
                "groups": (
                    {
                        "heading": section.groups.heading,
                        "columns": [[c.key, c.label, c.kind] for c in section.groups.columns],
                        "rows": [[row.label, row.values] for row in section.groups.rows],
                    }
                    if section.groups
                    else None
                ),
            }
            for section in report.sections
            if section.has_data
        ],
    }


def _labels_now(section_list: list[Section]) -> dict:
    """Labels in the reader's language, for the sections still installed."""
    labels = {}
    for section in section_list:
        labels[(section.key, "")] = str(section.title)
        labels[(section.key, "breakdown")] = str(section.breakdown) if section.breakdown else ""
        for metric in section.metrics:
            labels[(section.key, metric.key)] = str(metric.label)
        for rate in section.rates:
            labels[(section.key, rate.key)] = str(rate.label)
    return labels


def report_from_snapshot(snapshot: dict, *, section_list: list[Section] = ()) -> SchoolReport:
    """A submitted report read back, its labels in the reader's language where the section still exists."""
    labels = _labels_now(list(section_list))
    computed_at = snapshot.get("computed_at")
    sections = []
    for item in snapshot.get("sections", []):
        key = item["key"]
        metrics = [
            MetricLine(m["key"], labels.get((key, m["key"]), m["label"]), m["kind"], m["value"])
            for m in item["metrics"]
        ]
        rates = [
            RateLine(
                key=r["key"],
                label=labels.get((key, r["key"]), r["label"]),
                numerator=r["numerator"],
                denominator=r["denominator"],
                percent=r["percent"],
                target=tuple(r["target"]) if r.get("target") else None,
                trend=[TrendPoint(datetime.date.fromisoformat(f"{month}-01"), p) for month, p in r.get("trend", [])],
            )
            for r in item["rates"]
        ]
        groups = None
        if item.get("groups"):
            data = item["groups"]
            groups = GroupTable(
                heading=labels.get((key, "breakdown")) or data["heading"],
                columns=[Column(c, labels.get((key, c), label), kind) for c, label, kind in data["columns"]],
                rows=[GroupRow(label=label, values=list(values)) for label, values in data["rows"]],
            )
        sections.append(
            SectionReport(
                key=key, title=labels.get((key, ""), item["title"]), metrics=metrics, rates=rates, groups=groups
            )
        )
    report = SchoolReport(
        school_name=snapshot.get("school", ""),
        period=periods.parse(snapshot["period"]),
        sections=sections,
        computed_at=datetime.datetime.fromisoformat(computed_at) if computed_at else None,
    )
    _fill_shown(report)
    return report


# --- What an officer outside the school reads


def _small_count(value, kind: str):
    """Counts of children or families (a count or a stock) of 1 to 4 are hidden; money never is."""
    if value is None or kind == "money" or isinstance(value, str):
        return value
    return disclosure.small(value)


def _rate_protected(rate: RateLine, metrics: dict[str, MetricLine]) -> None:
    """A rate of small counts would give them away (2 of 40 is 5 %): hidden when either side is 1 to 4."""
    numerator, denominator = metrics.get(rate.numerator), metrics.get(rate.denominator)
    hidden = any(
        line is not None
        and line.value is not None
        and (isinstance(line.value, str) or 0 < line.value < disclosure.THRESHOLD)
        for line in (numerator, denominator)
    )
    if hidden:
        rate.percent = None
        rate.shown = disclosure.HIDDEN
    # The month-by-month trend rests on month counts the snapshot does not keep: not shown outside.
    rate.trend = []


def report_protected(report: SchoolReport, *, hidden_outside: set[tuple[str, str]] = frozenset()) -> SchoolReport:
    """The same report as an officer outside the school may read it (changed in place and returned).

    `hidden_outside`: the (section, metric) pairs the authorities' dashboard hides for this school and period;
    they are hidden here too ("x"), with every group's value of them, which would add up to the school's.
    The hidden values are dropped, not only their text: what is drawn or exported from the protected
    report cannot give them away."""
    for section in report.sections:
        by_key = {metric.key: metric for metric in section.metrics}
        hidden = {metric for key, metric in hidden_outside if key == section.key}
        for metric in section.metrics:
            if metric.key in hidden and metric.kind != "money" and metric.value is not None:
                metric.value = disclosure.HIDDEN
        for rate in section.rates:
            _rate_protected(rate, by_key)
        for metric in section.metrics:
            metric.value = _small_count(metric.value, metric.kind)
            metric.shown = value_shown(metric.value, metric.kind)
        if section.groups and section.groups.rows:
            _groups_protected(section.groups, hidden=hidden)
    report.protected = True
    return report


def _groups_protected(table: GroupTable, *, hidden: set[str] = frozenset()) -> None:
    """Per-group counts through `protect_table`; money as it is; a group's rate hidden when one of its counts
    is; the whole column of a figure the dashboard hides for the school (`hidden`)."""
    columns = table.columns
    counted = [i for i, column in enumerate(columns) if column.kind in ("count", "stock")]
    cells = [[row.values[i] or 0 for i in counted] for row in table.rows]
    # The columns count different things, so only the column totals are published: they are the school's
    # figures shown above (a class's figures need not add up to them: an activity posted to two classes
    # counts in each, but protecting them as if they did is the safe side).
    protected = disclosure.protect_table(cells, rows_add_up=False) if counted else None
    for n, row in enumerate(table.rows):
        values: list = []
        for i, column in enumerate(columns):
            value = row.values[i]
            if value is not None and i in counted:
                value = disclosure.HIDDEN if column.key in hidden else protected.cells[n][counted.index(i)]
            values.append(value)
        # A group's rate is shown only when none of that group's counts is hidden.
        any_hidden = any(isinstance(values[i], str) for i in counted)
        for i, column in enumerate(columns):
            if values[i] is not None and column.kind == "rate" and any_hidden:
                values[i] = disclosure.HIDDEN
        row.values = values
        row.shown = [value_shown(value, column.kind) for value, column in zip(values, columns, strict=True)]


def freshness(computed_at: datetime.datetime | None, *, now: datetime.datetime) -> str:
    """How fresh the figures are, for a report of the current period: "Figures as of 01:30 today"."""
    if computed_at is None:
        return ""
    zone = timezone.get_default_timezone()
    moment, today = timezone.localtime(computed_at, zone), timezone.localtime(now, zone).date()
    time = f"{moment:%H:%M}"
    if moment.date() == today:
        return _("Figures as of %(time)s today") % {"time": time}
    if moment.date() == today - datetime.timedelta(days=1):
        return _("Figures as of %(time)s yesterday") % {"time": time}
    return _("Figures as of %(time)s on %(date)s") % {"time": time, "date": f"{moment:%d/%m/%Y}"}
