import datetime
from decimal import Decimal

from django.utils import timezone

from health.models import FollowUpPlan, Level, Measurement
from tests import factories as f
from tests.reports.conftest import assert_same_queries, figures_of


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def measured(child, day: datetime.date, *, flags=(), **levels) -> Measurement:
    """A measurement with the levels health.growth would have stored (the counting is what is tested here)."""
    fields = {"wfa_level": Level.NORMAL, "hfa_level": Level.NORMAL, "wfh_level": Level.NORMAL, **levels}
    return Measurement.objects.create(
        school=child.school,
        child=child,
        measured_on=day,
        weight_kg=Decimal("16.0"),
        height_cm=Decimal("105.0"),
        flags=list(flags),
        **fields,
    )


def plan(child, opened: datetime.date, closed: datetime.date | None = None) -> FollowUpPlan:
    return FollowUpPlan.objects.create(
        school=child.school,
        child=child,
        notes="Cân lại sau một tháng.",
        opened_at=_at(opened),
        closed_at=closed and _at(closed),
    )


def test_children_per_classification_on_the_last_day(world, third_school):
    measured(world.child, datetime.date(2026, 9, 20))
    measured(world.child, datetime.date(2026, 10, 15), wfa_level=Level.LOW, hfa_level=Level.LOW)
    measured(world.child, datetime.date(2026, 11, 5))  # after the month: October's figures keep the 15th
    measured(world.other_class_child, datetime.date(2026, 10, 3), flags=["wfh"], wfh_level=Level.HIGH)
    last_year = f.ChildFactory(classroom=world.classroom)
    measured(last_year, datetime.date(2026, 5, 10), hfa_level=Level.LOW)  # another school year
    measured(world.other_school_child, datetime.date(2026, 10, 1))
    plan(world.child, datetime.date(2026, 10, 16))
    plan(world.other_class_child, datetime.date(2026, 9, 1), closed=datetime.date(2026, 10, 2))

    found = figures_of("health", [world.school.pk, world.other_school.pk])

    school = world.school.pk
    assert found[(school, "Lá 1", "children")] == 2
    assert found[(school, "Lá 1", "stunted")] == 1
    assert found[(school, "Lá 1", "underweight")] == 1
    assert found[(school, "Lá 1", "normal")] == 0
    assert found[(school, "Lá 1", "not_measured")] == 1
    assert found[(school, "Lá 1", "measured")] == 1
    assert found[(school, "Lá 1", "follow_up")] == 1
    assert found[(school, "Chồi 1", "to_confirm")] == 1
    assert found[(school, "Chồi 1", "overweight")] == 0  # not counted until confirmed
    assert found[(school, "Chồi 1", "follow_up")] == 0  # closed before the end of October
    assert found[(school, "Mầm 1", "not_measured")] == 1
    assert found[(school, "", "children")] == 4
    assert found[(school, "", "not_measured")] == 2
    assert found[(school, "", "measured")] == 2
    assert found[(school, "", "follow_up")] == 1
    assert found[(world.other_school.pk, "", "normal")] == 1
    assert found[(world.other_school.pk, "Chồi A", "measured")] == 1


def test_queries_do_not_grow_with_schools(world, third_school):
    measured(world.child, datetime.date(2026, 10, 15))
    assert assert_same_queries("health", world, third_school) == 2
