"""Bad files get a clear message and leave nothing behind: no half-made row, no stray file."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mediafiles import services
from mediafiles.models import MediaFile, State
from tests.mediafiles.conftest import make_clip, stray_files, upload_processed

pytestmark = pytest.mark.django_db


def assert_failed_cleanly(media: MediaFile, root: Path, *words: str) -> None:
    media.refresh_from_db()
    assert media.state == State.FAILED
    for word in words:
        assert word in media.failure_reason, media.failure_reason
    assert not (media.original or media.rendition or media.poster or media.thumbnail)
    assert media.stored_bytes == 0
    assert stray_files(root) == [], "a failed file leaves no bytes anywhere"


def png_bomb(path: Path, width: int = 30_000, height: int = 30_000) -> Path:
    """A PNG of a few hundred bytes that claims 900 million pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1000)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    return path


def test_an_exe_renamed_as_a_video_is_refused(world, tmp_path, settings, client, django_capture_on_commit_callbacks):
    exe = tmp_path / "bai-hat.mp4"
    exe.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(range(256)) * 40)
    client.force_login(world.parent)
    media_id, last, status = upload_processed(client, django_capture_on_commit_callbacks, school=world.school, path=exe)
    assert last.status_code == 202
    assert status["state"] == "failed" and "không phải là video" in status["reason"]
    assert_failed_cleanly(MediaFile.objects.get(pk=media_id), settings.MEDIA_ROOT, "không phải là video")


def test_a_text_file_is_not_a_video_even_to_ffprobe(world, tmp_path, settings):
    """ffprobe reads any text as an "ansi" video: only real containers count."""
    text = tmp_path / "notes.mov"
    text.write_text("Bé Khôi vẽ con mèo.\n" * 200)
    media = services.media_ingest(school=world.school, by=world.parent, kind="video", path=text)
    assert_failed_cleanly(media, settings.MEDIA_ROOT, "không phải là video")


@pytest.mark.parametrize("faststart", [False, True], ids=["index-last", "index-first"])
def test_a_truncated_mp4_is_refused(world, tmp_path, settings, faststart):
    clip = make_clip(tmp_path / "whole.mp4", seconds=2, faststart=faststart)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip.read_bytes()[: clip.stat().st_size * 2 // 3])
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=cut)
    assert_failed_cleanly(media, settings.MEDIA_ROOT, "bị thiếu hoặc bị hỏng")


def test_a_damaged_video_that_probes_fine_is_refused_after_converting(world, tmp_path, settings):
    """Garbage in the middle of the picture data: ffprobe is happy, the rendition comes out short."""
    clip = make_clip(tmp_path / "whole.mkv", seconds=4)
    data = bytearray(clip.read_bytes())
    middle = len(data) // 5
    data[middle:] = b"\x00" * (len(data) - middle)
    damaged = tmp_path / "damaged.mkv"
    damaged.write_bytes(bytes(data))
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=damaged)
    assert_failed_cleanly(media, settings.MEDIA_ROOT)


def test_an_empty_file_is_refused_before_anything_is_made(world, tmp_path, settings, client):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with translation.override("vi"), pytest.raises(ValidationError, match="trống"):
        services.media_ingest(school=world.school, by=world.parent, kind="video", path=empty)
    client.force_login(world.parent)
    response = client.post(
        "/media/uploads/",
        {"filename": "empty.mp4", "size": 0, "kind": "video", "school": world.school.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "trống" in response.json()["error"]
    assert not MediaFile.objects.exists()
    assert stray_files(settings.MEDIA_ROOT) == []


def test_an_image_bomb_is_refused(world, tmp_path, settings, client, django_capture_on_commit_callbacks):
    bomb = png_bomb(tmp_path / "bomb.png")
    assert bomb.stat().st_size < 1000
    client.force_login(world.parent)
    media_id, last, status = upload_processed(
        client, django_capture_on_commit_callbacks, school=world.school, path=bomb, kind="image"
    )
    assert last.status_code == 202 and status["state"] == "failed"
    assert_failed_cleanly(MediaFile.objects.get(pk=media_id), settings.MEDIA_ROOT, "quá lớn", "megapixel")


def test_a_photo_just_over_the_pixel_limit_is_refused(world, tmp_path, settings):
    settings.MEDIA_IMAGE_MAX_PIXELS = 50 * 50
    path = tmp_path / "big.png"
    from PIL import Image

    Image.new("RGB", (51, 50)).save(path)
    media = services.media_ingest(school=world.school, by=world.parent, kind="image", path=path)
    assert_failed_cleanly(media, settings.MEDIA_ROOT, "quá lớn")


def test_a_file_that_only_pretends_to_be_a_photo_is_refused(world, tmp_path, settings):
    fake = tmp_path / "ve-tranh.jpg"
    fake.write_bytes(b"\xff\xd8\xff\xe0" + b"<script>alert(1)</script>" * 50)
    media = services.media_ingest(school=world.school, by=world.parent, kind="image", path=fake)
    assert_failed_cleanly(media, settings.MEDIA_ROOT)
    assert "không phải là ảnh" in media.failure_reason or "bị hỏng" in media.failure_reason


def test_an_svg_is_not_a_photo(world, tmp_path, settings):
    svg = tmp_path / "drawing.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    media = services.media_ingest(school=world.school, by=world.parent, kind="image", path=svg)
    assert_failed_cleanly(media, settings.MEDIA_ROOT, "không phải là ảnh")


def test_a_truncated_jpeg_is_refused(world, tmp_path, settings):
    from tests.mediafiles.conftest import make_photo

    whole = make_photo(tmp_path / "whole.jpg", size=(400, 300))
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    media = services.media_ingest(school=world.school, by=world.parent, kind="image", path=cut)
    assert_failed_cleanly(media, settings.MEDIA_ROOT, "bị thiếu hoặc bị hỏng")


def test_a_video_over_the_size_limit_is_refused_before_it_is_sent(world, clip, settings):
    settings.MEDIA_FAMILY_MAX_BYTES = clip.stat().st_size - 1
    with pytest.raises(ValidationError, match="quá lớn"):
        services.media_ingest(school=world.school, by=world.parent, kind="video", path=clip)
    assert not MediaFile.objects.exists()
    assert stray_files(settings.MEDIA_ROOT) == []


def test_a_video_over_the_duration_limit_is_refused(world, clip, settings, client, django_capture_on_commit_callbacks):
    settings.MEDIA_FAMILY_MAX_SECONDS = 1
    client.force_login(world.parent)
    media_id, last, status = upload_processed(
        client, django_capture_on_commit_callbacks, school=world.school, path=clip
    )
    assert last.status_code == 202
    assert "quá dài" in status["reason"] and "0:01" in status["reason"]
    assert_failed_cleanly(MediaFile.objects.get(pk=media_id), settings.MEDIA_ROOT)


def test_the_staff_duration_limit_is_its_own(world, clip, settings):
    settings.MEDIA_FAMILY_MAX_SECONDS = 1
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    assert media.state == State.READY


def test_a_video_chosen_as_a_photo_is_refused(world, clip, settings):
    media = services.media_ingest(school=world.school, by=world.parent, kind="image", path=clip)
    assert_failed_cleanly(media, settings.MEDIA_ROOT, "không phải là ảnh")


def test_the_reason_is_in_the_uploaders_language_when_the_worker_fails_it(world, tmp_path, settings):
    """The task runs outside any request: it speaks the uploader's language, not the worker's."""
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    clip = make_clip(tmp_path / "whole.mkv", seconds=4)
    data = bytearray(clip.read_bytes())
    data[len(data) // 5 :] = b"\x00" * (len(data) - len(data) // 5)
    damaged = tmp_path / "damaged.mkv"
    damaged.write_bytes(bytes(data))
    with translation.override("vi"):
        media = services.media_ingest(school=world.school, by=world.parent, kind="video", path=damaged)
    with translation.override("en"):
        from django.utils.translation import gettext

        expected = gettext("We could not convert this recording: it seems to be damaged. Please try another file.")
    assert media.failure_reason == expected


def test_messages_are_translatable(world, tmp_path):
    """Every reason goes through gettext: with a catalogue it is shown in the user's language."""
    fake = tmp_path / "a.mp4"
    fake.write_bytes(b"nothing")
    seen = []

    def fake_gettext(message):
        seen.append(message)
        return "«" + message + "»"

    from mediafiles import inspection

    original = inspection._
    inspection._ = fake_gettext
    try:
        media = services.media_ingest(school=world.school, by=world.parent, kind="video", path=fake)
    finally:
        inspection._ = original
    assert media.failure_reason.startswith("«") and seen
