"""Running one app's report section the way the nightly job does, and counting its queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.sections import section_figures, sections
from tests import factories as f

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


def section(key: str):
    return next(found for found in sections() if found.key == key)


def figures_of(key: str, school_ids, period=OCTOBER) -> dict[tuple[int, str, str], int]:
    """{(school_id, group, metric): value}; a row given twice is an error of the section."""
    start, end = period
    found = {}
    rows = section_figures(section(key), school_ids=list(school_ids), start=start, end=end)
    for school_id, group, metric, value in rows:
        assert (school_id, group, metric) not in found, f"{key} gave {(school_id, group, metric)} twice"
        found[(school_id, group, metric)] = value
    return found


def queries_of(key: str, school_ids, period=OCTOBER) -> int:
    with CaptureQueriesContext(connection) as captured:
        figures_of(key, school_ids, period)
    return len(captured)


@pytest.fixture
def third_school(db):
    """A school with a class and a child, so that "several schools" is more than the world's two."""
    classroom = f.ClassroomFactory(name="Lá B")
    f.GuardianshipFactory(child=f.ChildFactory(classroom=classroom))
    return classroom.school


def assert_same_queries(key: str, world, third_school, period=OCTOBER) -> int:
    """The number of queries does not grow with the number of schools."""
    one = queries_of(key, [world.school.pk], period)
    several = queries_of(key, [world.school.pk, world.other_school.pk, third_school.pk], period)
    assert one == several, f"{key}: {one} queries for one school, {several} for three"
    return one
