"""Chunked, resumable uploads: in order, interrupted and resumed, out of order, repeated, busy."""

from __future__ import annotations

import fcntl
import io

import pytest

from mediafiles import services
from mediafiles.files import partial_path
from mediafiles.models import Audience, MediaFile, State
from tests.mediafiles.conftest import stray_files, upload_chunk, upload_file, upload_processed, upload_start

pytestmark = pytest.mark.django_db


def test_a_video_uploaded_in_chunks_is_checked_stored_and_processed(
    world, client, clip, settings, django_capture_on_commit_callbacks
):
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        media_id, last = upload_file(client, school=world.school, path=clip, chunk=7000)
    # The last chunk is answered at once; the worker checks and converts the file after it.
    assert last.status_code == 202 and last.json()["state"] == "processing"
    assert int(last["Upload-Offset"]) == clip.stat().st_size

    status = client.get(f"/media/uploads/{media_id}/status/").json()
    assert status["state"] == "ready", status
    assert status["urls"]["video"] == f"/media/{media_id}/video"
    media = MediaFile.objects.get(pk=media_id)
    assert media.audience == Audience.STAFF
    assert media.received == media.size == clip.stat().st_size
    import hashlib

    assert media.sha256 == hashlib.sha256(clip.read_bytes()).hexdigest()
    # Nothing of the upload is left on the side: only the stored files.
    assert not list((settings.MEDIA_ROOT / "uploads").glob("*.part"))


def test_the_answers_carry_the_offset_and_the_addresses(world, client):
    client.force_login(world.parent)
    started = upload_start(client, school=world.school, size=1000)
    assert started.status_code == 201
    body = started.json()
    assert body["offset"] == 0
    assert body["upload_url"] == f"/media/uploads/{body['id']}/"
    assert body["status_url"] == f"/media/uploads/{body['id']}/status/"
    assert started["Location"] == body["upload_url"]
    assert MediaFile.objects.get(pk=body["id"]).audience == Audience.FAMILY

    head = client.head(body["upload_url"])
    assert head.status_code == 200
    assert head["Upload-Offset"] == "0" and head["Upload-Length"] == "1000"
    assert head["Cache-Control"] == "no-store"


def test_an_interrupted_chunk_is_resumed_from_the_offset_the_server_has(world, client, clip):
    """The connection drops half-way through a chunk: the bytes that arrived are kept."""
    data = clip.read_bytes()
    media = services.media_upload_start(
        school=world.school, by=world.teacher, kind="video", filename="lesson.mp4", size=len(data)
    )

    class Dropping(io.BytesIO):
        """A request body whose connection breaks after 3000 bytes."""

        def read(self, n=-1):
            if self.tell() >= 3000:
                raise OSError("connection reset by peer")
            return super().read(min(n, 3000 - self.tell()))

    services.media_upload_append(media=media, offset=0, stream=Dropping(data[:10_000]), length=10_000)
    assert media.received == 3000

    # The client asks where to go on, and sends the rest from there.
    client.force_login(world.teacher)
    offset = int(client.head(f"/media/uploads/{media.pk}/")["Upload-Offset"])
    assert offset == 3000
    answer = upload_chunk(client, f"/media/uploads/{media.pk}/", data[offset:], offset)
    assert answer.status_code == 202
    media.refresh_from_db()
    assert media.state == State.PROCESSING and media.received == len(data)
    services.media_process(media_id=media.pk)
    media.refresh_from_db()
    assert media.state == State.READY, media.failure_reason
    import hashlib

    assert media.sha256 == hashlib.sha256(data).hexdigest()


def test_bytes_written_by_a_request_that_died_are_dropped(world, clip):
    """The process died after writing but before recording the offset: the database is the truth."""
    data = clip.read_bytes()
    media = services.media_upload_start(
        school=world.school, by=world.teacher, kind="video", filename="a.mp4", size=len(data)
    )
    services.media_upload_append(media=media, offset=0, stream=io.BytesIO(data[:5000]), length=5000)
    with partial_path(media.pk).open("ab") as fh:
        fh.write(b"garbage from a dead request")
    services.media_upload_append(media=media, offset=5000, stream=io.BytesIO(data[5000:]), length=len(data) - 5000)
    services.media_process(media_id=media.pk)
    media.refresh_from_db()
    assert media.state == State.READY, media.failure_reason
    import hashlib

    assert media.sha256 == hashlib.sha256(data).hexdigest()


def test_a_chunk_out_of_order_is_refused_with_the_expected_offset(world, client):
    client.force_login(world.parent)
    url = upload_start(client, school=world.school, size=100).json()["upload_url"]
    ahead = upload_chunk(client, url, b"x" * 10, 50)
    assert ahead.status_code == 409
    assert ahead["Upload-Offset"] == "0"
    assert ahead.json()["offset"] == 0
    assert int(client.head(url)["Upload-Offset"]) == 0


def test_a_repeated_chunk_is_refused_and_changes_nothing(world, client):
    client.force_login(world.parent)
    url = upload_start(client, school=world.school, size=100).json()["upload_url"]
    assert upload_chunk(client, url, b"a" * 40, 0).status_code == 204
    again = upload_chunk(client, url, b"b" * 40, 0)
    assert again.status_code == 409
    assert again["Upload-Offset"] == "40"
    media = MediaFile.objects.get()
    assert media.received == 40
    assert partial_path(media.pk).read_bytes() == b"a" * 40


def test_a_chunk_while_another_request_writes_is_refused(world, client):
    """Two requests for one upload (a retry while the first still streams): one writes, one waits."""
    client.force_login(world.parent)
    url = upload_start(client, school=world.school, size=100).json()["upload_url"]
    media = MediaFile.objects.get()
    with partial_path(media.pk).open("r+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        busy = upload_chunk(client, url, b"a" * 10, 0)
    assert busy.status_code == 409 and busy["Upload-Offset"] == "0"
    assert upload_chunk(client, url, b"a" * 10, 0).status_code == 204


def test_a_chunk_beyond_the_announced_size_is_refused(world, client):
    client.force_login(world.parent)
    url = upload_start(client, school=world.school, size=10).json()["upload_url"]
    too_much = upload_chunk(client, url, b"a" * 11, 0)
    assert too_much.status_code == 400
    assert "dung lượng đã khai báo" in too_much.json()["error"]
    assert MediaFile.objects.get().received == 0


def test_a_chunk_without_its_offset_is_refused(world, client):
    client.force_login(world.parent)
    url = upload_start(client, school=world.school, size=10).json()["upload_url"]
    response = client.patch(url, b"a" * 5, content_type="application/offset+octet-stream")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"size": 0}, 400),
        ({"size": -5}, 400),
        ({"size": "many"}, 400),
        ({"kind": "document"}, 400),
        ({"school": "no-such-school"}, 400),
        ({"size": 201 * 1024 * 1024}, 413),
    ],
)
def test_a_start_that_cannot_succeed_is_refused_and_makes_nothing(world, client, payload, status):
    client.force_login(world.parent)
    body = {"filename": "a.mp4", "size": 1000, "kind": "video", "school": world.school.pk, **payload}
    response = client.post("/media/uploads/", body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json()["error"]
    assert not MediaFile.objects.exists()


def test_the_family_limit_is_smaller_than_the_staff_limit(world, client):
    size = 500 * 1024 * 1024
    client.force_login(world.parent)
    refused = upload_start(client, school=world.school, size=size)
    assert refused.status_code == 413
    assert "200" in refused.json()["error"]  # the limit is named: "at most 200,0 MB"
    client.force_login(world.teacher)
    assert upload_start(client, school=world.school, size=size).status_code == 201


def test_limits_follow_the_settings(world, client, settings):
    settings.MEDIA_STAFF_MAX_BYTES = 5000
    client.force_login(world.teacher)
    assert upload_start(client, school=world.school, size=5000).status_code == 201
    assert upload_start(client, school=world.school, size=5001).status_code == 413


def test_only_staff_and_families_of_the_school_may_upload(world, client):
    for person in (world.other_principal, world.officer):
        client.force_login(person)
        response = upload_start(client, school=world.school, size=1000)
        assert response.status_code == 403, person
    assert not MediaFile.objects.exists()


def test_only_the_uploader_may_touch_an_upload(world, client):
    client.force_login(world.parent)
    url = upload_start(client, school=world.school, size=100).json()["upload_url"]
    for person in (world.other_parent, world.teacher, world.principal):
        client.force_login(person)
        assert client.head(url).status_code == 404
        assert upload_chunk(client, url, b"a" * 10, 0).status_code == 404
        assert client.get(url + "status/").status_code == 404
    assert MediaFile.objects.get().received == 0
    client.logout()
    assert upload_chunk(client, url, b"a" * 10, 0).status_code == 302


def test_a_finished_upload_answers_its_full_size(world, client, photo, django_capture_on_commit_callbacks):
    """A client that lost the answer to its last chunk asks again and learns it is done."""
    client.force_login(world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        media_id, _last = upload_file(client, school=world.school, path=photo, kind="image")
    size = photo.stat().st_size
    again = upload_chunk(client, f"/media/uploads/{media_id}/", photo.read_bytes(), 0)
    assert again.status_code == 409 and again["Upload-Offset"] == str(size)


def test_a_refused_file_answers_its_reason_once_the_worker_checked_it(
    world, client, tmp_path, settings, django_capture_on_commit_callbacks
):
    fake = tmp_path / "holiday.mp4"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 5000)
    client.force_login(world.parent)
    media_id, last, status = upload_processed(
        client, django_capture_on_commit_callbacks, school=world.school, path=fake
    )
    assert last.status_code == 202 and last.json()["state"] == "processing"
    assert status["state"] == "failed" and not status["checked"]
    assert "không phải là video" in status["reason"]
    # Sending more to a failed upload answers the reason again, never a loop of offsets.
    again = upload_chunk(client, f"/media/uploads/{media_id}/", b"x", 0)
    assert again.status_code == 422
    assert stray_files(settings.MEDIA_ROOT) == []


def test_an_upload_whose_completion_died_is_completed_by_the_next_request(world, client, photo):
    """Every byte arrived, but the process died before checking the file: the next chunk request finishes it."""
    data = photo.read_bytes()
    media = services.media_upload_start(
        school=world.school, by=world.parent, kind="image", filename="p.jpg", size=len(data)
    )
    partial_path(media.pk).write_bytes(data)
    MediaFile.objects.filter(pk=media.pk).update(received=len(data))
    client.force_login(world.parent)
    response = upload_chunk(client, f"/media/uploads/{media.pk}/", b"", len(data))
    assert response.status_code == 202 and response["Upload-Offset"] == str(len(data))
    media.refresh_from_db()
    assert media.state == State.PROCESSING
    services.media_process(media_id=media.pk)
    media.refresh_from_db()
    assert media.state == State.READY and media.sha256


def test_the_status_tells_the_uploader_why_a_file_failed(world, client, tmp_path):
    fake = tmp_path / "a.mp4"
    fake.write_bytes(b"nope" * 100)
    media = services.media_ingest(school=world.school, by=world.parent, kind="video", path=fake)
    client.force_login(world.parent)
    status = client.get(f"/media/uploads/{media.pk}/status/").json()
    assert status["state"] == "failed" and status["state_label"] == "Không thành công"
    assert status["reason"] == media.failure_reason and status["urls"] == {}
