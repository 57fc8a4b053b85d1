"""Who gets a video's original: its uploader, and the school's staff for what staff uploaded. Families
get the rendition, or "being prepared" while there is none; without ffmpeg (the embedded default) the
original is served to everyone, as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string

from mediafiles import access, services
from mediafiles.models import MediaFile, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone_may_view(world):
    """An app's resolver that lets every member of the school see every file (as activities do for a class)."""

    def resolver(user, media):
        return True

    access.register(resolver)
    yield resolver
    access.unregister(resolver)


@pytest.fixture
def no_ffmpeg(settings):
    settings.MEDIA_FFMPEG = "/nonexistent/bin/ffmpeg"
    settings.MEDIA_FFPROBE = "/nonexistent/bin/ffprobe"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def stored_bytes(name: str) -> bytes:
    return (Path(django_settings.MEDIA_ROOT) / name).read_bytes()


def player(media) -> str:
    return render_to_string("mediafiles/player.html", {"media": media})


def test_a_family_asking_for_a_teachers_original_is_sent_to_the_rendition(world, client, clip, everyone_may_view):
    video = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    client.force_login(world.parent)
    asked = client.get(f"/media/{video.pk}/original")
    assert asked.status_code == 302 and asked["Location"] == f"/media/{video.pk}/video"
    assert body(client.get(f"/media/{video.pk}/video")) == stored_bytes(video.rendition.name)


def test_the_schools_staff_get_a_teachers_original(world, client, clip, everyone_may_view):
    video = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    for person in (world.teacher, world.principal, world.other_teacher):
        client.force_login(person)
        response = client.get(f"/media/{video.pk}/original")
        assert response.status_code == 200, person
        assert body(response) == clip.read_bytes()


def test_a_familys_own_clip_stays_theirs_to_download_original_included(world, client, clip, everyone_may_view):
    answer_clip = services.media_ingest(school=world.school, by=world.parent, kind="video", path=clip)
    client.force_login(world.parent)
    assert body(client.get(f"/media/{answer_clip.pk}/original")) == clip.read_bytes()
    # The staff and other families get the rendition, without the family's metadata.
    for person in (world.teacher, world.other_parent):
        client.force_login(person)
        assert client.get(f"/media/{answer_clip.pk}/original")["Location"] == f"/media/{answer_clip.pk}/video"


@pytest.fixture
def served_as_uploaded(world, clip, settings):
    """A teacher's video made where ffmpeg was missing: ready, with no rendition."""
    real = settings.MEDIA_FFMPEG, settings.MEDIA_FFPROBE
    settings.MEDIA_FFMPEG, settings.MEDIA_FFPROBE = "/nonexistent/bin/ffmpeg", "/nonexistent/bin/ffprobe"
    video = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    settings.MEDIA_FFMPEG, settings.MEDIA_FFPROBE = real
    assert video.state == State.READY and not video.rendition
    return video


def test_where_renditions_can_be_made_a_family_waits_for_one_and_never_gets_the_original(
    world, client, served_as_uploaded, everyone_may_view
):
    video = served_as_uploaded
    client.force_login(world.parent)
    for variant in ("video", "original"):
        response = client.get(f"/media/{video.pk}/{variant}")
        assert response.status_code == 503, variant
        assert response["Retry-After"] == "60" and response["Cache-Control"] == "no-store"
        page = response.content.decode()
        assert "Video đang được xử lý" in page and "<video" not in page
    html = player(MediaFile.objects.get(pk=video.pk))
    assert "<video" not in html and "Video đang được xử lý" in html
    # Its uploader and the staff still have the original.
    client.force_login(world.principal)
    assert client.get(f"/media/{video.pk}/original").status_code == 200


def test_without_ffmpeg_everyone_gets_the_video_as_uploaded(world, client, clip, no_ffmpeg, everyone_may_view):
    video = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    assert video.shown_as_uploaded and not video.awaits_rendition
    client.force_login(world.parent)
    response = client.get(f"/media/{video.pk}/video")
    assert response.status_code == 200 and body(response) == clip.read_bytes()
    assert f'src="/media/{video.pk}/video"' in player(video)


def test_a_processing_video_is_being_prepared_in_the_player():
    media = MediaFile(kind="video", state=State.PROCESSING, size=1)
    assert media.awaits_rendition and not media.shown_as_uploaded
    assert "<video" not in player(media)
