import datetime

from django.utils import timezone

from portfolio.models import Work
from tests.portfolio.printing_makers import work_make
from tests.reports.conftest import assert_same_queries, figures_of


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def work(child, by, *, recorded: datetime.date, opened: datetime.date | None = None) -> Work:
    made = work_make(child=child, by=by, made_on=recorded)
    Work.objects.filter(pk=made.pk).update(created_at=_at(recorded), family_opened_at=opened and _at(opened))
    return made


def test_works_recorded_and_opened_per_class(world, third_school):
    october, november, september = datetime.date(2026, 10, 8), datetime.date(2026, 11, 3), datetime.date(2026, 9, 20)
    work(world.child, world.teacher, recorded=october, opened=october)
    work(world.child, world.teacher, recorded=october, opened=november)  # opened after the month
    work(world.child, world.teacher, recorded=october)
    work(world.other_class_child, world.other_teacher, recorded=october, opened=october)
    work(world.sibling, world.teacher, recorded=september, opened=october)  # a September work opened in October
    work(world.sibling, world.teacher, recorded=september)
    work(world.other_school_child, world.foreign_teacher, recorded=october)

    found = figures_of("portfolio", [world.school.pk, world.other_school.pk])

    school = world.school.pk
    assert found[(school, "Lá 1", "recorded")] == 3
    assert found[(school, "Lá 1", "recorded_opened")] == 1
    assert found[(school, "Lá 1", "opened")] == 1
    assert found[(school, "Chồi 1", "recorded")] == 1
    assert found[(school, "Mầm 1", "recorded")] == 0
    assert found[(school, "Mầm 1", "opened")] == 1
    assert found[(school, "", "recorded")] == 4
    assert found[(school, "", "recorded_opened")] == 2
    assert found[(school, "", "opened")] == 3
    assert found[(world.other_school.pk, "Chồi A", "recorded")] == 1
    assert found[(world.other_school.pk, "", "opened")] == 0


def test_queries_do_not_grow_with_schools(world, third_school):
    work(world.child, world.teacher, recorded=datetime.date(2026, 10, 8))
    assert assert_same_queries("portfolio", world, third_school) == 1
