"""A guardian answers for a child with a photo or a short clip and a note; the answer stays with the family
and the staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from activities import services
from activities.models import Answer
from mediafiles import services as media_services
from tests.activities.makers import activity_make, answer_make, clip_make, photo_make
from tests.conftest import requires_binary

pytestmark = pytest.mark.django_db


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


@pytest.fixture
def activity(world):
    return activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])


def answer_url(activity, child) -> str:
    return f"/activities/{activity.pk}/children/{child.pk}/answer/"


def test_a_parent_answers_with_a_photo_and_a_note(client, world, activity):
    photo = photo_make(school=world.school, by=world.parent)
    client.force_login(world.parent)
    form = client.get(answer_url(activity, world.child)).content.decode()
    assert 'data-kind="image"' in form and 'data-kind="video"' in form

    response = client.post(answer_url(activity, world.child), {"photo": str(photo.pk), "note": "Bé gấp được 3 chiếc!"})

    assert response.status_code == 302 and response["Location"] == f"/activities/{activity.pk}/"
    answer = Answer.objects.get()
    assert (answer.child, answer.guardian, answer.media, answer.classroom) == (
        world.child,
        world.parent,
        photo,
        world.classroom,
    )
    assert answer.sharing == "private" and answer.school == world.school
    page = client.get(response["Location"]).content.decode()
    assert "Bé gấp được 3 chiếc!" in page and f"/media/{photo.pk}/thumb" in page
    assert vi("Only our family and the teachers") in page


def test_a_parent_answers_with_a_short_clip(client, world, activity):
    requires_binary("ffmpeg", "apt-get install ffmpeg")
    clip = clip_make(school=world.school, by=world.parent)
    client.force_login(world.parent)
    client.post(answer_url(activity, world.child), {"clip": str(clip.pk)})
    assert Answer.objects.get().media == clip


def test_the_answer_is_shown_to_the_family_and_the_staff_only(client, world, activity):
    answer = answer_make(activity=activity, child=world.child, by=world.parent, note="Ghi chú riêng của gia đình")
    for person, sees in [
        (world.parent, True),
        (world.teacher, True),
        (world.principal, True),
        (world.other_parent, False),
        (world.other_teacher, False),
    ]:
        client.force_login(person)
        detail = client.get(f"/activities/{activity.pk}/")
        shown = detail.status_code == 200 and "Ghi chú riêng của gia đình" in detail.content.decode()
        if person in (world.teacher, world.principal):
            shown = (
                "Ghi chú riêng của gia đình" in client.get(f"/activities/{activity.pk}/participation/").content.decode()
            )
        assert shown is sees, person
        assert (client.get(f"/media/{answer.media.pk}/thumb").status_code == 200) is sees, person


def test_one_answer_per_child(client, world, activity):
    answer_make(activity=activity, child=world.child, by=world.parent)
    photo = photo_make(school=world.school, by=world.parent)
    client.force_login(world.parent)
    response = client.post(answer_url(activity, world.child), {"photo": str(photo.pk)})
    assert response.status_code == 200
    assert vi("%(child)s already has an answer to this activity.") % {"child": world.child.given_name} in (
        response.content.decode()
    )
    assert Answer.objects.count() == 1


def test_an_answer_without_a_photo_or_clip_is_refused(client, world, activity):
    client.force_login(world.parent)
    response = client.post(answer_url(activity, world.child), {"note": "Chỉ có ghi chú"})
    refused = vi("Add a photo, a short clip or a voice recording of your child doing the activity.")
    assert refused in response.content.decode()
    assert not Answer.objects.exists()


def test_a_failed_clip_is_refused_with_its_reason(client, world, activity, tmp_path):
    bogus = tmp_path / "clip.mp4"
    bogus.write_bytes(b"not a video" * 200)
    failed = media_services.media_ingest(school=world.school, by=world.parent, kind="video", path=bogus)
    client.force_login(world.parent)
    response = client.post(answer_url(activity, world.child), {"clip": str(failed.pk)})
    assert failed.failure_reason in response.content.decode()
    assert not Answer.objects.exists()


def test_a_file_uploaded_by_someone_else_is_refused(client, world, activity):
    theirs = photo_make(school=world.school, by=world.teacher)
    client.force_login(world.parent)
    response = client.post(answer_url(activity, world.child), {"photo": str(theirs.pk)})
    assert vi("This file was not found. Please upload it again.") in response.content.decode()
    assert not Answer.objects.exists()


def test_an_answer_to_a_draft_activity_is_refused_with_a_message(world):
    draft = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], published=False)
    photo = photo_make(school=world.school, by=world.parent)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.answer_create(activity=draft, child=world.child, by=world.parent, media=photo.pk)
    assert refused.value.messages == [vi("This activity is not published yet, so it cannot be answered.")]
    assert not Answer.objects.exists()


def test_nobody_answers_for_someone_elses_child_or_a_child_of_another_class(client, world, activity):
    photo = photo_make(school=world.school, by=world.other_parent)
    client.force_login(world.other_parent)
    assert client.get(answer_url(activity, world.child)).status_code == 404
    assert client.post(answer_url(activity, world.other_class_child), {"photo": str(photo.pk)}).status_code == 404
    client.force_login(world.parent)
    # The sibling is in Mầm 1, which the activity was not sent to.
    assert client.get(answer_url(activity, world.sibling)).status_code == 404
    assert not Answer.objects.exists()


def test_the_feed_shows_which_activities_are_answered(client, world, activity):
    other = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title="Chưa trả lời")
    answer_make(activity=activity, child=world.child, by=world.parent)
    client.force_login(world.parent)
    page = client.get(f"/children/{world.child.pk}/activities/").content.decode()
    assert page.count(vi("Answered")) == 1
    assert answer_url(other, world.child) in page and answer_url(activity, world.child) not in page
