"""Principals review their school's activities and answers in the admin; another school's stay out of sight."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.activities.makers import activity_make, answer_make

pytestmark = pytest.mark.django_db


def test_each_principal_sees_only_their_schools_activities_and_answers(client, world):
    ours = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title="Của Sao Mai")
    answer_make(activity=ours, child=world.child, by=world.parent, note="Ghi chú Sao Mai")
    foreign_class = f.ClassroomFactory(school=world.other_school, name="Lá A")
    theirs = activity_make(
        school=world.other_school, by=world.other_principal, classrooms=[foreign_class], title="Của Hoa Sen"
    )
    answer_make(
        activity=theirs, child=world.other_school_child, by=world.other_school_child.guardianships.get().guardian
    )

    client.force_login(world.principal)
    activities = client.get("/admin/activities/activity/").content.decode()
    assert "Của Sao Mai" in activities and "Của Hoa Sen" not in activities
    answers = client.get("/admin/activities/answer/").content.decode()
    assert world.child.full_name in answers and world.other_school_child.full_name not in answers

    client.force_login(world.other_principal)
    assert client.get(f"/admin/activities/activity/{ours.pk}/change/").status_code == 302
    assert "Của Sao Mai" not in client.get("/admin/activities/activity/").content.decode()


def test_a_principal_fixes_a_title_and_the_families_see_it(client, world):
    activity = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], title="Gấp thuyền gấy"
    )
    client.force_login(world.parent)
    assert "Gấp thuyền gấy" in client.get(f"/children/{world.child.pk}/activities/").content.decode()

    client.force_login(world.principal)
    change = client.get(f"/admin/activities/activity/{activity.pk}/change/")
    assert change.status_code == 200
    data = {
        "title": "Gấp thuyền giấy",
        "domain": activity.domain,
        "age_group": activity.age_group,
        "materials": activity.materials,
        "instructions": activity.instructions,
        "answer_by": "",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "1",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-id": str(activity.links.get().pk),
        "links-0-activity": str(activity.pk),
    }
    response = client.post(f"/admin/activities/activity/{activity.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    client.force_login(world.parent)
    page = client.get(f"/children/{world.child.pk}/activities/").content.decode()
    assert "Gấp thuyền giấy" in page and "Gấp thuyền gấy" not in page
