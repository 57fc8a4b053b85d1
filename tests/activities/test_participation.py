"""Per activity and class: who opened it, who answered, and the rate against the children enrolled."""

from __future__ import annotations

import pytest

from activities.models import ActivityView
from tests import factories as f
from tests.activities.makers import activity_make, answer_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(world):
    return activity_make(school=world.school, by=world.principal, classrooms=[world.classroom, world.other_classroom])


def test_the_teacher_sees_who_opened_who_answered_and_the_rate_of_their_class(
    client, world, activity, classmate, classmate_parent
):
    # Lá 1: Khôi (answered), Huy (opened only), Bảo (no family signed up) and a child who left.
    unsigned = f.ChildFactory(classroom=world.classroom, full_name="Đặng Gia Bảo")
    f.ChildFactory(classroom=world.classroom, full_name="Trẻ Đã Nghỉ", left_on="2026-10-01")
    answer_make(activity=activity, child=world.child, by=world.parent)
    ActivityView.objects.create(school=world.school, activity=activity, child=classmate, guardian=classmate_parent)

    client.force_login(world.teacher)
    response = client.get(f"/activities/{activity.pk}/participation/")
    [lá1] = response.context["classes"]
    assert lá1.classroom == world.classroom
    assert (lá1.enrolled, lá1.viewed, lá1.answered, lá1.rate_percent) == (3, 2, 1, 33)
    assert {row.child for row in lá1.not_answered} == {unsigned, classmate}
    assert [row.child for row in lá1.nudgeable] == [classmate]
    page = response.content.decode()
    assert "Đặng Gia Bảo" in page and "Lê Gia Huy" in page and "Trẻ Đã Nghỉ" not in page
    # The other class of the activity is not this teacher's.
    assert "Phạm Khánh Linh" not in page


def test_the_principal_sees_every_class_of_the_activity(client, world, activity):
    answer_make(activity=activity, child=world.other_class_child, by=world.other_parent)
    client.force_login(world.principal)
    classes = client.get(f"/activities/{activity.pk}/participation/").context["classes"]
    assert [(c.classroom.name, c.enrolled, c.answered) for c in classes] == [("Chồi 1", 1, 1), ("Lá 1", 1, 0)]


def test_a_teacher_of_another_class_or_another_school_sees_nothing(client, world):
    only_la1 = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    for person in (world.other_teacher, world.other_principal, world.parent, world.nurse):
        client.force_login(person)
        assert client.get(f"/activities/{only_la1.pk}/participation/").status_code == 404


def test_the_participation_page_costs_the_same_queries_for_a_big_class(
    client, world, activity, django_assert_max_num_queries
):
    client.force_login(world.teacher)
    client.get(f"/activities/{activity.pk}/participation/")
    for n in range(25):
        child = f.ChildFactory(classroom=world.classroom)
        guardian = f.GuardianshipFactory(child=child).guardian
        if n % 2:
            answer_make(activity=activity, child=child, by=guardian)
    with django_assert_max_num_queries(16):
        client.get(f"/activities/{activity.pk}/participation/")
