"""Voice in home activities: the teacher's voice instructions (beside or instead of the video), and
families answering with a voice recording; both played back through the activity's access rules."""

from __future__ import annotations

import pytest
from django.utils import translation

from activities.models import Activity, Answer
from activities.services import answer_offer
from mediafiles import usage
from mediafiles.models import MediaFile
from parents.models import ConsentPurpose
from parents.selectors import consent_granted_child_ids
from tests import factories as f
from tests.activities.makers import activity_make, answer_make, clip_make, photo_make, voice_make
from tests.activities.test_media_access import walk
from tests.matrix_kit import expect
from tests.mediafiles.conftest import make_sound, upload_file

pytestmark = pytest.mark.django_db


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def form_data(world, **extra) -> dict:
    data = {
        "title": "Kể chuyện về một tấm ảnh gia đình",
        "domain": "language",
        "age_group": "la",
        "classrooms": [world.classroom.pk],
        "instructions": "Cùng bé xem một tấm ảnh và kể lại.",
        "answer_by": "",
        "video": "",
        "voice": "",
        "publish": "1",
    }
    data.update(extra)
    return data


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- The teacher's voice instructions -----------------------------------------------------------------


def test_a_teacher_publishes_an_activity_with_only_her_voice_and_families_hear_it(
    client, world, classmate_parent, django_capture_on_commit_callbacks
):
    voice = voice_make(school=world.school, by=world.teacher, seconds=2)
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/schools/{world.school.slug}/activities/new/", form_data(world, voice=str(voice.pk)))

    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.is_published
    assert activity.voice == voice and activity.video is None

    client.force_login(world.parent)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert vi("Listen to the teacher") in page
    assert f'<audio controls preload="none" src="/media/{voice.pk}/video"' in page
    feed = client.get(f"/children/{world.child.pk}/activities/").content.decode()
    assert f'src="/media/{voice.pk}/video"' in feed
    played = client.get(f"/media/{voice.pk}/video", headers={"Range": "bytes=0-99"})
    assert played.status_code == 206 and played["Content-Type"] == "audio/mp4"


def test_voice_instructions_go_beside_the_video(client, world, django_capture_on_commit_callbacks):
    video = clip_make(school=world.school, by=world.teacher)
    voice = voice_make(school=world.school, by=world.teacher)
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/schools/{world.school.slug}/activities/new/",
            form_data(world, video=str(video.pk), voice=str(voice.pk)),
        )
    activity = Activity.objects.get()
    assert (activity.video, activity.voice) == (video, voice)
    client.force_login(world.parent)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert (
        f"/media/{voice.pk}/video" in page
        and f'<video controls preload="none" playsinline src="/media/{video.pk}/video"' in page
    )


def test_a_photo_is_not_voice_instructions(client, world):
    photo = photo_make(school=world.school, by=world.teacher)
    client.force_login(world.teacher)
    response = client.post(f"/schools/{world.school.slug}/activities/new/", form_data(world, voice=str(photo.pk)))
    assert response.status_code == 200
    assert vi("This file is not a sound recording. Record your voice or choose a sound file.") in (
        response.content.decode()
    )
    assert not Activity.objects.exists()


def test_the_activity_waits_for_the_recording_to_be_prepared(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    recording = make_sound(tmp_path / "recording.webm", seconds=1, fmt="webm", pipe=True)
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        media_id, response = upload_file(client, school=world.school, path=recording, kind="audio")
    assert response.status_code == 202
    client.post(f"/schools/{world.school.slug}/activities/new/", form_data(world, voice=media_id))
    activity = Activity.objects.get()
    assert activity.is_waiting and activity.voice_id is not None

    with django_capture_on_commit_callbacks(execute=True):
        from mediafiles import tasks

        tasks.media_process.apply(args=[media_id])
    activity.refresh_from_db()
    assert activity.is_published


def test_the_teacher_removes_her_voice_from_a_draft(client, world):
    voice = voice_make(school=world.school, by=world.teacher)
    photo = photo_make(school=world.school, by=world.teacher)
    activity = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], published=False, voice=voice
    )
    client.force_login(world.teacher)
    form = client.get(f"/activities/{activity.pk}/edit/").content.decode()
    assert f'name="voice" value="{voice.pk}"' in form and 'name="remove_voice"' in form
    client.post(
        f"/activities/{activity.pk}/edit/",
        form_data(world, voice=str(voice.pk), remove_voice="1", photo_1=str(photo.pk), draft="1"),
    )
    activity.refresh_from_db()
    assert activity.voice is None
    assert voice.pk not in usage.in_use([voice.pk])  # the daily cleanup may take it now


def test_the_voice_instructions_are_heard_by_whoever_sees_the_activity(client, world):
    voice = voice_make(school=world.school, by=world.teacher)
    activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], voice=voice)
    assert voice.pk in usage.in_use([voice.pk])
    got = walk(client, world, f"/media/{voice.pk}/video")
    assert got == expect(parent=200, teacher=200, leaders=200)
    # Families are sent from the original to the rendition, the staff keep what was recorded.
    client.force_login(world.parent)
    assert client.get(f"/media/{voice.pk}/original")["Location"] == f"/media/{voice.pk}/video"


# --- Families answer with their voice ------------------------------------------------------------------


def answer_url(activity, child) -> str:
    return f"/activities/{activity.pk}/children/{child.pk}/answer/"


@pytest.fixture
def activity(world):
    return activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])


def test_a_family_answers_with_a_voice_recording_and_the_teacher_plays_it(client, world, activity):
    recording = voice_make(school=world.school, by=world.parent, seconds=2)
    client.force_login(world.parent)
    response = client.post(answer_url(activity, world.child), {"voice": str(recording.pk), "note": "Bé kể"})
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.media == recording and answer.media.kind == "audio"
    mine = client.get(f"/activities/{activity.pk}/").content.decode()
    assert f'<audio controls preload="none" src="/media/{recording.pk}/video"' in mine

    client.force_login(world.teacher)
    page = client.get(f"/activities/{activity.pk}/participation/").content.decode()
    assert f'<audio controls preload="none" src="/media/{recording.pk}/video"' in page
    played = client.get(f"/media/{recording.pk}/video")
    assert played.status_code == 200 and played["Content-Type"] == "audio/mp4"
    assert body(played)[4:8] == b"ftyp"  # an MP4 (AAC in .m4a) that every phone plays


def test_an_answer_is_one_thing_not_a_photo_and_a_recording(client, world, activity):
    photo = photo_make(school=world.school, by=world.parent)
    recording = voice_make(school=world.school, by=world.parent)
    client.force_login(world.parent)
    response = client.post(answer_url(activity, world.child), {"photo": str(photo.pk), "voice": str(recording.pk)})
    assert response.status_code == 200
    assert vi("Send one thing: a photo, a clip or a voice recording.") in response.content.decode()
    assert not Answer.objects.exists()


def test_a_voice_answer_is_heard_only_by_the_family_and_the_staff(client, world, activity):
    recording = voice_make(school=world.school, by=world.parent)
    answer_make(activity=activity, child=world.child, by=world.parent, media=recording)
    assert walk(client, world, f"/media/{recording.pk}/video") == expect(parent=200, teacher=200, leaders=200)


def test_offering_a_voice_answer_to_the_class_follows_the_shared_consent(client, world, activity, classmate_parent):
    recording = voice_make(school=world.school, by=world.parent)
    answer = answer_make(activity=activity, child=world.child, by=world.parent, media=recording)
    with translation.override("en"), pytest.raises(Exception, match="shared class galleries"):
        answer_offer(answer=answer, by=world.parent)

    f.ConsentFactory(child=world.child, guardian=world.parent, purpose=ConsentPurpose.SHARED_PHOTOS, granted=True)
    answer_offer(answer=answer, by=world.parent)
    Answer.objects.filter(pk=answer.pk).update(sharing=Answer.Sharing.APPROVED)
    client.force_login(classmate_parent)
    assert client.get(f"/media/{recording.pk}/video").status_code == 200
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert f'src="/media/{recording.pk}/video"' in page


# --- Consent to voice recordings ------------------------------------------------------------------------


def test_the_family_consent_page_asks_about_voice_recordings_and_records_the_answer(client, world):
    client.force_login(world.parent)
    url = f"/children/{world.child.pk}/consents/"
    page = client.get(url).content.decode()
    assert vi("Voice recordings of my child") in page
    assert consent_granted_child_ids(child_ids=[world.child.pk], purpose=ConsentPurpose.VOICE_RECORDINGS) == set()
    client.post(url, {"purpose": ConsentPurpose.VOICE_RECORDINGS, "decision": "grant"})
    assert consent_granted_child_ids(child_ids=[world.child.pk], purpose=ConsentPurpose.VOICE_RECORDINGS) == {
        world.child.pk
    }
    assert MediaFile.objects.count() == 0  # nothing about files: consent alone
