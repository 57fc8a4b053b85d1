"""On a laptop without ffmpeg, uploads still work: the original is served and a system check warns."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import checks

from mediafiles.checks import ffmpeg_check
from mediafiles.models import State
from tests.mediafiles.conftest import upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_ffmpeg(settings):
    settings.MEDIA_FFMPEG = "/nonexistent/bin/ffmpeg"
    settings.MEDIA_FFPROBE = "/nonexistent/bin/ffprobe"


def test_the_system_check_warns_without_ffmpeg(no_ffmpeg):
    warnings = ffmpeg_check(None)
    assert [w.id for w in warnings] == ["mediafiles.W001"]
    assert warnings[0].level == checks.WARNING
    assert "Không tìm thấy ffmpeg, ffprobe" in warnings[0].msg
    assert "apt-get install ffmpeg" in warnings[0].hint


def test_the_check_is_registered_and_quiet_with_ffmpeg():
    from tests.conftest import requires_binary

    requires_binary("ffmpeg", "apt-get install ffmpeg")
    assert "mediafiles.W001" not in [m.id for m in checks.run_checks()]


def test_a_video_is_ready_and_served_as_uploaded(world, client, clip, no_ffmpeg, django_capture_on_commit_callbacks):
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        media_id, last = upload_file(client, school=world.school, path=clip)
    assert last.status_code == 202
    status = client.get(f"/media/uploads/{media_id}/status/").json()
    assert status["state"] == State.READY
    assert status["urls"]["video"] == f"/media/{media_id}/video"
    assert status["urls"]["poster"] is None and status["urls"]["thumb"] is None
    assert status["duration"] is None  # nothing to measure it with

    response = client.get(status["urls"]["video"], headers={"Range": "bytes=0-15"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == clip.read_bytes()[:16]
    assert response["Content-Type"] == "video/mp4"


def test_without_ffprobe_the_content_is_still_checked(world, tmp_path, no_ffmpeg):
    from mediafiles import services

    exe = tmp_path / "video.mp4"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    media = services.media_ingest(school=world.school, by=world.parent, kind="video", path=exe)
    assert media.state == State.FAILED and "không phải là video" in media.failure_reason


def test_photos_do_not_need_ffmpeg(world, photo, no_ffmpeg):
    from mediafiles import services

    media = services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo)
    assert media.state == State.READY and media.thumbnail and media.rendition
    assert Path(media.thumbnail.name).name == "thumb.jpg"
