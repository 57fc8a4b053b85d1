import pytest
from django.core.management import call_command

from accounts.models import User
from parents.models import Guardianship
from schools.models import Child, Classroom, School, StaffMembership

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = [
    "principal@saomai.test",
    "teacher@saomai.test",
    "teacher2@saomai.test",
    "parent@saomai.test",
    "parent2@saomai.test",
    "nurse@saomai.test",
    "accountant@saomai.test",
    "principal@hoasen.test",
    "parent@hoasen.test",
    "district@thuynguyen.test",
]


def classes_of(email: str) -> set[str]:
    return set(Guardianship.objects.filter(guardian__email=email).values_list("child__classroom__name", flat=True))


def counts():
    return (User.objects.count(), Child.objects.count(), Guardianship.objects.count(), StaffMembership.objects.count())


def test_seed_demo_is_idempotent_and_matches_the_readme(client):
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first

    sao_mai = School.objects.get(slug="sao-mai")
    assert Classroom.objects.filter(school=sao_mai).count() == 6
    assert 140 <= Child.objects.filter(school=sao_mai).count() <= 160
    assert Child.objects.filter(school__slug="hoa-sen").count() < 60

    for email in DEMO_ACCOUNTS:
        assert client.login(username=email, password="demo-pass-2026"), email

    parent_classes = classes_of("parent@saomai.test")
    assert len(parent_classes) == 2
    parent2_classes = classes_of("parent2@saomai.test")
    assert len(parent2_classes) == 1 and not parent2_classes & parent_classes
    teacher_class = StaffMembership.objects.get(user__email="teacher@saomai.test").classrooms.get()
    teacher2_class = StaffMembership.objects.get(user__email="teacher2@saomai.test").classrooms.get()
    assert teacher_class.name in parent_classes
    assert teacher2_class.name in parent2_classes
