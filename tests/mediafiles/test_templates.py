"""The two includes other apps use: the upload widget and the player."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from mediafiles import services
from mediafiles.models import MediaFile, State

pytestmark = pytest.mark.django_db


def player(media, **extra) -> str:
    return render_to_string("mediafiles/player.html", {"media": media, **extra})


def test_a_ready_video_plays_with_its_poster_and_runs_no_query(world, clip, django_assert_num_queries):
    video = MediaFile.objects.get(
        pk=services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip).pk
    )
    with django_assert_num_queries(0):
        html = player(video)
    assert '<video controls preload="none" playsinline' in html
    assert f'src="/media/{video.pk}/video"' in html
    assert f'poster="/media/{video.pk}/poster"' in html
    assert 'width="320" height="240"' in html


def test_a_ready_photo_is_a_lazy_thumbnail_linking_to_the_photo(world, photo, django_assert_num_queries):
    picture = MediaFile.objects.get(
        pk=services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo).pk
    )
    with django_assert_num_queries(0):
        html = player(picture, alt="Bé Khôi vẽ con mèo")
    assert f'<a href="/media/{picture.pk}/original"><picture class="media-picture">' in html
    assert f'<source type="image/webp" srcset="/media/{picture.pk}/thumb-webp">' in html
    assert (
        f'<img loading="lazy" src="/media/{picture.pk}/thumb" alt="Bé Khôi vẽ con mèo" width="64" height="48">' in html
    )


def test_a_list_of_media_from_the_database_renders_without_queries(world, clip, photo, django_assert_num_queries):
    services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo)
    media = list(MediaFile.objects.all())
    with django_assert_num_queries(0):
        for item in media:
            player(item)


@pytest.mark.parametrize(
    ("state", "reason", "shown"),
    [
        (State.PROCESSING, "", "đang được xử lý"),
        (State.UPLOADING, "", "chưa được tải lên xong"),
        (State.FAILED, "This recording is too long (3:30).", "This recording is too long (3:30)."),
    ],
)
def test_a_video_not_ready_shows_its_state_never_a_broken_player(state, reason, shown, django_assert_num_queries):
    media = MediaFile(kind="video", state=state, failure_reason=reason, size=1)
    with django_assert_num_queries(0):
        html = player(media)
    assert "<video" not in html and "<img" not in html
    assert shown in html


def test_no_media_renders_nothing():
    assert player(None).strip() == ""


def widget(world, **params) -> str:
    request = RequestFactory().get("/")
    request.user = world.teacher
    return render_to_string(
        "mediafiles/upload_widget.html", {"school": world.school, "name": "video", **params}, request=request
    )


def test_the_upload_widget_has_a_labelled_input_a_progress_bar_a_status_and_the_hidden_id(world):
    html = widget(world, kind="video", label="Video of the activity")
    assert '<label for="video-file">Video of the activity</label>' in html
    assert 'type="file" id="video-file"' in html and 'accept="video/*"' in html
    assert '<progress id="video-progress" max="100" value="0" aria-labelledby="video-progress-label"' in html
    assert 'role="status" aria-live="polite"' in html
    assert '<input type="hidden" name="video" value=""' in html
    assert f'data-school="{world.school.pk}"' in html and 'data-kind="video"' in html
    assert 'data-start-url="/media/uploads/"' in html
    assert "js/upload.js" in html


def test_the_upload_widget_takes_photos(world):
    html = widget(world, kind="image", name="photo")
    assert 'accept="image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"' in html
    assert 'name="photo"' in html and 'data-kind="image"' in html


def no_inline_code(html: str) -> None:
    """The Content-Security-Policy allows scripts and styles only from the site's files."""
    assert "style=" not in html and "<style" not in html
    scripts = html.split("<script")[1:]
    assert scripts and all(tag.startswith(" src=") for tag in scripts)


def test_the_recorder_has_labelled_buttons_a_live_status_and_a_file_to_pick_instead(world, settings):
    settings.MEDIA_AUDIO_MAX_SECONDS = 240
    request = RequestFactory().get("/")
    request.user = world.parent
    with translation.override("en"):
        html = render_to_string(
            "mediafiles/recorder.html",
            {"school": world.school, "name": "voice", "label": "Your answer"},
            request=request,
        )
    assert "<legend>Your answer</legend>" in html
    assert 'data-media-recorder data-max-seconds="240"' in html
    for action, text in [
        ("start", "Record"),
        ("stop", "Stop"),
        ("play", "Listen again"),
        ("again", "Record again"),
        ("send", "Send the recording"),
    ]:
        assert re.search(rf'<button type="button"[^>]* data-recorder-{action}( hidden)?>{text}</button>', html), action
    assert 'role="status" aria-live="polite" data-recorder-status' in html
    assert 'role="timer"' in html
    # Hidden until the script finds that the browser can record; the file input always works.
    assert "data-recorder-controls hidden" in html
    assert (
        'type="file" id="voice-file" data-media-file aria-describedby="voice-status" accept="audio/*" capture>' in html
    )
    assert 'data-kind="audio"' in html and '<input type="hidden" name="voice" value=""' in html
    assert "js/recorder.js" in html and "js/upload.js" in html
    no_inline_code(html)


def test_the_many_files_widget_picks_several_photos_or_takes_one_with_the_camera(world):
    request = RequestFactory().get("/")
    request.user = world.teacher
    with translation.override("en"):
        html = render_to_string(
            "mediafiles/upload_many.html", {"school": world.school, "name": "photos", "camera": True}, request=request
        )
    assert 'data-media-upload-many data-name="photos" data-kind="image"' in html
    assert 'data-parallel="3"' in html
    assert '<label for="photos-files">' in html
    assert 'type="file" id="photos-files" multiple data-media-files' in html
    assert 'accept="image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"' in html
    assert 'type="file" id="photos-camera" data-media-files capture="environment"' in html
    assert 'role="status" aria-live="polite" data-media-summary' in html
    assert '<ol class="media-upload-list" data-media-list' in html
    no_inline_code(html)
