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
