"""Sound recordings with the real ffmpeg: what browsers record (WebM/Opus, Ogg/Opus, MP4/AAC) and the
common files (M4A, MP3, WAV) are taken in by their content, get a mono AAC rendition that every phone
plays, and are refused past MEDIA_AUDIO_MAX_SECONDS with a clear message."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from mediafiles import access, services
from mediafiles.models import MediaFile, State
from tests.conftest import requires_binary
from tests.mediafiles.conftest import make_sound, stray_files, upload_processed

pytestmark = pytest.mark.django_db


def probe(path: Path) -> dict:
    ffprobe = requires_binary("ffprobe", "apt-get install ffmpeg")
    out = subprocess.run(
        [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        check=True,
        capture_output=True,
    ).stdout
    return json.loads(out)


def stored(name: str) -> Path:
    return Path(django_settings.MEDIA_ROOT) / name


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def everyone_may_view():
    def resolver(user, media):
        return True

    access.register(resolver)
    yield resolver
    access.unregister(resolver)


@pytest.fixture
def parent_in_english(world):
    world.parent.language = "en"  # the worker speaks the uploader's language
    world.parent.save(update_fields=["language"])
    return world.parent


def assert_plays_on_every_phone(media: MediaFile, seconds: float) -> None:
    description = probe(stored(media.rendition.name))
    (stream,) = description["streams"]
    assert stream["codec_name"] == "aac" and stream["channels"] == 1
    assert "mp4" in description["format"]["format_name"]
    assert int(description["format"]["bit_rate"]) <= 80_000  # a modest bitrate for slow connections
    assert float(description["format"]["duration"]) == pytest.approx(seconds, abs=0.2)
    assert media.rendition.name.endswith(".m4a")


def test_a_browsers_webm_opus_recording_gets_an_aac_rendition(
    world, client, tmp_path, django_capture_on_commit_callbacks
):
    """MediaRecorder writes WebM as it goes, so its header has no duration: it is measured."""
    recording = make_sound(tmp_path / "recording.webm", seconds=3, codec="libopus", fmt="webm", pipe=True)
    assert "duration" not in probe(recording)["format"]  # as Chrome's and Firefox's recordings
    client.force_login(world.parent)

    media_id, last, status = upload_processed(
        client, django_capture_on_commit_callbacks, school=world.school, path=recording, kind="audio"
    )

    assert last.status_code == 202
    assert status["state"] == "ready", status["reason"]
    assert status["urls"]["video"] == f"/media/{media_id}/video"
    media = MediaFile.objects.get(pk=media_id)
    assert media.content_type == "audio/webm"
    assert media.duration == pytest.approx(3.0, abs=0.1)
    assert_plays_on_every_phone(media, 3.0)


@pytest.mark.parametrize(
    ("name", "codec", "fmt", "extra", "content_type"),
    [
        ("recording.ogg", "libopus", "ogg", (), "audio/ogg"),  # Firefox's MediaRecorder
        # Safari's MediaRecorder: fragmented MP4 with AAC.
        ("recording.mp4", "aac", "mp4", ("-movflags", "frag_keyframe+empty_moov"), "audio/mp4"),
        ("ghi-am.m4a", "aac", "ipod", (), "audio/mp4"),  # a phone's voice memo
        ("bai-hat.mp3", "libmp3lame", "mp3", (), "audio/mpeg"),
        ("ghi-am.wav", "pcm_s16le", "wav", (), "audio/wav"),
    ],
)
def test_recordings_and_common_sound_files_are_accepted(world, tmp_path, name, codec, fmt, extra, content_type):
    sound = make_sound(tmp_path / name, seconds=2, codec=codec, fmt=fmt, extra=extra)
    media = services.media_ingest(school=world.school, by=world.parent, kind="audio", path=sound)
    assert media.state == State.READY, media.failure_reason
    assert media.content_type == content_type
    assert media.duration == pytest.approx(2.0, abs=0.1)
    assert_plays_on_every_phone(media, 2.0)


def test_a_recording_over_the_limit_is_refused_with_the_reason(world, tmp_path, settings, parent_in_english):
    settings.MEDIA_AUDIO_MAX_SECONDS = 3
    recording = make_sound(tmp_path / "recording.webm", seconds=5, fmt="webm", pipe=True)
    media = services.media_ingest(school=world.school, by=world.parent, kind="audio", path=recording)
    assert media.state == State.FAILED
    assert media.failure_reason == "This recording is too long (0:05). Recordings may be at most 0:03."
    assert stray_files(settings.MEDIA_ROOT) == []


def test_the_recordings_limit_is_its_own_not_the_videos(world, tmp_path, settings):
    settings.MEDIA_FAMILY_MAX_SECONDS = 1  # families' clips
    settings.MEDIA_AUDIO_MAX_SECONDS = 60
    recording = make_sound(tmp_path / "recording.ogg", seconds=3, fmt="ogg")
    media = services.media_ingest(school=world.school, by=world.parent, kind="audio", path=recording)
    assert media.state == State.READY, media.failure_reason


def test_a_video_is_not_a_sound_recording_when_it_has_no_sound(world, tmp_path, parent_in_english):
    from tests.mediafiles.conftest import make_clip

    clip = make_clip(tmp_path / "silent.mp4", seconds=1, audio=False)
    media = services.media_ingest(school=world.school, by=world.parent, kind="audio", path=clip)
    assert media.state == State.FAILED
    assert media.failure_reason.startswith("This file is not a sound recording that we can play.")


def test_families_get_the_teachers_recording_as_its_rendition_with_ranges(world, client, tmp_path, everyone_may_view):
    recording = make_sound(tmp_path / "huong-dan.webm", seconds=2, fmt="webm", pipe=True)
    voice = services.media_ingest(school=world.school, by=world.teacher, kind="audio", path=recording)
    client.force_login(world.parent)

    asked = client.get(f"/media/{voice.pk}/original")
    assert asked.status_code == 302 and asked["Location"] == f"/media/{voice.pk}/video"
    whole = client.get(voice.playback_url)
    assert whole.status_code == 200 and whole["Content-Type"] == "audio/mp4"
    data = stored(voice.rendition.name).read_bytes()
    assert body(whole) == data
    part = client.get(voice.playback_url, headers={"Range": "bytes=100-"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-{len(data) - 1}/{len(data)}"
    assert body(part) == data[100:]
    # The staff keep the original as recorded.
    client.force_login(world.principal)
    assert body(client.get(f"/media/{voice.pk}/original")) == recording.read_bytes()
