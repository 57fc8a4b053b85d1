"""An activity's video reaches families as its small rendition, never as the teacher's original; while
there is none they see "being prepared". Without ffmpeg (the embedded default) the video is shown as
uploaded, and the teacher is told so on the activity's page and form."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.utils import translation

from tests.activities.makers import activity_make, answer_make
from tests.mediafiles.conftest import make_clip

pytestmark = pytest.mark.django_db

AS_UPLOADED = (
    "Families see this video as it was uploaded: this server cannot make the smaller copy for phones, "
    "so it may load slowly or not play on some phones."
)
WIDGET_NOTE = "This server cannot convert videos: yours will be shown as uploaded"


@pytest.fixture
def no_ffmpeg(settings):
    settings.MEDIA_FFMPEG = "/nonexistent/bin/ffmpeg"
    settings.MEDIA_FFPROBE = "/nonexistent/bin/ffprobe"


def video_of(world, *, by=None):
    from mediafiles import services

    with tempfile.TemporaryDirectory() as tmp:
        path = make_clip(Path(tmp) / "huong-dan.mp4", seconds=1, size="160x120")
        return services.media_ingest(school=world.school, by=by or world.teacher, kind="video", path=path)


def in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_a_family_plays_the_rendition_and_cannot_fetch_the_original(client, world):
    video = video_of(world)
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], video=video)
    client.force_login(world.parent)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert f'src="/media/{video.pk}/video"' in page
    assert client.get(f"/media/{video.pk}/video")["Content-Type"] == "video/mp4"
    original = client.get(f"/media/{video.pk}/original")
    assert original.status_code == 302 and original["Location"] == f"/media/{video.pk}/video"


def test_a_video_without_a_rendition_is_being_prepared_for_families(client, world, settings):
    real = settings.MEDIA_FFMPEG, settings.MEDIA_FFPROBE
    settings.MEDIA_FFMPEG, settings.MEDIA_FFPROBE = "/nonexistent/bin/ffmpeg", "/nonexistent/bin/ffprobe"
    video = video_of(world)  # made where ffmpeg was missing
    settings.MEDIA_FFMPEG, settings.MEDIA_FFPROBE = real  # and now renditions can be made
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], video=video)
    client.force_login(world.parent)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert "<video" not in page
    with translation.override("vi"):
        assert translation.gettext("The video is being prepared. Please come back in a few minutes.") in page
    assert client.get(f"/media/{video.pk}/video").status_code == 503
    assert client.get(f"/media/{video.pk}/original").status_code == 503
    client.force_login(world.teacher)
    assert client.get(f"/media/{video.pk}/original").status_code == 200


def test_without_ffmpeg_the_video_is_shown_as_uploaded_and_the_teacher_is_told(client, world, settings, no_ffmpeg):
    video = video_of(world)
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], video=video)
    client.force_login(world.parent)
    in_english(client, settings)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert f'src="/media/{video.pk}/video"' in page
    assert client.get(f"/media/{video.pk}/video").status_code == 200
    assert AS_UPLOADED not in page  # for the staff only

    client.force_login(world.teacher)
    assert AS_UPLOADED in client.get(f"/activities/{activity.pk}/").content.decode()


def test_the_form_tells_the_teacher_when_videos_are_shown_as_uploaded(client, world, settings, no_ffmpeg):
    video = video_of(world)
    draft = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], video=video, published=False
    )
    client.force_login(world.teacher)
    in_english(client, settings)
    edit = client.get(f"/activities/{draft.pk}/edit/").content.decode()
    assert AS_UPLOADED in edit and WIDGET_NOTE in edit
    new = client.get(f"/schools/{world.school.slug}/activities/new/").content.decode()
    assert WIDGET_NOTE in new


def test_with_ffmpeg_the_teacher_is_not_told_anything(client, world, settings):
    video = video_of(world)
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], video=video)
    client.force_login(world.teacher)
    in_english(client, settings)
    assert AS_UPLOADED not in client.get(f"/activities/{activity.pk}/").content.decode()
    assert WIDGET_NOTE not in client.get(f"/schools/{world.school.slug}/activities/new/").content.decode()


def test_a_familys_answer_clip_is_theirs_to_download_as_sent(client, world):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    with tempfile.TemporaryDirectory() as tmp:
        path = make_clip(Path(tmp) / "be-khoi.mp4", seconds=1, size="160x120")
        sent = path.read_bytes()
        from mediafiles import services

        clip = services.media_ingest(school=world.school, by=world.parent, kind="video", path=path)
    answer = answer_make(activity=activity, child=world.child, by=world.parent, media=clip)
    client.force_login(world.parent)
    response = client.get(f"/media/{answer.media_id}/original")
    assert b"".join(response.streaming_content) == sent
    client.force_login(world.teacher)  # the teacher watches the rendition
    assert client.get(f"/media/{answer.media_id}/original").status_code == 302
