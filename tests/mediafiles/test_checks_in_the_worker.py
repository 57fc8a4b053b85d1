"""The checks of a finished upload (ffprobe or Pillow, the hash, the copy into storage) run in the media
worker: the request that brings the last chunk answers "processing" at once, and the uploader learns
the result, a refusal included, from the status."""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from mediafiles import files, inspection, services
from mediafiles.files import partial_path
from mediafiles.models import MediaFile, State, original_path
from tests.mediafiles.conftest import stray_files, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks_seen(monkeypatch):
    """Records each content check and hash as it happens (the real functions still run)."""
    seen: list[str] = []
    real_inspect, real_hash = inspection.inspect_file, files.sha256_of

    def inspect_file(path, **kwargs):
        seen.append("inspect")
        return real_inspect(path, **kwargs)

    def sha256_of(path):
        seen.append("hash")
        return real_hash(path)

    monkeypatch.setattr(inspection, "inspect_file", inspect_file)
    monkeypatch.setattr(files, "sha256_of", sha256_of)
    return seen


def processing_tasks(callbacks) -> list:
    """The callbacks that queue a file's processing when the transaction commits."""
    return [callback for callback in callbacks if "_queue_processing" in callback.__qualname__]


def test_the_last_chunk_is_answered_processing_before_any_check_ran(
    world, client, clip, checks_seen, django_capture_on_commit_callbacks
):
    client.force_login(world.teacher)
    # The task is queued when the request's transaction commits; here it is held back, as it
    # would wait in the broker for a worker.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        media_id, last = upload_file(client, school=world.school, path=clip)

    assert last.status_code == 202
    assert last.json()["state"] == "processing" and last.json()["checked"] is False
    assert last["Upload-Offset"] == str(clip.stat().st_size)
    assert checks_seen == [], "nothing of the file was read in the request"
    media = MediaFile.objects.get(pk=media_id)
    assert media.state == State.PROCESSING and not media.sha256 and not media.original
    assert partial_path(media.pk).read_bytes() == clip.read_bytes()  # waiting for the worker
    waiting = client.get(f"/media/uploads/{media_id}/status/").json()
    assert (waiting["state"], waiting["checked"], waiting["urls"]) == ("processing", False, {})

    # The worker takes the task (the other callbacks renew the school's kept pages).
    tasks = processing_tasks(queued)
    assert len(tasks) == 1
    tasks[0]()

    assert checks_seen[:2] == ["inspect", "hash"]
    status = client.get(f"/media/uploads/{media_id}/status/").json()
    assert status["state"] == "ready" and status["checked"] is True
    media.refresh_from_db()
    assert media.sha256 == hashlib.sha256(clip.read_bytes()).hexdigest()
    assert not partial_path(media.pk).exists()


def test_a_refusal_by_the_worker_reaches_the_uploader_in_their_language(
    world, client, tmp_path, settings, django_capture_on_commit_callbacks
):
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    fake = tmp_path / "holiday.mp4"
    fake.write_text("Not a video, only words.\n" * 300)
    client.force_login(world.parent)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        media_id, last = upload_file(client, school=world.school, path=fake)
    assert last.status_code == 202
    processing_tasks(queued)[0]()

    status = client.get(f"/media/uploads/{media_id}/status/").json()
    assert status["state"] == "failed" and status["checked"] is False
    assert status["reason"] == (
        "This file is not a video that we can play. Choose a video file (for example MP4 or MOV)."
    )
    assert stray_files(settings.MEDIA_ROOT) == [], "the refused file's bytes are gone"


def test_a_video_too_long_is_refused_by_the_worker(world, client, clip, settings, django_capture_on_commit_callbacks):
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    settings.MEDIA_FAMILY_MAX_SECONDS = 1
    client.force_login(world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        media_id, last = upload_file(client, school=world.school, path=clip)
    assert last.status_code == 202
    status = client.get(f"/media/uploads/{media_id}/status/").json()
    assert status["reason"] == "This recording is too long (0:02). Recordings may be at most 0:01."


def test_the_file_is_checked_before_its_renditions_are_made(world, client, clip, django_capture_on_commit_callbacks):
    """A form waiting for the file may go as soon as it is checked, before the conversion ends."""
    with django_capture_on_commit_callbacks(execute=False):
        media = services.media_upload_start(
            school=world.school, by=world.teacher, kind="video", filename="a.mp4", size=clip.stat().st_size
        )
        with clip.open("rb") as stream:
            services.media_upload_append(media=media, offset=0, stream=stream, length=media.size)
    seen = []

    def renditions_made(media_obj):
        fresh = MediaFile.objects.get(pk=media_obj.pk)
        seen.append((fresh.state, fresh.is_checked, bool(fresh.sha256)))
        return {}

    from unittest import mock

    with mock.patch.object(services, "_make_renditions", side_effect=renditions_made):
        services.media_process(media_id=media.pk)
    assert seen == [(State.PROCESSING, True, True)]


def test_with_tasks_in_process_the_last_chunk_answers_the_result(world, client, photo, settings):
    """The embedded default (no worker): the task runs in the request that brought the last chunk."""
    from django.db import transaction

    client.force_login(world.parent)
    data = photo.read_bytes()
    started = client.post(
        "/media/uploads/",
        {"filename": "p.jpg", "size": len(data), "kind": "image", "school": world.school.pk},
        content_type="application/json",
    ).json()
    # As outside a test's transaction: the commit callback (the in-process task) runs at once.
    callbacks = []
    real_on_commit = transaction.on_commit
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: (callbacks.append(fn), fn()))
        last = client.patch(
            started["upload_url"],
            data,
            content_type="application/offset+octet-stream",
            headers={"Upload-Offset": "0"},
        )
    assert transaction.on_commit is real_on_commit
    assert callbacks, "the task was queued on commit"
    assert last.status_code == 200 and last.json()["state"] == "ready" and last.json()["checked"] is True


def test_a_worker_killed_after_storing_the_original_finishes_from_the_stored_copy(
    world, clip, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        media = services.media_upload_start(
            school=world.school, by=world.teacher, kind="video", filename="a.mp4", size=clip.stat().st_size
        )
        with clip.open("rb") as stream:
            services.media_upload_append(media=media, offset=0, stream=stream, length=media.size)
    # The first run moved the upload into storage and died before recording it.
    stored = Path(django_settings.MEDIA_ROOT) / original_path(media, "")
    stored.parent.mkdir(parents=True)
    shutil.move(partial_path(media.pk), stored)

    assert services.media_process(media_id=media.pk) == State.READY
    media.refresh_from_db()
    assert media.original.name == original_path(media, "")  # its own name, no copy beside it
    assert media.sha256 == hashlib.sha256(clip.read_bytes()).hexdigest()
    assert sorted(p.name for p in stored.parent.iterdir()) == [
        "original",
        "poster.jpg",
        "preview.jpg",
        "preview.webp",
        "thumb.jpg",
        "thumb.webp",
        "video.mp4",
    ]


def test_a_finished_upload_that_the_worker_cannot_find_fails_with_a_reason(world, photo, caplog):
    media = services.media_upload_start(
        school=world.school, by=world.parent, kind="image", filename="p.jpg", size=photo.stat().st_size
    )
    MediaFile.objects.filter(pk=media.pk).update(state=State.PROCESSING, received=media.size)
    partial_path(media.pk).unlink()  # a worker that does not share the upload directory
    assert services.media_process(media_id=media.pk) == State.FAILED
    media.refresh_from_db()
    assert "bị mất trên máy chủ" in media.failure_reason
    assert "MEDIA_UPLOAD_DIR" in caplog.text


def test_the_sweep_leaves_a_finished_upload_waiting_for_the_worker(world, photo, settings):
    media = services.media_upload_start(
        school=world.school, by=world.parent, kind="image", filename="p.jpg", size=photo.stat().st_size
    )
    with photo.open("rb") as stream:
        services.media_upload_append(media=media, offset=0, stream=stream, length=media.size)
    media.refresh_from_db()
    assert media.state == State.PROCESSING
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(partial_path(media.pk), (two_days_ago, two_days_ago))  # a long queue
    services.media_uploads_sweep()
    assert partial_path(media.pk).exists()
    assert services.media_process(media_id=media.pk) == State.READY
