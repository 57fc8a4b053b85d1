"""Processing with the real ffmpeg and Pillow: renditions, posters, thumbnails, metadata stripped."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from PIL import Image

from coordination.celery import app
from mediafiles import services, tasks
from mediafiles.models import MediaFile, State
from mediafiles.signals import media_processed
from tests.conftest import requires_binary
from tests.mediafiles.conftest import make_clip, make_photo

pytestmark = pytest.mark.django_db


def probe(path: Path) -> dict:
    ffprobe = requires_binary("ffprobe", "apt-get install ffmpeg")
    out = subprocess.run(
        [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        check=True,
        capture_output=True,
    ).stdout
    return json.loads(out)


def top_level_boxes(path: Path) -> list[str]:
    boxes, position, size = [], 0, path.stat().st_size
    with path.open("rb") as fh:
        while position < size:
            fh.seek(position)
            header = fh.read(16)
            length, name = int.from_bytes(header[:4], "big"), header[4:8].decode("latin-1")
            if length == 1:
                length = int.from_bytes(header[8:16], "big")
            boxes.append(name)
            position += length
    return boxes


def stored(name: str) -> Path:
    return Path(django_settings.MEDIA_ROOT) / name


def test_a_video_gets_a_small_h264_aac_rendition_that_starts_playing_at_once(world, tmp_path):
    clip = make_clip(tmp_path / "lesson.mp4", seconds=2, size="1280x720")
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)

    assert media.state == State.READY, media.failure_reason
    assert media.duration == pytest.approx(2.0, abs=0.1)
    assert (media.width, media.height) == (1280, 720)
    rendition = stored(media.rendition.name)
    description = probe(rendition)
    video = next(s for s in description["streams"] if s["codec_type"] == "video")
    audio = next(s for s in description["streams"] if s["codec_type"] == "audio")
    assert video["codec_name"] == "h264" and video["pix_fmt"] == "yuv420p"
    assert audio["codec_name"] == "aac"
    assert video["height"] <= 480 and video["height"] == 480
    assert video["width"] == 854  # the proportions kept, even
    assert float(description["format"]["duration"]) == pytest.approx(2.0, abs=0.2)
    boxes = top_level_boxes(rendition)
    assert boxes.index("moov") < boxes.index("mdat"), boxes  # +faststart

    with Image.open(stored(media.poster.name)) as poster:
        assert poster.format == "JPEG" and poster.size[1] <= 480
    with Image.open(stored(media.thumbnail.name)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= 360
    assert media.stored_bytes == media.size + sum(
        stored(f.name).stat().st_size
        for f in (
            media.rendition,
            media.poster,
            media.thumbnail,
            media.thumbnail_webp,
            media.preview,
            media.preview_webp,
        )
    )
    assert media.ready_at is not None
    assert media.playback_url == f"/media/{media.pk}/video"
    assert media.poster_url == f"/media/{media.pk}/poster"


def test_a_portrait_video_keeps_480_on_its_short_side(world, tmp_path):
    clip = make_clip(tmp_path / "phone.mp4", seconds=1, size="720x1280")
    media = services.media_ingest(school=world.school, by=world.parent, kind="video", path=clip)
    assert media.state == State.READY, media.failure_reason
    video = next(s for s in probe(stored(media.rendition.name))["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (480, 854)


def test_a_small_video_is_not_enlarged(world, clip):
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    video = next(s for s in probe(stored(media.rendition.name))["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (320, 240)


def test_a_video_without_sound_still_gets_a_rendition(world, tmp_path):
    clip = make_clip(tmp_path / "silent.mp4", seconds=1, audio=False)
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    assert media.state == State.READY, media.failure_reason
    kinds = {s["codec_type"] for s in probe(stored(media.rendition.name))["streams"]}
    assert kinds == {"video"}


def test_location_metadata_of_a_video_is_left_out_of_the_rendition(world, tmp_path):
    ffmpeg = requires_binary("ffmpeg", "apt-get install ffmpeg")
    plain = make_clip(tmp_path / "plain.mp4", seconds=1)
    tagged = tmp_path / "tagged.mp4"
    subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(plain), "-c", "copy", "-metadata", "location=+20.9000+106.6000/"]
        + [str(tagged)],
        check=True,
    )
    assert "106.6000" in json.dumps(probe(tagged)["format"].get("tags", {}))
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=tagged)
    assert "106.6000" not in json.dumps(probe(stored(media.rendition.name)))


def test_a_sound_recording_gets_an_aac_rendition(world, tmp_path):
    ffmpeg = requires_binary("ffmpeg", "apt-get install ffmpeg")
    song = tmp_path / "song.ogg"
    subprocess.run(
        [ffmpeg, "-v", "error", "-f", "lavfi", "-i", "sine=frequency=330:duration=1", "-c:a", "libvorbis", str(song)],
        check=True,
    )
    media = services.media_ingest(school=world.school, by=world.parent, kind="audio", path=song)
    assert media.state == State.READY, media.failure_reason
    assert media.content_type == "audio/ogg"
    streams = probe(stored(media.rendition.name))["streams"]
    assert [s["codec_name"] for s in streams] == ["aac"]


def gps_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # turned a quarter clockwise
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (20.0, 54.0, 0.0), "E", (106.0, 36.0, 0.0)
    return exif


def test_a_photo_is_served_re_encoded_upright_and_without_exif_or_gps(world, tmp_path):
    original = make_photo(tmp_path / "class.jpg", size=(200, 100), exif=gps_exif())
    with Image.open(original) as check:
        assert check.getexif().get_ifd(0x8825)  # the phone's photo has a position

    media = services.media_ingest(school=world.school, by=world.teacher, kind="image", path=original)
    assert media.state == State.READY, media.failure_reason
    assert (media.width, media.height) == (100, 200)  # as it is shown: turned
    for name in (media.rendition.name, media.thumbnail.name):
        with Image.open(stored(name)) as served:
            assert served.format == "JPEG"
            assert served.size[0] < served.size[1], "the orientation is applied to the pixels"
            exif = served.getexif()
            assert not exif.get_ifd(0x8825) and 0x010F not in exif and 0x0112 not in exif
            assert "exif" not in served.info
    # The original is kept as it came, for the uploader only (see test_downloads).
    assert stored(media.original.name).read_bytes() == original.read_bytes()


def test_a_transparent_png_is_flattened_on_white(world, tmp_path):
    path = tmp_path / "sticker.png"
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(path)
    media = services.media_ingest(school=world.school, by=world.teacher, kind="image", path=path)
    with Image.open(stored(media.rendition.name)) as served:
        assert served.getpixel((5, 5)) == (255, 255, 255)


def test_media_processed_is_sent_once_on_commit_when_ready(world, clip, django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, media, **kwargs):
        seen.append((sender, media.pk, media.state))

    media_processed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
            assert seen == []  # not before the commit
        # A second run of the task (a redelivered message) changes nothing and says nothing.
        tasks.media_process.delay(str(media.pk))
    finally:
        media_processed.disconnect(listener)
    assert seen == [(MediaFile, media.pk, State.READY)]


def test_media_processed_is_sent_when_a_file_fails(world, tmp_path, django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, media, **kwargs):
        seen.append((media.state, media.failure_reason))

    fake = tmp_path / "a.mp4"
    fake.write_bytes(b"not a video at all" * 100)
    media_processed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.media_ingest(school=world.school, by=world.parent, kind="video", path=fake)
    finally:
        media_processed.disconnect(listener)
    assert len(seen) == 1 and seen[0][0] == State.FAILED and seen[0][1]


def test_processing_runs_on_the_media_queue_late_acknowledged_and_time_limited():
    route = app.amqp.router.route({}, tasks.media_process.name)
    assert route["queue"].name == "media"
    assert app.amqp.router.route({}, tasks.media_uploads_sweep.name)["queue"].name == "media"
    task = tasks.media_process
    assert task.acks_late and task.reject_on_worker_lost
    assert task.soft_time_limit < task.time_limit
    assert task.max_retries >= 1


def test_a_file_that_keeps_killing_its_worker_is_given_up(world, clip, settings, django_capture_on_commit_callbacks):
    """acks_late redelivers the task after a worker died; the attempt count ends that."""
    with django_capture_on_commit_callbacks(execute=False):
        media = services.media_upload_start(
            school=world.school, by=world.teacher, kind="video", filename="x.mp4", size=clip.stat().st_size
        )
        services.media_upload_append(media=media, offset=0, stream=io.BytesIO(clip.read_bytes()), length=media.size)
    assert media.state == State.PROCESSING
    MediaFile.objects.filter(pk=media.pk).update(attempts=services.MAX_PROCESS_ATTEMPTS)
    assert services.media_process(media_id=media.pk) == State.FAILED
    media.refresh_from_db()
    assert media.failure_reason and not media.original


def test_a_lost_database_connection_is_retried_then_given_up(world, photo, monkeypatch):
    """Run in-process, the task does not wait for a retry: it records the failure."""
    from django.db import OperationalError

    media = services.media_ingest(school=world.school, by=world.teacher, kind="image", path=photo)
    MediaFile.objects.filter(pk=media.pk).update(state=State.PROCESSING)

    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "media_process", broken)
    assert tasks.media_process.delay(str(media.pk)).get() == "failed"
    media.refresh_from_db()
    assert media.state == State.FAILED and media.failure_reason


def test_deleting_a_file_removes_its_renditions_and_its_row(world, clip, settings, django_capture_on_commit_callbacks):
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    folder = stored(media.original.name).parent
    assert len(list(folder.iterdir())) == 7  # original, rendition, poster, thumbnail and preview (JPEG, WebP)
    with django_capture_on_commit_callbacks(execute=True):
        services.media_delete(media=media)
    assert not MediaFile.objects.exists()
    assert not folder.exists()
