"""The two includes other apps use: the upload widget and the player."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

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
    assert f'<a href="/media/{picture.pk}/original"><img loading="lazy" src="/media/{picture.pk}/thumb"' in html
    assert 'alt="Bé Khôi vẽ con mèo"' in html
    assert 'width="64" height="48"' in html


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
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in html
    assert 'name="photo"' in html and 'data-kind="image"' in html
