"""The event's gallery: families see a photo only while every child tagged in it is consented to shared
galleries (withdrawal hides it at once), untagged photos stay with the staff, and the file's own URL
answers the same way."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import EventPhoto
from mediafiles.access import can_view_media
from parents.models import ConsentPurpose
from parents.services import consent_record
from tests.community.factories_events import (
    _in_english,  # noqa: F401  (autouse)
    event_make,
    photo_make,
)

pytestmark = pytest.mark.django_db


def _consent(guardian, child, granted=True):
    consent_record(guardian=guardian, child=child, purpose=ConsentPurpose.SHARED_PHOTOS, granted=granted)


@pytest.fixture
def festival(world):
    return event_make(world.school, classrooms=[world.classroom, world.other_classroom], days=-1)


def _gallery(client, user, event) -> str:
    client.force_login(user)
    response = client.get(reverse("community:event_gallery", args=[event.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_tagged_photo_shows_only_while_every_child_in_it_is_consented(client, world, festival):
    both = photo_make(festival, world.teacher, children=[world.child, world.other_class_child], caption="Rước đèn")
    _consent(world.parent, world.child)
    assert f'data-photo="{both.pk}"' not in _gallery(client, world.parent, festival)
    assert not can_view_media(world.parent, both.media)
    _consent(world.other_parent, world.other_class_child)
    assert f'data-photo="{both.pk}"' in _gallery(client, world.parent, festival)
    assert can_view_media(world.other_parent, both.media)
    _consent(world.other_parent, world.other_class_child, granted=False)  # withdrawn: hidden at once
    assert f'data-photo="{both.pk}"' not in _gallery(client, world.parent, festival)
    assert not can_view_media(world.parent, both.media)


def test_untagged_photos_are_for_staff_only(client, world, festival):
    photo = photo_make(festival, world.teacher, caption="Sân khấu")
    assert f'data-photo="{photo.pk}"' not in _gallery(client, world.parent, festival)
    assert not can_view_media(world.parent, photo.media)
    page = _gallery(client, world.principal, festival)
    assert f'data-photo="{photo.pk}"' in page and "Staff only: not tagged" in page
    assert can_view_media(world.principal, photo.media)
    assert can_view_media(world.other_teacher, photo.media)


def test_people_outside_the_event_never_see_a_photo(client, world, festival):
    photo = photo_make(festival, world.teacher, children=[world.child])
    _consent(world.parent, world.child)
    for outsider in (world.foreign_parent, world.kitchen, world.nurse, world.accountant, world.family_viewer):
        assert not can_view_media(outsider, photo.media)
        client.force_login(outsider)
        assert client.get(reverse("community:event_gallery", args=[festival.pk])).status_code == 404
    # A guardian of a class not invited.
    lesson = event_make(world.school, classrooms=[world.classroom], days=-1)
    only_la = photo_make(lesson, world.teacher, children=[world.child])
    assert not can_view_media(world.other_parent, only_la.media)


def test_staff_tag_a_photo_and_it_appears_for_families(client, world, festival):
    photo = photo_make(festival, world.teacher)
    _consent(world.parent, world.child)
    client.force_login(world.teacher)
    client.post(reverse("community:event_photo", args=[photo.pk]), {"action": "tag", "children": [world.child.pk]})
    assert list(photo.children.all()) == [world.child]
    assert f'data-photo="{photo.pk}"' in _gallery(client, world.parent, festival)


def test_tagging_a_child_of_another_class_is_refused(client, world):
    lesson = event_make(world.school, classrooms=[world.classroom], days=-1)
    photo = photo_make(lesson, world.teacher)
    client.force_login(world.teacher)
    response = client.post(
        reverse("community:event_photo", args=[photo.pk]), {"children": [world.other_class_child.pk]}, follow=True
    )
    assert "Tag only children of the event&#x27;s classes." in response.content.decode()
    assert not photo.children.exists()


def test_families_cannot_add_nor_tag_photos(client, world, festival):
    photo = photo_make(festival, world.teacher)
    client.force_login(world.parent)
    assert (
        client.post(reverse("community:event_photo", args=[photo.pk]), {"children": [world.child.pk]}).status_code
        == 404
    )
    assert client.post(reverse("community:event_gallery", args=[festival.pk]), {"photos": []}).status_code == 404
    assert not photo.children.exists()


def test_adding_photos_needs_a_photo_and_staff_add_their_uploads(client, world, festival):
    from mediafiles.models import Audience, Kind, MediaFile, State

    client.force_login(world.teacher)
    url = reverse("community:event_gallery", args=[festival.pk])
    response = client.post(url, {"caption": "Rước đèn"})
    assert response.status_code == 400 and "Upload at least one photo." in response.content.decode()
    media = MediaFile.objects.create(
        school=world.school,
        uploaded_by=world.teacher,
        audience=Audience.STAFF,
        kind=Kind.IMAGE,
        state=State.READY,
        original_name="a.jpg",
        size=10,
        received=10,
        original="schools/x/a.jpg",
    )
    other = MediaFile.objects.create(
        school=world.school,
        uploaded_by=world.principal,
        audience=Audience.STAFF,
        kind=Kind.IMAGE,
        state=State.READY,
        original_name="b.jpg",
        size=10,
        received=10,
        original="schools/x/b.jpg",
    )
    response = client.post(url, {"photos": [str(other.pk)], "children": [world.child.pk]})
    assert response.status_code == 400 and "This file was not found" in response.content.decode()
    assert not EventPhoto.objects.exists()
    response = client.post(url, {"photos": [str(media.pk)], "children": [world.child.pk], "caption": "Rước đèn"})
    assert response.status_code == 302
    photo = EventPhoto.objects.get()
    assert (photo.media_id, photo.caption, list(photo.children.all())) == (media.pk, "Rước đèn", [world.child])


def test_the_gallery_runs_a_fixed_number_of_queries(client, world, festival, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    photo_make(festival, world.teacher, children=[world.child])
    _consent(world.parent, world.child)
    client.force_login(world.parent)
    url = reverse("community:event_gallery", args=[festival.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(10):
        photo_make(festival, world.teacher, children=[world.child, world.other_class_child])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_files_url_answers_as_the_gallery_does(client, world, festival, tmp_path):
    from mediafiles.services import media_ingest
    from tests.mediafiles.conftest import make_photo

    media = media_ingest(school=world.school, by=world.teacher, kind="image", path=make_photo(tmp_path / "a.jpg"))
    photo = EventPhoto.objects.create(school=world.school, event=festival, media=media, added_by=world.teacher)
    photo.children.set([world.child])
    media.refresh_from_db()
    url = media.photo_url
    client.force_login(world.principal)
    assert client.get(url).status_code == 200
    client.force_login(world.parent)
    assert client.get(url).status_code == 404  # no consent yet
    _consent(world.parent, world.child)
    assert client.get(url).status_code == 200
    _consent(world.parent, world.child, granted=False)
    assert client.get(url).status_code == 404
