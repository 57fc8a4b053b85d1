from __future__ import annotations

import pytest

from tests import factories as f


@pytest.fixture
def classmate(world):
    """Another child of Lá 1 (the teacher's class) whose mother has signed up."""
    child = f.ChildFactory(classroom=world.classroom, full_name="Lê Gia Huy", nickname="Bin")
    guardian = f.UserFactory(email="classmate@example.test", full_name="Lê Thị Mận")
    f.GuardianshipFactory(child=child, guardian=guardian)
    return child


@pytest.fixture
def classmate_parent(classmate):
    return classmate.guardianships.get().guardian


@pytest.fixture
def neighbour(world):
    """A second school under Sao Mai's ward (Hướng Dương), with a teacher of its class Lá A: the schools
    that use the ward's library of home activities."""
    school = f.SchoolFactory(authority=world.school.authority, name="Trường Mầm non Hướng Dương", slug="huong-duong")
    classroom = f.ClassroomFactory(school=school, name="Lá A")
    teacher = f.StaffFactory(
        school=school, role="teacher", classrooms=[classroom], user=f.UserFactory(email="teacher@huongduong.test")
    ).user
    return school, classroom, teacher
