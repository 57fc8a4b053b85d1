"""Reads of measuring day: the nurse's classes with their latest measuring day, and a class's grid.

Each read takes the person and answers 404 (Http404) for a class they may not measure, as for a class
that does not exist. Every read runs a fixed number of queries whatever the class's size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404

from health import growth, policies
from health.models import Level, Measurement, Position, Reference
from schools.models import Child, Classroom, School
from schools.selectors import staff_classrooms

LYING_UNTIL_MONTHS = 24  # a child under 2 is measured lying down (length), from 2 standing (height)


def classroom_for_measuring(*, user, classroom_id: int) -> Classroom:
    """The class whose measurements this person enters; 404 for anyone else."""
    classroom = staff_classrooms(user=user).select_related("school", "school_year").filter(pk=classroom_id).first()
    if classroom is None or not policies.can_measure_classroom(user, classroom):
        raise Http404
    return classroom


def child_for_measuring(*, classroom: Classroom, child_id: int) -> Child:
    """A child of the class today (children who left or moved to another class: 404)."""
    child = Child.objects.filter(school_id=classroom.school_id, pk=child_id, classroom=classroom, left_on__isnull=True)
    child = child.first()
    if child is None:
        raise Http404
    child.classroom = classroom
    return child


def class_children(classroom: Classroom) -> list[Child]:
    """The class's children today, by name, each with its class already read."""
    children = Child.objects.filter(school_id=classroom.school_id, classroom=classroom, left_on__isnull=True)
    children = list(children.order_by("full_name", "pk"))
    for child in children:
        child.classroom = classroom
    return children


# --- Ages ---------------------------------------------------------------------------------------------


def age_months(born: datetime.date, on: datetime.date) -> int:
    """Whole months of age on a day (a child born on the 31st turns a month older at the month's end)."""
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        months -= 1
    return max(months, 0)


def default_position(born: datetime.date, on: datetime.date) -> str:
    return Position.LYING if age_months(born, on) < LYING_UNTIL_MONTHS else Position.STANDING


# --- The grid -----------------------------------------------------------------------------------------


@dataclass
class GridRow:
    child: Child
    months: int  # age on the day, in whole months
    measurement: Measurement | None  # the day's, if entered
    previous: Measurement | None  # the latest before the day
    values: dict[str, str] = field(default_factory=dict)  # what the inputs show
    errors: dict[str, str] = field(default_factory=dict)
    flag_messages: list[str] = field(default_factory=list)
    saved: bool = False  # saved by the request being answered

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def months_over(self) -> int:
        return self.months % 12

    @property
    def default_position(self) -> str:
        return Position.LYING if self.months < LYING_UNTIL_MONTHS else Position.STANDING

    @property
    def needs_confirmation(self) -> bool:
        return self.measurement is not None and self.measurement.needs_confirmation

    @property
    def results(self) -> list[dict]:
        """The day's z-scores, each with its indicator's name and what its level is called."""
        return measurement_results(self.measurement)

    @property
    def reference_label(self) -> str:
        return str(Reference(self.measurement.reference).label) if self.measurement else ""


def measurement_results(measurement: Measurement | None) -> list[dict]:
    if measurement is None:
        return []
    out = []
    for indicator in growth.INDICATORS:
        z = getattr(measurement, f"z_{indicator}")
        if z is None:
            continue
        level = getattr(measurement, f"{indicator}_level")
        out.append(
            {
                "indicator": indicator,
                "name": str(growth.INDICATOR_NAMES[indicator]),
                "z": round(z, 2),
                "level": level,
                "words": growth.level_words(indicator, level) if level else "",
                "outside": bool(level) and level != Level.NORMAL,
            }
        )
    return out


def _number(value) -> str:
    """A stored decimal as a person writes it here: with a decimal comma."""
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def values_of(measurement: Measurement | None, *, position: str) -> dict[str, str]:
    if measurement is None:
        return {"weight_kg": "", "height_cm": "", "position": position, "muac_cm": ""}
    return {
        "weight_kg": _number(measurement.weight_kg),
        "height_cm": _number(measurement.height_cm),
        "position": measurement.position,
        "muac_cm": _number(measurement.muac_cm),
    }


def latest_before(children: list[Child], day: datetime.date) -> dict[int, Measurement]:
    """Each child's latest measurement before the day, in one query (of the children's schools)."""
    school_ids = {c.school_id for c in children}
    latest = (
        Measurement.objects.filter(school_id=OuterRef("school_id"), child=OuterRef("child"), measured_on__lt=day)
        .order_by("-measured_on")
        .values("pk")[:1]
    )
    # A correlated subquery rather than DISTINCT ON, which only PostgreSQL has (`make run` is SQLite).
    rows = Measurement.objects.filter(school_id__in=school_ids, child__in=[c.pk for c in children], pk=Subquery(latest))
    return {m.child_id: m for m in rows}


def grid_rows(*, classroom: Classroom, day: datetime.date) -> list[GridRow]:
    """One row per child of the class today: the day's measurement and the one before (three queries)."""
    children = class_children(classroom)
    ids = [c.pk for c in children]
    on_the_day = Measurement.objects.filter(school_id=classroom.school_id, child__in=ids, measured_on=day)
    today = {m.child_id: m for m in on_the_day}
    before = latest_before(children, day) if children else {}
    rows = []
    for child in children:
        months = age_months(child.date_of_birth, day)
        measurement = today.get(child.pk)
        if measurement is not None:
            measurement.child = child
        row = GridRow(child=child, months=months, measurement=measurement, previous=before.get(child.pk))
        row.values = values_of(measurement, position=row.default_position)
        rows.append(row)
    return rows


# --- The nurse's classes -------------------------------------------------------------------------------


@dataclass
class ClassDay:
    classroom: Classroom
    children: int
    latest_day: datetime.date | None
    measured: int  # children measured on the latest day
    to_confirm: int  # flagged rows waiting for confirmation


@dataclass
class SchoolClasses:
    school: School
    classes: list[ClassDay]


def classes_for_nurse(*, user) -> list[SchoolClasses]:
    """The current classes of the schools where this person does the health work (four queries)."""
    school_ids = policies.health_school_ids(user)
    if not school_ids:
        return []
    by_school = {
        school.pk: SchoolClasses(school=school, classes=[])
        for school in School.objects.filter(pk__in=school_ids).order_by("name")
    }
    present = Q(children__left_on__isnull=True)
    classrooms = list(
        Classroom.objects.filter(school_id__in=school_ids, school_year__is_current=True)
        .annotate(children_count=Count("children", filter=present))
        .order_by("name")
    )
    class_ids = [c.pk for c in classrooms]
    current = Measurement.objects.filter(
        school_id__in=school_ids, child__classroom_id__in=class_ids, child__left_on__isnull=True
    )
    days: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    waiting: dict[int, int] = {}
    if class_ids:
        for row in current.values("child__classroom_id", "measured_on").annotate(n=Count("pk")):
            days[row["child__classroom_id"]][row["measured_on"]] = row["n"]
        flagged = current.filter(confirmed_at__isnull=True).exclude(flags=[])
        for row in flagged.values("child__classroom_id").annotate(n=Count("pk")):
            waiting[row["child__classroom_id"]] = row["n"]
    for classroom in classrooms:
        measured_days = days.get(classroom.pk, {})
        latest = max(measured_days) if measured_days else None
        entry = by_school[classroom.school_id]
        classroom.school = entry.school
        entry.classes.append(
            ClassDay(
                classroom=classroom,
                children=classroom.children_count,
                latest_day=latest,
                measured=measured_days.get(latest, 0) if latest else 0,
                to_confirm=waiting.get(classroom.pk, 0),
            )
        )
    return list(by_school.values())
