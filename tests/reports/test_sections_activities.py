import datetime

from django.utils import timezone

from activities.models import ActivityClassroom
from tests import factories as f
from tests.activities.makers import activity_make, answer_make
from tests.reports.conftest import assert_same_queries, figures_of


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def test_activities_expected_and_answered_per_class(world, third_school):
    classmate = f.ChildFactory(classroom=world.classroom)
    f.GuardianshipFactory(child=classmate)
    # October: one activity for Lá 1 (2 children) and Chồi 1 (1 child), one for Lá 1 only.
    both = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom, world.other_classroom],
        published_at=_at(datetime.date(2026, 10, 5)),
    )
    la_only = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        published_at=_at(datetime.date(2026, 10, 30)),
    )
    answer_make(activity=both, child=world.child, by=world.parent)
    answer_make(activity=both, child=world.other_class_child, by=world.other_parent)
    answer_make(activity=la_only, child=world.child, by=world.parent)
    # A September activity, a draft, and Hoa Sen's activity are not Sao Mai's October.
    september = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        published_at=_at(datetime.date(2026, 9, 30)),
    )
    answer_make(activity=september, child=classmate, by=world.teacher)
    activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], published=False)
    foreign = activity_make(
        school=world.other_school,
        by=world.foreign_teacher,
        classrooms=[world.foreign_classroom],
        published_at=_at(datetime.date(2026, 10, 7)),
    )
    answer_make(activity=foreign, child=world.other_school_child, by=world.foreign_parent)

    found = figures_of("activities", [world.school.pk, world.other_school.pk])

    school = world.school.pk
    assert found[(school, "", "posted")] == 2
    assert found[(school, "Lá 1", "posted")] == 2
    assert found[(school, "Chồi 1", "posted")] == 1
    assert found[(school, "Lá 1", "expected")] == 4
    assert found[(school, "Lá 1", "answered")] == 2
    assert found[(school, "Chồi 1", "expected")] == 1
    assert found[(school, "Chồi 1", "answered")] == 1
    assert found[(school, "", "expected")] == 5
    assert found[(school, "", "answered")] == 3
    assert found[(school, "Lá 1", "children_answering")] == 1  # the same child twice
    assert found[(school, "", "children_answering")] == 2
    assert (school, "Mầm 1", "expected") not in found
    assert found[(school, "Lá 1", "children_asked")] == 2
    assert found[(school, "Chồi 1", "children_asked")] == 1
    assert found[(school, "", "children_asked")] == 3
    assert (school, "Mầm 1", "children_asked") not in found
    other = world.other_school.pk
    assert found[(other, "", "posted")] == 1
    assert found[(other, "Chồi A", "answered")] == 1
    assert found[(other, "", "children_answering")] == 1
    assert found[(other, "", "children_asked")] == 1


def test_answers_never_exceed_what_the_class_expected(world):
    activity = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        published_at=_at(datetime.date(2026, 10, 5)),
    )
    # A child who joined the class after the activity was published answers too.
    newcomer = f.ChildFactory(classroom=world.classroom)
    answer_make(activity=activity, child=world.child, by=world.parent)
    answer_make(activity=activity, child=newcomer, by=world.teacher)
    assert ActivityClassroom.objects.get(activity=activity).enrolled == 1

    found = figures_of("activities", [world.school.pk])
    assert found[(world.school.pk, "Lá 1", "expected")] == 1
    assert found[(world.school.pk, "Lá 1", "answered")] == 1


def test_queries_do_not_grow_with_schools(world, third_school):
    activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        published_at=_at(datetime.date(2026, 10, 5)),
    )
    assert assert_same_queries("activities", world, third_school) <= 5
