"""Nutrition summaries: how many children fall in each classification, at the start, middle and end
of the school year (the figures schools report), for a class, a school or many schools.

Plain functions of the data, with no person and no request: the pages check who may see them
(`health.policies`), and a reports app can call them as they are.

- The school year (`SchoolYear.starts_on..ends_on`) is split into three equal thirds.
- In each third, each child's latest measurement of that third counts, from the levels stored on it
  (`Measurement.*_level`). A child may be in several classifications (underweight and stunted).
- A flagged measurement not yet confirmed counts in no classification: the child is "to confirm".
- A child with no measurement in the third, or none that the references could classify, is "not measured".
- The children counted are the current children of the class (or of the school's classes of that
  year) who have not left the school.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.lib import disclosure
from health.models import Level, Measurement
from schools.models import Child, Classroom, School, SchoolYear

# The classifications, in the order the pages show them, with their words (health.growth.LEVEL_WORDS).
CATEGORIES = (
    ("underweight", _("Underweight (suy dinh dưỡng thể nhẹ cân)")),
    ("underweight_severe", _("Severely underweight (suy dinh dưỡng thể nhẹ cân nặng)")),
    ("stunted", _("Stunted (thấp còi)")),
    ("stunted_severe", _("Severely stunted (thấp còi nặng)")),
    ("wasted", _("Wasted (gầy còm)")),
    ("wasted_severe", _("Severely wasted (gầy còm nặng)")),
    ("thin", _("Thin, over 60 months (gầy)")),
    ("thin_severe", _("Severely thin, over 60 months (gầy nặng)")),
    ("overweight", _("Overweight (thừa cân)")),
    ("obese", _("Obese (béo phì)")),
    ("normal", _("Normal on every measure")),
    ("not_measured", _("Not measured")),
    ("to_confirm", _("Values to confirm")),
)
CATEGORY_KEYS = tuple(key for key, _words in CATEGORIES)
THIRD_NAMES = (_("Start of the year"), _("Middle of the year"), _("End of the year"))

# (indicator's level field, level) -> classification.
_CLASSIFY = {
    ("wfa_level", Level.LOW): "underweight",
    ("wfa_level", Level.SEVERE_LOW): "underweight_severe",
    ("hfa_level", Level.LOW): "stunted",
    ("hfa_level", Level.SEVERE_LOW): "stunted_severe",
    ("wfh_level", Level.LOW): "wasted",
    ("wfh_level", Level.SEVERE_LOW): "wasted_severe",
    ("wfh_level", Level.HIGH): "overweight",
    ("wfh_level", Level.VERY_HIGH): "obese",
    ("bmi_level", Level.LOW): "thin",
    ("bmi_level", Level.SEVERE_LOW): "thin_severe",
    ("bmi_level", Level.HIGH): "overweight",
    ("bmi_level", Level.VERY_HIGH): "obese",
}
LEVEL_FIELDS = ("wfa_level", "hfa_level", "wfh_level", "bmi_level")
# What a measurement is classified from (classifications, is_pending), read as values.
ROW_FIELDS = ("child_id", "measured_on", *LEVEL_FIELDS, "flags", "confirmed_at")


def classifications(row) -> set[str]:
    """The classifications of one measurement (a Measurement or a dict of its values): "normal" when none is
    outside normal, "not_measured" when no level could be given."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    if not any(get(name) for name in LEVEL_FIELDS):
        # Nothing the references could classify (a weight alone past 60 months): not a measurement that counts.
        return {"not_measured"}
    found = {_CLASSIFY[(name, get(name))] for name in LEVEL_FIELDS if (name, get(name)) in _CLASSIFY}
    return found or {"normal"}


def is_pending(row) -> bool:
    """Flagged and not yet confirmed: it does not count until someone checks it."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return bool(get("flags")) and get("confirmed_at") is None


@dataclass(frozen=True)
class Third:
    number: int  # 1, 2, 3
    starts_on: datetime.date
    ends_on: datetime.date  # inclusive

    @property
    def name(self) -> str:
        return str(THIRD_NAMES[self.number - 1])

    def __contains__(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def thirds_of(year: SchoolYear) -> tuple[Third, Third, Third]:
    """The year's three equal thirds (the first ones a day longer when the days do not divide by three)."""
    days = (year.ends_on - year.starts_on).days + 1
    bounds = [year.starts_on + datetime.timedelta(days=round(days * i / 3)) for i in range(4)]
    return tuple(
        Third(number=i + 1, starts_on=bounds[i], ends_on=bounds[i + 1] - datetime.timedelta(days=1)) for i in range(3)
    )


def current_third(thirds: Iterable[Third], today: datetime.date) -> Third:
    """The third of today, or the last one once the year is over (the first one before it starts)."""
    thirds = list(thirds)
    for third in thirds:
        if today in third:
            return third
    return thirds[-1] if today > thirds[-1].ends_on else thirds[0]


@dataclass
class Summary:
    """Counts per classification in each third of one year, for one group of children."""

    year: SchoolYear | None
    thirds: tuple[Third, ...] = ()
    children: int = 0
    counts: list[Counter] = field(default_factory=list)  # one Counter per third
    classroom: Classroom | None = None

    def rows(self) -> list[tuple[str, str, list[int]]]:
        """(key, words, [count in each third]) per classification, for a table."""
        return [(key, words, [c[key] for c in self.counts]) for key, words in CATEGORIES]


def _tally(
    children: dict[int, Hashable], thirds_by_group: dict[Hashable, tuple[Third, ...]], rows: Iterable[dict]
) -> dict[Hashable, list[Counter]]:
    """Counts per group: `children` maps each child to its group, `rows` are measurement values."""
    latest: dict[tuple[int, int], dict] = {}
    for row in rows:
        group = children.get(row["child_id"])
        if group is None:
            continue
        for third in thirds_by_group[group]:
            if row["measured_on"] in third:
                key = (row["child_id"], third.number)
                if key not in latest or latest[key]["measured_on"] < row["measured_on"]:
                    latest[key] = row
    out = {group: [Counter() for _third in thirds] for group, thirds in thirds_by_group.items()}
    for child_id, group in children.items():
        for index, third in enumerate(thirds_by_group[group]):
            counter = out[group][index]
            row = latest.get((child_id, third.number))
            if row is None:
                counter["not_measured"] += 1
            elif is_pending(row):
                counter["to_confirm"] += 1
            else:
                counter.update(classifications(row))
    return out


def _rows(child_ids: Iterable[int], start: datetime.date, end: datetime.date, *, school_ids: Iterable[int]):
    measurements = Measurement.objects.filter(school_id__in=list(school_ids), child_id__in=list(child_ids))
    return measurements.filter(measured_on__range=(start, end)).values(*ROW_FIELDS)


def classroom_summary(*, classroom: Classroom) -> Summary:
    """The class's counts over its school year (two queries)."""
    year = classroom.school_year
    thirds = thirds_of(year)
    school_id = classroom.school_id
    present = Child.objects.filter(school_id=school_id, classroom=classroom, left_on__isnull=True)
    ids = list(present.values_list("pk", flat=True))
    children = dict.fromkeys(ids, classroom.pk)
    rows = _rows(ids, year.starts_on, year.ends_on, school_ids=[school_id]) if ids else []
    counts = _tally(children, {classroom.pk: thirds}, rows)
    return Summary(year=year, thirds=thirds, children=len(ids), counts=counts[classroom.pk])


def current_year(school: School) -> SchoolYear | None:
    return SchoolYear.objects.filter(school=school, is_current=True).first()


def school_summary(*, school: School, year: SchoolYear | None = None) -> tuple[Summary, dict[int, Summary]]:
    """The school's counts over its current year, and each class's (the classes of that year)."""
    year = year or current_year(school)
    if year is None:
        return Summary(year=None), {}
    thirds = thirds_of(year)
    classes = list(Classroom.objects.filter(school_id=year.school_id, school_year=year).order_by("age_group", "name"))
    present = Child.objects.filter(school_id=year.school_id, classroom__school_year=year, left_on__isnull=True)
    pairs = list(present.values_list("pk", "classroom_id"))
    children = dict(pairs)
    by_class = _tally(
        children,
        {c.pk: thirds for c in classes},
        _rows(children, year.starts_on, year.ends_on, school_ids=[year.school_id]) if children else [],
    )
    per_class = {}
    sizes = Counter(children.values())
    for classroom in classes:
        per_class[classroom.pk] = Summary(
            year=year, thirds=thirds, children=sizes[classroom.pk], counts=by_class[classroom.pk], classroom=classroom
        )
    total = [sum((by_class[c.pk][i] for c in classes), Counter()) for i in range(3)]
    return Summary(year=year, thirds=thirds, children=len(children), counts=total), per_class


def schools_summaries(*, schools: Iterable[School]) -> dict[int, Summary]:
    """Each school's counts over its own current year (three queries for any number of schools)."""
    schools = list(schools)
    years = {y.school_id: y for y in SchoolYear.objects.filter(school__in=schools, is_current=True)}
    thirds_by_school = {school_id: thirds_of(year) for school_id, year in years.items()}
    if not years:
        return {s.pk: Summary(year=None) for s in schools}
    children = dict(
        Child.objects.filter(classroom__school_year__in=list(years.values()), left_on__isnull=True).values_list(
            "pk", "school_id"
        )
    )
    start = min(y.starts_on for y in years.values())
    end = max(y.ends_on for y in years.values())
    counts = _tally(children, thirds_by_school, _rows(children, start, end, school_ids=years) if children else [])
    sizes = Counter(children.values())
    out = {}
    for school in schools:
        year = years.get(school.pk)
        if year is None:
            out[school.pk] = Summary(year=None)
        else:
            out[school.pk] = Summary(
                year=year, thirds=thirds_by_school[school.pk], children=sizes[school.pk], counts=counts[school.pk]
            )
    return out


def schools_under(authority) -> list[School]:
    """The schools an authority oversees: its own, and for a province those of its communes."""
    return list(School.objects.filter(Q(authority=authority) | Q(authority__province=authority)).order_by("name"))


@dataclass
class ProtectedCounts:
    """One row of counts as an authority may see it: "< 5" for 1 to 4, "x" where a small one could be
    worked out."""

    children: int | str
    rows: list[tuple[str, str, list[int | str]]]  # (key, words, [shown count in each third])


def authority_counts(*, authority) -> tuple[list[tuple[School, Summary, ProtectedCounts]], ProtectedCounts]:
    """Each school's counts under an authority and the authority's total, protected with one pattern over
    the whole province (province > communes > schools), so that a commune's page beside the province's,
    or a school beside its commune's total, gives no small count away. Four queries whatever the size.

    The total of a third adds up each school's own third (their years may start on different days)."""
    top = authority.province if authority.province_id else authority
    schools = schools_under(top)
    found = schools_summaries(schools=schools)
    communes: dict[int, list[int]] = {}
    for school in schools:
        communes.setdefault(school.authority_id, []).append(school.pk)
    if top.is_province:
        tree = {("a", top.pk): [("a", commune) for commune in communes]}
        tree.update({("a", commune): [("s", pk) for pk in ids] for commune, ids in communes.items()})
    else:
        tree = {("a", top.pk): [("s", pk) for pk in communes.get(top.pk, [])]}
    columns = ["children", *((key, third) for key in CATEGORY_KEYS for third in range(3))]
    values = {}
    for school in schools:
        summary = found[school.pk]
        values[(("s", school.pk), "children")] = summary.children
        for key in CATEGORY_KEYS:
            for third in range(3):
                count = summary.counts[third][key] if summary.year and third < len(summary.counts) else 0
                values[(("s", school.pk), (key, third))] = count
    for parent in [*(key for key in tree if key != ("a", top.pk)), ("a", top.pk)]:
        for column in columns:
            values[(parent, column)] = sum(values[(child, column)] for child in tree[parent])
    # The classifications overlap (a child can be stunted and underweight): only the rows add up.
    pattern = disclosure.protect(
        values, disclosure.hierarchy_equations(rows=list(tree), columns=columns, row_children=tree)
    )

    def counts_of(row) -> ProtectedCounts:
        return ProtectedCounts(
            children=pattern.shown((row, "children")),
            rows=[
                (key, words, [pattern.shown((row, (key, third))) for third in range(3)]) for key, words in CATEGORIES
            ],
        )

    shown = [s for s in schools if top.pk == authority.pk or s.authority_id == authority.pk]
    return [(school, found[school.pk], counts_of(("s", school.pk))) for school in shown], counts_of(("a", authority.pk))
