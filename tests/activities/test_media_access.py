"""Downloads of activities' videos and photos and of families' answers go through the activity policies:
a parent of another class, a teacher of another class and another school's principal are refused (404),
anonymous people are sent to sign in."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.activities.makers import activity_make, answer_make, clip_make, photo_make
from tests.conftest import PERSONAS
from tests.matrix_kit import expect

pytestmark = pytest.mark.django_db


def answer_of(response) -> int | str:
    if response.status_code == 302:
        return "login" if response["Location"].startswith("/accounts/login/") else "redirect"
    return response.status_code


def walk(client, world, url: str) -> dict[str, int | str]:
    got = {}
    for persona in PERSONAS:
        client.logout()
        person = world.persona(persona)
        if person is not None:
            client.force_login(person)
        got[persona] = answer_of(client.get(url))
    return got


ACTIVITY_FILES = expect(parent=200, teacher=200, leaders=200)
UPLOADER_ONLY = expect(teacher=200)
FAMILY_AND_STAFF = expect(parent=200, teacher=200, leaders=200)


def test_a_published_activitys_photo(client, world):
    photo = photo_make(school=world.school, by=world.teacher)
    activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], photos=[photo])
    assert walk(client, world, f"/media/{photo.pk}/thumb") == ACTIVITY_FILES


def test_a_published_activitys_video(client, world):
    video = clip_make(school=world.school, by=world.teacher)
    activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], video=video)
    assert walk(client, world, f"/media/{video.pk}/video") == ACTIVITY_FILES
    assert walk(client, world, f"/media/{video.pk}/poster") == ACTIVITY_FILES


def test_a_drafts_files_are_the_uploaders_until_it_is_published(client, world):
    photo = photo_make(school=world.school, by=world.teacher)
    activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], photos=[photo], published=False)
    got = walk(client, world, f"/media/{photo.pk}/thumb")
    # Leaders see drafts of their school (to publish them).
    assert got == {**UPLOADER_ONLY, "principal": 200, "vice_principal": 200}


def test_a_private_answers_photo(client, world):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer = answer_make(activity=activity, child=world.child, by=world.parent)
    assert walk(client, world, f"/media/{answer.media_id}/thumb") == FAMILY_AND_STAFF


def test_an_approved_answer_reaches_the_families_of_the_class_only(client, world, classmate_parent):
    """And the child's family viewer (the grandmother who follows Khôi)."""
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="shared_photos")
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer = answer_make(activity=activity, child=world.child, by=world.parent, sharing="approved")
    url = f"/media/{answer.media_id}/thumb"
    assert walk(client, world, url) == {**FAMILY_AND_STAFF, "family_viewer": 200}
    client.force_login(classmate_parent)
    assert client.get(url).status_code == 200


def test_files_of_nothing_are_nobodys_but_the_uploaders(client, world):
    loose = photo_make(school=world.school, by=world.teacher)
    assert walk(client, world, f"/media/{loose.pk}/thumb") == UPLOADER_ONLY
