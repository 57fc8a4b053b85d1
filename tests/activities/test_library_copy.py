"""Copying an activity of the library into a class of another school: the copy credits the school it
came from, has its own files in the adopting school's storage, and takes no answer with it."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from activities import services_library
from activities.models import Activity, Answer, LibraryAdoption
from mediafiles.models import MediaFile
from mediafiles.quotas import school_storage_used
from mediafiles.services import media_delete
from tests.activities.library import TITLE, entry_make
from tests.activities.makers import answer_make

pytestmark = pytest.mark.django_db


def _adopt(client, entry, classroom, teacher):
    client.force_login(teacher)
    return client.post(f"/activity-library/{entry.pk}/adopt/", {"classroom": classroom.pk})


def test_a_teacher_of_another_school_of_the_ward_copies_it_into_her_class_and_sees_the_credit(world, client, neighbour):
    entry = entry_make(school=world.school, by=world.teacher)
    school, classroom, teacher = neighbour
    client.force_login(teacher)
    assert TITLE in client.get(f"/authorities/{world.school.authority.slug}/activity-library/").content.decode()
    response = _adopt(client, entry, classroom, teacher)
    copy = Activity.objects.get(school=school)
    assert response["Location"] == f"/activities/{copy.pk}/"
    assert (copy.title, copy.state, copy.created_by) == (TITLE, Activity.State.DRAFT, teacher)
    assert list(copy.classrooms.all()) == [classroom]
    page = client.get(f"/activities/{copy.pk}/").content.decode()
    assert world.school.name in page
    assert LibraryAdoption.objects.get(activity=copy).source_school_name == world.school.name


def test_the_copys_files_are_new_files_in_the_adopting_schools_storage_with_their_own_bytes(world, client, neighbour):
    entry = entry_make(school=world.school, by=world.teacher)
    original = entry.activity.photos.get().media
    school, classroom, teacher = neighbour
    used_before = school_storage_used(school=school)
    _adopt(client, entry, classroom, teacher)
    copy = Activity.objects.get(school=school).photos.get().media
    assert copy.pk != original.pk
    assert (copy.school, copy.uploaded_by, copy.state) == (school, teacher, "ready")
    assert copy.original.name != original.original.name and copy.original.name.startswith(f"schools/{school.pk}/")
    assert copy.thumbnail and copy.thumbnail.name != original.thumbnail.name
    with default_storage.open(copy.original.name, "rb") as a, default_storage.open(original.original.name, "rb") as b:
        assert a.read() == b.read()
    assert copy.stored_bytes == original.stored_bytes
    assert school_storage_used(school=school) == used_before + copy.stored_bytes


def test_deleting_the_original_leaves_the_copy_whole(world, client, neighbour):
    entry = entry_make(school=world.school, by=world.teacher)
    source = entry.activity
    original = source.photos.get().media
    school, classroom, teacher = neighbour
    _adopt(client, entry, classroom, teacher)
    copy = Activity.objects.get(school=school)
    source.delete()
    media_delete(media=MediaFile.objects.get(pk=original.pk))
    copy_media = copy.photos.get().media
    assert default_storage.exists(copy_media.original.name)
    client.force_login(teacher)
    page = client.get(f"/activities/{copy.pk}/")
    assert page.status_code == 200 and world.school.name in page.content.decode()
    assert client.get(copy_media.url("thumb")).status_code == 200


def test_no_answer_is_copied(world, neighbour):
    entry = entry_make(school=world.school, by=world.teacher)
    answer_make(activity=entry.activity, child=world.child, by=world.parent)
    school, classroom, teacher = neighbour
    copy = services_library.library_entry_adopt(entry=entry, by=teacher, classroom=classroom)
    assert not Answer.objects.filter(activity=copy).exists()
    assert Answer.objects.filter(activity=entry.activity).count() == 1
    assert not MediaFile.objects.filter(school=school, audience="family").exists()


def test_the_offering_schools_own_staff_and_other_areas_do_not_copy(world, client, neighbour):
    entry = entry_make(school=world.school, by=world.teacher)
    assert _adopt(client, entry, world.classroom, world.teacher).status_code == 404
    assert _adopt(client, entry, world.foreign_classroom, world.foreign_teacher).status_code == 404
    assert not LibraryAdoption.objects.exists()


def test_a_teacher_copies_only_into_a_class_she_teaches(world, client, neighbour):
    entry = entry_make(school=world.school, by=world.teacher)
    school, _classroom, teacher = neighbour
    from tests import factories as f

    other_class = f.ClassroomFactory(school=school, name="Chồi B", age_group="choi")
    client.force_login(teacher)
    client.post(f"/activity-library/{entry.pk}/adopt/", {"classroom": other_class.pk})
    assert not LibraryAdoption.objects.exists()


def test_an_activity_not_yet_approved_cannot_be_copied(world, client, neighbour):
    entry = entry_make(school=world.school, by=world.teacher, state="offered")
    school, classroom, teacher = neighbour
    assert _adopt(client, entry, classroom, teacher).status_code == 404
    assert not Activity.objects.filter(school=school).exists()


def test_a_video_is_copied_with_its_rendition_and_poster(world, neighbour):
    from tests.activities.makers import clip_make
    from tests.conftest import requires_binary

    requires_binary("ffmpeg", "apt-get install ffmpeg")
    video = clip_make(school=world.school, by=world.teacher)
    entry = entry_make(school=world.school, by=world.teacher, photos=0, video=video)
    school, classroom, teacher = neighbour
    copy = services_library.library_entry_adopt(entry=entry, by=teacher, classroom=classroom).video
    assert copy.pk != video.pk and copy.school == school and copy.kind == "video"
    for field in ("original", "rendition", "poster"):
        theirs, ours = getattr(video, field).name, getattr(copy, field).name
        assert ours and ours != theirs and default_storage.exists(ours)
        assert default_storage.size(ours) == default_storage.size(theirs)


def test_a_province_level_activity_is_copied_by_a_school_of_another_ward_of_the_province(world, client):
    from tests import factories as f

    other_ward = f.CommuneFactory(name="Phường Lê Chân", slug="le-chan", province=world.school.authority.province)
    school = f.SchoolFactory(authority=other_ward, name="Trường Mầm non Họa Mi", slug="hoa-mi")
    classroom = f.ClassroomFactory(school=school, name="Lá B")
    teacher = f.StaffFactory(school=school, role="teacher", classrooms=[classroom]).user
    ward_entry = entry_make(school=world.school, by=world.teacher)
    province_entry = entry_make(school=world.school, by=world.teacher, authority=world.school.authority.province)
    assert _adopt(client, ward_entry, classroom, teacher).status_code == 404
    assert _adopt(client, province_entry, classroom, teacher).status_code == 302
    assert LibraryAdoption.objects.get().school == school
