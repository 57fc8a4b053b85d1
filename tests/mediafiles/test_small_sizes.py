"""Small sizes for slow phones: every photo, and every video's poster, gets a thumbnail and a preview,
each in JPEG and in WebP, served by the same private download view with the same access rules."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from PIL import Image

from mediafiles import access, services
from mediafiles.models import MediaFile
from tests.mediafiles.conftest import make_clip, make_photo

pytestmark = pytest.mark.django_db

SMALL = {
    "thumb": ("image/jpeg", "JPEG", 360),
    "thumb-webp": ("image/webp", "WEBP", 360),
    "preview": ("image/jpeg", "JPEG", 800),
    "preview-webp": ("image/webp", "WEBP", 800),
}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def grant_parent(world):
    """An app's resolver that lets the parent see every file (as activities would for a class)."""

    def resolver(user, media):
        return user.pk == world.parent.pk

    access.register(resolver)
    yield resolver
    access.unregister(resolver)


@pytest.fixture
def big_photo(world, tmp_path) -> MediaFile:
    return services.media_ingest(
        school=world.school, by=world.teacher, kind="image", path=make_photo(tmp_path / "tranh.jpg", size=(2000, 1500))
    )


@pytest.mark.parametrize("variant", list(SMALL))
def test_a_photo_is_served_in_each_small_size_and_format(world, client, big_photo, variant):
    content_type, image_format, long_side = SMALL[variant]
    client.force_login(world.teacher)
    response = client.get(big_photo.url(variant))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"].startswith("private")
    with Image.open(io.BytesIO(body(response))) as picture:
        assert picture.format == image_format
        assert picture.size == (long_side, long_side * 3 // 4)
    expected = big_photo.thumbnail_size if variant.startswith("thumb") else big_photo.preview_size
    assert expected == (long_side, long_side * 3 // 4)  # what pages put in width and height


def test_a_videos_poster_gets_the_small_sizes_too(world, client, tmp_path):
    video = services.media_ingest(
        school=world.school, by=world.teacher, kind="video", path=make_clip(tmp_path / "bai.mp4", size="1280x720")
    )
    client.force_login(world.teacher)
    for variant, (content_type, image_format, long_side) in SMALL.items():
        response = client.get(video.url(variant))
        assert response.status_code == 200 and response["Content-Type"] == content_type, variant
        with Image.open(io.BytesIO(body(response))) as picture:
            assert picture.format == image_format and max(picture.size) == long_side, variant


def test_a_small_photo_is_never_enlarged(world, client, tmp_path):
    photo = services.media_ingest(
        school=world.school, by=world.teacher, kind="image", path=make_photo(tmp_path / "nho.png", fmt="PNG")
    )
    client.force_login(world.teacher)
    with Image.open(io.BytesIO(body(client.get(photo.url("preview-webp"))))) as picture:
        assert picture.size == (64, 48)


def test_the_small_sizes_follow_the_files_access_rules(world, client, big_photo, grant_parent):
    for variant in SMALL:
        client.force_login(world.parent)  # allowed by the app that uses the file
        assert client.get(big_photo.url(variant)).status_code == 200, variant
        for stranger in (world.other_parent, world.other_teacher, world.other_principal):
            client.force_login(stranger)
            assert client.get(big_photo.url(variant)).status_code == 404, (variant, stranger)
        client.logout()
        response = client.get(big_photo.url(variant))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), variant


def test_a_file_without_small_sizes_has_no_address_for_them(world, client, tmp_path):
    """A sound recording, or a photo processed before the WebP sizes existed: pages fall back to JPEG."""
    photo = services.media_ingest(
        school=world.school, by=world.teacher, kind="image", path=make_photo(tmp_path / "cu.jpg")
    )
    MediaFile.objects.filter(pk=photo.pk).update(thumbnail_webp="", preview_webp="")
    photo.refresh_from_db()
    assert photo.thumbnail_webp_url is None and photo.thumbnail_url == f"/media/{photo.pk}/thumb"
    html = render_to_string("mediafiles/picture.html", {"media": photo, "alt": "Cũ"})
    assert "image/webp" not in html and f'src="/media/{photo.pk}/thumb"' in html
    client.force_login(world.teacher)
    assert client.get(f"/media/{photo.pk}/thumb-webp").status_code == 404


def test_the_picture_include_offers_webp_then_jpeg_with_their_widths(world, big_photo, django_assert_num_queries):
    photo = MediaFile.objects.get(pk=big_photo.pk)
    with django_assert_num_queries(0):
        html = render_to_string(
            "mediafiles/picture.html",
            {
                "media": photo,
                "alt": "Tranh của bé",
                "size": "preview",
                "link": True,
                "sizes": "(max-width: 40rem) 100vw, 40rem",
            },
        )
    pk = photo.pk
    assert f'<a href="/media/{pk}/original"><picture class="media-picture">' in html
    assert (
        f'<source type="image/webp" srcset="/media/{pk}/thumb-webp 360w, /media/{pk}/preview-webp 800w" '
        'sizes="(max-width: 40rem) 100vw, 40rem">'
    ) in html
    assert (
        f'<img loading="lazy" src="/media/{pk}/preview" srcset="/media/{pk}/thumb 360w, /media/{pk}/preview 800w" '
        'sizes="(max-width: 40rem) 100vw, 40rem" alt="Tranh của bé" width="800" height="600">'
    ) in html
    # The order matters: a browser takes the first source it can show, and the <img> last.
    assert html.index("image/webp") < html.index("<img")


def test_the_stored_sizes_are_in_the_schools_storage_figure(world, big_photo):
    root = Path(big_photo.original.storage.location)
    derived = ("rendition", "thumbnail", "thumbnail_webp", "preview", "preview_webp")
    assert big_photo.stored_bytes == big_photo.size + sum(
        (root / getattr(big_photo, field).name).stat().st_size for field in derived
    )
