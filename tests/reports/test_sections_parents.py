import datetime

from django.utils import timezone

from parents.models import Guardianship
from schools.models import Enrolment
from tests import factories as f
from tests.reports.conftest import assert_same_queries, figures_of


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def test_children_and_guardians_on_the_last_day_per_class_and_school(world, third_school):
    # A child of Lá 1 whose only guardian is still waiting for confirmation: not signed up.
    unconfirmed = f.ChildFactory(classroom=world.classroom)
    f.GuardianshipFactory(child=unconfirmed, status=Guardianship.Status.PENDING)
    # A child who starts in November, and a guardian who signed up in November: not October's.
    newcomer = f.ChildFactory(classroom=world.other_classroom)
    Enrolment.objects.filter(child=newcomer).update(starts_on=datetime.date(2026, 11, 2))
    late = f.GuardianshipFactory(child=f.ChildFactory(classroom=world.other_classroom))
    Guardianship.objects.update(created_at=_at(datetime.date(2026, 9, 10)))
    Guardianship.objects.filter(pk=late.pk).update(created_at=_at(datetime.date(2026, 11, 1)))

    found = figures_of("parents", [world.school.pk, world.other_school.pk])

    school, other = world.school.pk, world.other_school.pk
    assert found[(school, "Lá 1", "children")] == 2
    assert found[(school, "Lá 1", "children_signed_up")] == 1
    assert found[(school, "Lá 1", "guardians")] == 1
    assert found[(school, "Chồi 1", "children")] == 2  # the newcomer is November's
    assert found[(school, "Chồi 1", "children_signed_up")] == 1
    assert found[(school, "Mầm 1", "guardians")] == 1
    # The parent of two children in two classes counts once in the school; the child who left does not count.
    assert found[(school, "", "children")] == 5
    assert found[(school, "", "children_signed_up")] == 3
    assert found[(school, "", "guardians")] == 2
    assert found[(other, "Chồi A", "children")] == 1
    assert found[(other, "", "guardians")] == 1
    assert third_school.pk not in {key[0] for key in found}
    assert all(group in ("", "Lá 1", "Chồi 1", "Mầm 1", "Chồi A") for _school, group, _key in found)


def test_a_child_who_moved_counts_in_the_new_class_only(world):
    Enrolment.objects.filter(child=world.child).update(ends_on=datetime.date(2026, 10, 20))
    Enrolment.objects.create(
        school=world.school, child=world.child, classroom=world.other_classroom, starts_on=datetime.date(2026, 10, 20)
    )
    found = figures_of("parents", [world.school.pk])
    assert (world.school.pk, "Lá 1", "children") not in found
    assert found[(world.school.pk, "Chồi 1", "children")] == 2
    assert found[(world.school.pk, "", "children")] == 3


def test_queries_do_not_grow_with_schools(world, third_school):
    assert assert_same_queries("parents", world, third_school) <= 3
