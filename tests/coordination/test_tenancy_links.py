"""The link tables of many-to-many fields carry the school too (schools.models.SchoolLink), whoever adds a
link, and the migrations that gave them the column kept every link made before."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coordination.lib import tenancy
from schools.models import SchoolLink, StaffMembership
from tests import factories as f
from tests.community.factories_events import event_make, photo_make

LINKS = {
    "schools.StaffMembershipClassroom": "schools_staffmembership_classrooms",
    "community.EventClassroom": "community_event_classrooms",
    "community.EventPhotoChild": "community_eventphoto_children",
}


def test_every_many_to_many_of_school_data_goes_through_a_link_with_its_school():
    plain = sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if tenancy.is_school_data(model)
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    )
    assert not plain, f"give these a link model with a required school (schools.models.SchoolLink): {plain}"
    for label, table in LINKS.items():
        model = apps.get_model(label)
        assert issubclass(model, SchoolLink) and model._meta.db_table == table
        assert not model._meta.get_field("school").null


@pytest.mark.django_db
def test_links_added_without_their_school_get_the_school_of_the_row_they_belong_to(world):
    teacher = StaffMembership.objects.get(user=world.teacher, school=world.school)
    teacher.classrooms.add(world.other_classroom)  # as a form or the admin does: no through_defaults
    world.foreign_classroom.teachers.add(StaffMembership.objects.get(user=world.foreign_teacher))  # the other side
    event = event_make(world.school, classrooms=[world.classroom, world.other_classroom])
    photo = photo_make(event, world.teacher, children=[world.child])

    assert set(
        teacher.classrooms.through.objects.filter(staffmembership=teacher).values_list("school_id", flat=True)
    ) == {world.school.pk}
    foreign = StaffMembership.classrooms.through.objects.get(classroom=world.foreign_classroom)
    assert foreign.school_id == world.other_school.pk
    assert set(event.classrooms.through.objects.filter(event=event).values_list("school_id", flat=True)) == {
        world.school.pk
    }
    assert photo.children.through.objects.get(eventphoto=photo).school_id == world.school.pk
    assert set(teacher.classrooms.all()) == {world.classroom, world.other_classroom}


@pytest.mark.django_db(transaction=True)
def test_the_migrations_keep_every_link_and_fill_its_school():
    school, other_school = f.SchoolFactory(), f.SchoolFactory()
    classroom = f.ClassroomFactory(school=school)
    other_classroom = f.ClassroomFactory(school=other_school)
    child = f.ChildFactory(school=school, classroom=classroom)
    teacher, other_teacher = f.StaffFactory(school=school), f.StaffFactory(school=other_school)
    event = event_make(school)
    photo = photo_make(event, teacher.user)

    executor = MigrationExecutor(connection)
    before = [("schools", "0010_child_read"), ("community", "0003_loans_kept_without_family")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("schools", "StaffMembership").classrooms.through.objects.bulk_create(
        [
            old.get_model("schools", "StaffMembership").classrooms.through(
                staffmembership_id=teacher.pk, classroom_id=classroom.pk
            ),
            old.get_model("schools", "StaffMembership").classrooms.through(
                staffmembership_id=other_teacher.pk, classroom_id=other_classroom.pk
            ),
        ]
    )
    old.get_model("community", "Event").classrooms.through.objects.create(event_id=event.pk, classroom_id=classroom.pk)
    old.get_model("community", "EventPhoto").children.through.objects.create(eventphoto_id=photo.pk, child_id=child.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from community.models import EventClassroom, EventPhotoChild
    from schools.models import StaffMembershipClassroom

    assert set(StaffMembershipClassroom.objects.values_list("staffmembership_id", "classroom_id", "school_id")) == {
        (teacher.pk, classroom.pk, school.pk),
        (other_teacher.pk, other_classroom.pk, other_school.pk),
    }
    assert list(EventClassroom.objects.values_list("event_id", "classroom_id", "school_id")) == [
        (event.pk, classroom.pk, school.pk)
    ]
    assert list(EventPhotoChild.objects.values_list("eventphoto_id", "child_id", "school_id")) == [
        (photo.pk, child.pk, school.pk)
    ]
    assert list(StaffMembership.objects.get(pk=teacher.pk).classrooms.all()) == [classroom]
