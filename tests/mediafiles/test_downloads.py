"""Private downloads: the policy first, then the bytes, with HTTP ranges for players."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import InMemoryStorage

from mediafiles import access, services
from mediafiles.models import State
from tests.mediafiles.conftest import make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(world, clip):
    return services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)


@pytest.fixture
def grant_parent(world):
    """An app's resolver that lets the parent see every file (as activities would for a class)."""

    def resolver(user, media):
        return user.pk == world.parent.pk

    access.register(resolver)
    yield resolver
    access.unregister(resolver)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rendition_bytes(media) -> bytes:
    return (Path(django_settings.MEDIA_ROOT) / media.rendition.name).read_bytes()


# --- Ranges --------------------------------------------------------------------------------------


def test_a_whole_file_is_sent_with_private_cache_headers(world, client, video):
    client.force_login(world.teacher)
    response = client.get(video.playback_url)
    assert response.status_code == 200
    data = rendition_bytes(video)
    assert body(response) == data
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"].startswith("private")
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, None),  # open-ended: to the end
        ("bytes=-500", -500, None),  # the last 500 bytes
        ("bytes=10-10", 10, 10),
        ("bytes=0-99999999", 0, None),  # past the end: up to the end
    ],
)
def test_a_range_is_answered_with_206_and_exactly_those_bytes(world, client, video, header, first, last):
    client.force_login(world.teacher)
    data = rendition_bytes(video)
    size = len(data)
    start = first if first >= 0 else size + first
    end = size - 1 if last is None else last
    response = client.get(video.playback_url, headers={"Range": header})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == data[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=-0"])
def test_a_range_beyond_the_file_is_answered_416(world, client, video, header):
    client.force_login(world.teacher)
    response = client.get(video.playback_url, headers={"Range": header})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(rendition_bytes(video))}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=5-2", "items=0-1", "bytes=abc"])
def test_multiple_or_malformed_ranges_get_the_whole_file(world, client, video, header):
    client.force_login(world.teacher)
    response = client.get(video.playback_url, headers={"Range": header})
    assert response.status_code == 200
    assert body(response) == rendition_bytes(video)


def test_head_answers_the_headers_without_the_bytes(world, client, video):
    client.force_login(world.teacher)
    size = len(rendition_bytes(video))
    whole = client.head(video.playback_url)
    assert whole.status_code == 200 and whole["Content-Length"] == str(size) and body(whole) == b""
    part = client.head(video.playback_url, headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 0-9/{size}" and body(part) == b""


def test_if_range_serves_a_range_only_of_the_same_version(world, client, video):
    client.force_login(world.teacher)
    etag = client.head(video.playback_url)["ETag"]
    same = client.get(video.playback_url, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert same.status_code == 206
    other = client.get(video.playback_url, headers={"Range": "bytes=0-9", "If-Range": '"another-version"'})
    assert other.status_code == 200
    cached = client.get(video.playback_url, headers={"If-None-Match": etag})
    assert cached.status_code == 304


# --- Who gets what -------------------------------------------------------------------------------


def test_the_uploader_sees_every_variant(world, client, video):
    client.force_login(world.teacher)
    for variant in ("original", "video", "poster", "thumb"):
        assert client.get(video.url(variant)).status_code == 200, variant
    assert client.get(f"/media/{video.pk}/nonsense").status_code == 404


def test_others_are_refused_and_strangers_sent_to_sign_in(world, client, video):
    for person in (world.parent, world.other_teacher, world.principal, world.other_principal):
        client.force_login(person)
        assert client.get(video.playback_url).status_code == 404, person
    client.logout()
    response = client.get(video.playback_url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_resolver_grants_access(world, client, video, grant_parent):
    client.force_login(world.parent)
    assert client.get(video.playback_url).status_code == 200
    client.force_login(world.other_parent)
    assert client.get(video.playback_url).status_code == 404


def test_others_get_the_rendition_even_when_they_ask_for_the_original(world, client, video, grant_parent):
    """The original may carry the phone's position; only its uploader (and the staff) get it back."""
    client.force_login(world.parent)
    asked = client.get(video.original_url)
    assert asked.status_code == 302 and asked["Location"] == video.playback_url
    assert body(client.get(asked["Location"])) == rendition_bytes(video)
    client.force_login(world.teacher)
    original = (Path(django_settings.MEDIA_ROOT) / video.original.name).read_bytes()
    assert body(client.get(video.original_url)) == original


def test_a_photos_original_with_exif_is_never_served_to_others(world, client, tmp_path, grant_parent):
    from tests.mediafiles.test_processing import gps_exif

    photo = make_photo(tmp_path / "class.jpg", exif=gps_exif())
    media = services.media_ingest(school=world.school, by=world.teacher, kind="image", path=photo)
    client.force_login(world.parent)
    served = body(client.get(media.original_url))
    assert served != photo.read_bytes()
    assert b"Exif" not in served[:200]


def test_a_file_not_yet_ready_is_being_prepared_for_others_and_the_uploaders_as_it_is(
    world, client, video, grant_parent
):
    video.state = State.PROCESSING
    video.save(update_fields=["state"])
    client.force_login(world.parent)
    for variant in ("original", "video"):
        waiting = client.get(video.url(variant))
        assert waiting.status_code == 503 and waiting["Retry-After"] == "60", variant
        assert "Video đang được xử lý" in waiting.content.decode()
    client.force_login(world.other_parent)
    assert client.get(video.original_url).status_code == 404
    client.force_login(world.teacher)
    assert client.get(video.original_url).status_code == 200


def test_a_registered_resolver_is_kept_once():
    def resolver(user, media):
        return False

    access.register(resolver)
    access.register(resolver)
    try:
        assert access._resolvers.count(resolver) == 1
    finally:
        access.unregister(resolver)


# --- Other ways of sending the bytes -------------------------------------------------------------


def test_behind_nginx_the_bytes_are_left_to_x_accel_redirect(world, client, video, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    client.force_login(world.teacher)
    response = client.get(video.playback_url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + video.rendition.name
    assert response["Content-Type"] == "video/mp4"
    assert response["Cache-Control"].startswith("private")
    assert response.content == b""
    client.force_login(world.parent)
    assert client.get(video.playback_url).status_code == 404  # the check still comes first


class SignedUrlStorage(InMemoryStorage):
    """Object storage as the portal sees it: no local path, signed addresses."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"https://objects.example.test/{name}?X-Amz-Expires={expire}&type={parameters['ResponseContentType']}"


def test_with_object_storage_the_browser_is_sent_to_a_short_lived_signed_address(world, client, clip, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.SignedUrlStorage"}}
    settings.AWS_QUERYSTRING_EXPIRE = 300
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    assert media.state == State.READY and media.rendition  # processed from a downloaded copy
    client.force_login(world.teacher)
    response = client.get(media.playback_url)
    assert response.status_code == 302
    assert response["Location"].startswith("https://objects.example.test/")
    assert "X-Amz-Expires=300" in response["Location"] and "type=video/mp4" in response["Location"]
    assert response["Cache-Control"] == "private, max-age=150"
    client.force_login(world.parent)
    assert client.get(media.playback_url).status_code == 404


def test_signed_links_use_the_address_browsers_reach(world, client, photo, settings):
    """In docker compose the portal reaches MinIO as minio:9000, browsers as localhost:9000."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.SignedUrlStorage"}}
    settings.AWS_STORAGE_BUCKET_NAME = "coordination-media"
    settings.AWS_ACCESS_KEY_ID, settings.AWS_SECRET_ACCESS_KEY = "access", "secret-key-for-signing"
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_QUERYSTRING_EXPIRE = 300
    settings.S3_PUBLIC_ENDPOINT_URL = "http://localhost:9000"
    media = services.media_ingest(school=world.school, by=world.teacher, kind="image", path=photo)
    client.force_login(world.teacher)
    location = client.get(media.thumbnail_url)["Location"]
    assert location.startswith(f"http://localhost:9000/coordination-media/{media.thumbnail.name}?")
    assert "Signature=" in location and "AWSAccessKeyId=access" in location
    assert "response-content-type=image%2Fjpeg" in location
