"""The authorities' dashboards: figures across their schools, built at night, read in a few rows.

Building: for one province and one school year, every school-level figure (group "") of every month is
put in one table per metric, rows province > communes > schools and columns year > terms > months, and
protected with one suppression pattern (`coordination.lib.disclosure.protect`). Its cells are stored as
`AreaFigure` rows, so a commune's view, the province's, a month and a term all show cells of that one
pattern: nothing hidden in one can be worked out by putting it beside another.

Reading: a dashboard asks for one authority and one period: two queries whatever the number of schools.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from coordination.lib import disclosure, fragments
from reports import periods
from reports.building import figures_build, months_to_build
from reports.models import AreaFigure, Figure
from reports.sections import Section, sections
from schools.models import Authority, School

# The generation of the authorities' dashboards' heads (coordination/lib/fragments.py): renewed by each
# build and by any change of an authority (reports/hooks.py).
AREA_TOPIC = "reports.area"

logger = logging.getLogger(__name__)

PROVINCE, COMMUNE, SCHOOL = AreaFigure.Row.PROVINCE, AreaFigure.Row.COMMUNE, AreaFigure.Row.SCHOOL

# --- Building ---------------------------------------------------------------------------------------


def _columns(year: periods.Period, data_months: set[datetime.date], kind: str):
    """The columns of one metric's table and how they add up: a count's term is the sum of its months, a
    stock's term is its last month with figures (the state at its end), and its year the last such term."""
    terms = periods.children_of(year)
    children: dict[str, list[str]] = {}
    for term in terms:
        months = term.months()
        if kind == "stock":
            filled = [month for month in months if month in data_months]
            children[term.key] = [periods.month_of(filled[-1]).key] if filled else []
        else:
            children[term.key] = [periods.month_of(month).key for month in months]
    if kind == "stock":
        filled_terms = [term.key for term in terms if children[term.key]]
        children[year.key] = filled_terms[-1:]
    else:
        children[year.key] = [term.key for term in terms]
    columns = [year.key, *(term.key for term in terms), *(periods.month_of(m).key for m in year.months())]
    return columns, children


def _metric_table(
    *,
    by_school_month: dict[tuple[int, str], int],
    communes: dict[int, list[int]],
    province_id: int,
    year: periods.Period,
    kind: str,
):
    """One metric's values over the whole hierarchy, and the equations its views publish."""
    data_months = {periods.parse(month).start for _school, month in by_school_month}
    columns, column_children = _columns(year, data_months, kind)
    province = (PROVINCE, province_id)
    rows = [province, *((COMMUNE, c) for c in communes), *((SCHOOL, s) for ids in communes.values() for s in ids)]
    row_children = {province: [(COMMUNE, c) for c in communes]}
    row_children.update({(COMMUNE, c): [(SCHOOL, s) for s in ids] for c, ids in communes.items()})
    values: dict[tuple, int] = {}
    month_keys = [periods.month_of(m).key for m in year.months()]
    for commune_id, school_ids in communes.items():
        for month in month_keys:
            total = 0
            for school_id in school_ids:
                value = by_school_month.get((school_id, month), 0)
                values[((SCHOOL, school_id), month)] = value
                total += value
            values[((COMMUNE, commune_id), month)] = total
    for month in month_keys:
        values[(province, month)] = sum(values[((COMMUNE, c), month)] for c in communes)
    # Terms, then the year, from the columns they are made of.
    for parent in [*(key for key in column_children if key != year.key), year.key]:
        for row in rows:
            values[(row, parent)] = sum(values[(row, child)] for child in column_children[parent])
    equations = disclosure.hierarchy_equations(
        rows=rows, columns=columns, row_children=row_children, column_children=column_children
    )
    return values, equations


def _periods_with_data(year: periods.Period, data_months: set[datetime.date]) -> set[str]:
    found = {periods.month_of(month).key for month in data_months}
    for term in periods.children_of(year):
        if any(month in data_months for month in term.months()):
            found.add(term.key)
    if data_months:
        found.add(year.key)
    return found


def area_build(*, province: Authority, year_start: int) -> int:
    """Rebuilds a province's published figures for one school year, in one transaction; rows written."""
    year = periods.year_period(year_start)
    communes: dict[int, list[int]] = defaultdict(list)
    schools = School.objects.filter(authority__province=province).order_by("authority__name", "name")
    for school_id, commune_id in schools.values_list("pk", "authority_id"):
        communes[commune_id].append(school_id)
    school_commune = {s: c for c, ids in communes.items() for s in ids}
    kinds = {(section.key, metric.key): metric.kind for section in sections() for metric in section.metrics}
    by_metric: dict[tuple[str, str], dict[tuple[int, str], int]] = defaultdict(dict)
    data_months: set[datetime.date] = set()
    for school_id, month, section, metric, value in Figure.objects.filter(
        school_id__in=list(school_commune), group="", month__range=(year.start, year.end)
    ).values_list("school_id", "month", "section", "metric", "value"):
        if (section, metric) in kinds:
            by_metric[(section, metric)][(school_id, f"{month:%Y-%m}")] = value
            data_months.add(month)
    published = _periods_with_data(year, data_months)
    now = timezone.now()
    rows = []
    for (section, metric), by_school_month in by_metric.items():
        kind = kinds[(section, metric)]
        values, equations = _metric_table(
            by_school_month=by_school_month, communes=communes, province_id=province.pk, year=year, kind=kind
        )
        pattern = disclosure.protect(values, equations, suppress=kind != "money")
        for ((row_kind, row_id), period), value in values.items():
            if period not in published:
                continue
            hidden = pattern.is_hidden(((row_kind, row_id), period))
            if not value and not hidden and row_kind == SCHOOL:
                continue  # shown as 0; communes and the province are always stored, so a view has rows
            commune_id = {COMMUNE: row_id, SCHOOL: school_commune.get(row_id)}.get(row_kind)
            rows.append(
                AreaFigure(
                    province=province,
                    commune_id=commune_id,
                    school_id=row_id if row_kind == SCHOOL else None,
                    period=period,
                    row_kind=row_kind,
                    section=section,
                    metric=metric,
                    value=value,
                    shown=str(pattern.shown(((row_kind, row_id), period))) if hidden else "",
                    computed_at=now,
                )
            )
    all_keys = [year.key, *(term.key for term in periods.children_of(year))]
    all_keys += [periods.month_of(month).key for month in year.months()]
    with transaction.atomic():
        AreaFigure.objects.filter(province=province, period__in=all_keys).delete()
        AreaFigure.objects.bulk_create(rows, batch_size=2000)
        fragments.topic_changed(AREA_TOPIC)  # the dashboards kept whole (reports/views_area.py)
    return len(rows)


def areas_build(*, year_starts: list[int]) -> int:
    """Every province's published figures for these school years.

    A province that fails is logged and keeps yesterday's figures, never the other provinces."""
    written = 0
    for province in Authority.objects.filter(level=Authority.Level.PROVINCE).order_by("pk"):
        for year_start in year_starts:
            try:
                written += area_build(province=province, year_start=year_start)
            except Exception:
                logger.exception("authority figures failed for %s, %s", province.slug, year_start)
    return written


def nightly_build(*, today: datetime.date) -> tuple[int, int]:
    """The night's work: the apps' figures of the months still moving, then the authorities' tables."""
    months = months_to_build(today=today)
    figures = figures_build(months=months)
    published = areas_build(year_starts=sorted({periods.year_start_of(month) for month in months}))
    return figures, published


# --- Reading ----------------------------------------------------------------------------------------


@dataclass
class Row:
    kind: str
    label: str
    slug: str = ""  # a commune's, for the link to its own view
    cells: list[Any] = field(default_factory=list)  # per metric: an int, "< 5" or "x"
    rates: list[str] = field(default_factory=list)  # per rate: "47 %", "x" or "–"


@dataclass
class Bar:
    label: str
    shown: Any
    width: int


@dataclass
class SectionTable:
    section: Section
    rows: list[Row]
    bars: list[Bar]
    chart_metric: Any

    @property
    def chart_height(self) -> int:
        return 10 * len(self.bars)


@dataclass
class Dashboard:
    authority: Authority
    period: periods.Period
    tables: list[SectionTable]
    computed_at: datetime.datetime | None
    # A large province's view: its communes' rows only (PROVINCE_SCHOOL_ROWS_MAX); how many schools it has.
    schools_folded: int = 0

    @property
    def has_data(self) -> bool:
        return self.computed_at is not None


def _rate(numerator, denominator) -> str:
    if isinstance(numerator, str) or isinstance(denominator, str):
        return disclosure.HIDDEN
    if not denominator:
        return "–"
    return f"{round(100 * numerator / denominator)} %"


CHART_WIDTH = 300
# A province with more schools than this lists its communes only, each linking to its own view with its
# schools: 5,000 school rows would make a page of 740 KB for an officer's phone.
PROVINCE_SCHOOL_ROWS_MAX = 300


def _scope(authority: Authority) -> dict | None:
    """Which published rows an authority's views read: a province's all, a commune's its own and its schools'."""
    if authority.is_province:
        return {"province_id": authority.pk}
    if authority.province_id is None:
        return None  # a commune still to be placed in a province has no table yet
    return {"commune": authority}


def area_authority_built(*, slug: str, period: periods.Period) -> tuple[Authority | None, datetime.datetime | None]:
    """The authority with this address, and when its figures for the period were built (None: there are
    none), in one query. Who may see it is for the caller to check."""
    authority = _authority_built(slug, period)
    if authority is None:
        return None, None
    if not authority.is_province and authority.province_id is None:
        return authority, None  # a commune still to be placed in a province has no table yet
    built = authority.built
    if isinstance(built, str):  # SQLite gives a raw query's extra column as the text it stores (UTC)
        built = parse_datetime(built)
        if built is not None and timezone.is_naive(built):
            built = timezone.make_aware(built, datetime.UTC)
    return authority, built


def _authority_built(slug: str, period: periods.Period) -> Authority | None:
    """The authority with this address, with `built`: when its figures for the period were built."""
    # One short query in SQL: the ORM's CASE of two subqueries took longer to build than to run. CASE runs
    # only the subquery the authority's level needs, each one step down an index (the province's, asked for
    # a commune, would scan the whole table for rows that are not there).
    sql = (
        "SELECT a.*, CASE WHEN a.level = %s"
        " THEN (SELECT f.computed_at FROM reports_areafigure f"
        " WHERE f.province_id = a.id AND f.row_kind = %s AND f.period = %s LIMIT 1)"
        " ELSE (SELECT f.computed_at FROM reports_areafigure f WHERE f.commune_id = a.id AND f.period = %s LIMIT 1)"
        " END AS built FROM schools_authority a WHERE a.slug = %s"
    )
    params = [Authority.Level.PROVINCE, AreaFigure.Row.PROVINCE, period.key, period.key, slug]
    return next(iter(Authority.objects.raw(sql, params)), None)


def area_dashboard(*, authority: Authority, period: periods.Period) -> Dashboard:
    """What an officer of this authority sees for one period: two queries, whatever the number of schools."""
    scope = _scope(authority)
    if scope is None:
        return Dashboard(authority=authority, period=period, tables=[], computed_at=None)
    province_id = authority.pk if authority.is_province else authority.province_id
    under = {"authority__province": authority} if authority.is_province else {"authority": authority}
    schools = list(
        School.objects.filter(**under)
        .select_related("authority")
        .order_by("authority__name", "name")
        .only("pk", "name", "authority__name", "authority__slug")
    )
    fold = authority.is_province and len(schools) > PROVINCE_SCHOOL_ROWS_MAX
    published = AreaFigure.objects.filter(period=period.key, **scope)
    if fold:
        published = published.exclude(row_kind=SCHOOL)
    stored = list(
        published.values_list(
            "row_kind", "commune_id", "school_id", "section", "metric", "value", "shown", "computed_at"
        )
    )
    if not stored:
        return Dashboard(authority=authority, period=period, tables=[], computed_at=None)
    cells: dict[tuple, Any] = {}
    for row_kind, commune_id, school_id, section, metric, value, shown, _at in stored:
        row_id = school_id if row_kind == SCHOOL else commune_id if row_kind == COMMUNE else province_id
        cells[(row_kind, row_id, section, metric)] = shown or value
    computed_at = max(at for *_rest, at in stored)
    # The rows in order: for a province, each commune's schools and then the commune; the total last.
    layout: list[tuple[str, int, str, str]] = []
    by_commune: dict[int, list[School]] = defaultdict(list)
    for school in schools:
        by_commune[school.authority_id].append(school)
    for commune_id, members in by_commune.items():
        if not fold:
            layout.extend((SCHOOL, school.pk, school.name, "") for school in members)
        if authority.is_province:
            commune = members[0].authority
            layout.append((COMMUNE, commune_id, commune.name, commune.slug))
    if authority.is_province:
        layout.append((PROVINCE, province_id, authority.name, ""))
    else:
        layout.append((COMMUNE, authority.pk, authority.name, ""))
    present = {section for _k, _c, _s, section, *_rest in stored}
    tables = []
    for section in sections():
        if section.key not in present:
            continue
        rows = []
        for row_kind, row_id, label, slug in layout:
            values = [cells.get((row_kind, row_id, section.key, metric.key), 0) for metric in section.metrics]
            by_key = dict(zip((metric.key for metric in section.metrics), values, strict=True))
            rates = [_rate(by_key[rate.numerator], by_key[rate.denominator]) for rate in section.rates]
            rows.append(Row(kind=row_kind, label=label, slug=slug, cells=values, rates=rates))
        charted = [row for row in rows if row.kind == (COMMUNE if authority.is_province else SCHOOL)]
        numbers = [row.cells[0] for row in charted if isinstance(row.cells[0], int)]
        top = max(numbers, default=0) or 1
        bars = [
            Bar(
                label=row.label,
                shown=row.cells[0],
                width=round(CHART_WIDTH * row.cells[0] / top) if isinstance(row.cells[0], int) else 0,
            )
            for row in charted
        ]
        tables.append(SectionTable(section=section, rows=rows, bars=bars, chart_metric=section.metrics[0].label))
    return Dashboard(
        authority=authority,
        period=period,
        tables=tables,
        computed_at=computed_at,
        schools_folded=len(schools) if fold else 0,
    )


def period_choices(period: periods.Period) -> list[periods.Period]:
    """The periods one can choose next to this one: its school year, its terms and its months."""
    year = periods.year_period(period.year_start)
    found = [year]
    for term in periods.children_of(year):
        found.append(term)
        found.extend(periods.children_of(term))
    return found
