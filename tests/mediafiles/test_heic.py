"""Photos from iPhones arrive as HEIC: taken in through pillow-heif, checked by their content like any
photo, and shown to everyone as JPEG copies (the original stays for its uploader and the staff)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from PIL import Image

from mediafiles import access, services
from mediafiles.models import MediaFile, State
from tests.mediafiles.conftest import make_heic, stray_files, upload_processed

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone_may_view():
    """An app's resolver that lets every member of the school see every file (as activities do for a class)."""

    def resolver(user, media):
        return True

    access.register(resolver)
    yield resolver
    access.unregister(resolver)


def stored(name: str) -> Path:
    return Path(django_settings.MEDIA_ROOT) / name


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6  # turned a quarter clockwise, as a phone held upright
    exif[0x010F] = "Apple"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (20.0, 54.0, 0.0), "E", (106.0, 36.0, 0.0)
    return exif


def test_a_heic_photo_from_an_iphone_is_accepted_and_gets_jpeg_copies(
    world, client, tmp_path, django_capture_on_commit_callbacks
):
    heic = make_heic(tmp_path / "IMG_0042.HEIC", size=(640, 480))
    with Image.open(heic) as check:
        assert check.format == "HEIF"  # a real HEIC, not a JPEG under another name
    client.force_login(world.teacher)

    media_id, last, status = upload_processed(
        client, django_capture_on_commit_callbacks, school=world.school, path=heic, kind="image"
    )

    assert last.status_code == 202
    assert status["state"] == "ready", status["reason"]
    media = MediaFile.objects.get(pk=media_id)
    assert media.content_type == "image/heic"
    assert (media.width, media.height) == (640, 480)
    with Image.open(stored(media.rendition.name)) as copy:
        assert copy.format == "JPEG" and copy.size == (640, 480)
    with Image.open(stored(media.thumbnail.name)) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (360, 270)
    with Image.open(stored(media.thumbnail_webp.name)) as thumb:
        assert thumb.format == "WEBP" and thumb.size == (360, 270)
    assert status["urls"]["thumb"] == f"/media/{media.pk}/thumb"
    assert status["urls"]["thumb-webp"] == f"/media/{media.pk}/thumb-webp"


def test_the_uploader_keeps_the_heic_original_and_others_get_the_jpeg_copy(world, client, tmp_path, everyone_may_view):
    heic = make_heic(tmp_path / "IMG_0043.HEIC")
    media = services.media_ingest(school=world.school, by=world.parent, kind="image", path=heic)
    assert media.state == State.READY, media.failure_reason

    client.force_login(world.parent)
    mine = client.get(f"/media/{media.pk}/original")
    assert mine["Content-Type"] == "image/heic" and body(mine) == heic.read_bytes()

    client.force_login(world.teacher)
    theirs = client.get(f"/media/{media.pk}/original")
    assert theirs["Content-Type"] == "image/jpeg"
    assert body(theirs) == stored(media.rendition.name).read_bytes()


def test_a_heic_photo_is_turned_upright_and_loses_its_position(world, tmp_path):
    heic = make_heic(tmp_path / "IMG_0044.HEIC", size=(200, 100), exif=gps_exif())
    media = services.media_ingest(school=world.school, by=world.teacher, kind="image", path=heic)
    assert media.state == State.READY, media.failure_reason
    assert (media.width, media.height) == (100, 200)  # as it is shown: turned
    for name in (media.rendition.name, media.preview.name, media.thumbnail.name):
        with Image.open(stored(name)) as served:
            assert served.size[1] > served.size[0], name
            exif = served.getexif()
            assert not exif.get_ifd(0x8825) and 0x010F not in exif, name


def test_pages_link_a_heic_photo_to_its_jpeg_copy(world, tmp_path):
    """Browsers other than Safari cannot show HEIC: the player links to the copy, even for the uploader."""
    media = services.media_ingest(
        school=world.school, by=world.teacher, kind="image", path=make_heic(tmp_path / "IMG_0045.HEIC")
    )
    html = render_to_string("mediafiles/player.html", {"media": media, "alt": "Con mèo"})
    assert f'<a href="/media/{media.pk}/video">' in html
    assert "/original" not in html


@pytest.fixture
def parent_in_english(world):
    world.parent.language = "en"  # the worker speaks the uploader's language
    world.parent.save(update_fields=["language"])
    return world.parent


def test_a_heic_over_the_pixel_limit_is_refused_with_the_reason(world, tmp_path, settings, parent_in_english):
    settings.MEDIA_IMAGE_MAX_PIXELS = 1_000_000
    heic = make_heic(tmp_path / "IMG_0046.HEIC", size=(1600, 1200))
    media = services.media_ingest(school=world.school, by=world.parent, kind="image", path=heic)
    assert media.state == State.FAILED
    assert media.failure_reason == "This photo is too large (2 megapixels; at most 1). Please choose a smaller one."
    assert stray_files(settings.MEDIA_ROOT) == []


def test_words_named_heic_are_not_a_photo(world, tmp_path, settings, parent_in_english):
    fake = tmp_path / "IMG_0047.HEIC"
    fake.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"not a picture at all " * 50)
    media = services.media_ingest(school=world.school, by=world.parent, kind="image", path=fake)
    assert media.state == State.FAILED
    assert media.failure_reason.startswith("This file is not a photo that we can show.")
    assert stray_files(settings.MEDIA_ROOT) == []
