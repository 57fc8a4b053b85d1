"""Abandoned uploads are cleaned up by the hourly sweep."""

from __future__ import annotations

import datetime
import io
import os

import pytest
from django.utils import timezone

from coordination.celery import app
from mediafiles import services, tasks
from mediafiles.files import partial_path, upload_dir, work_dir
from mediafiles.models import MediaFile, State

pytestmark = pytest.mark.django_db


def test_an_upload_silent_for_a_day_is_failed_and_its_bytes_removed(world, settings):
    old = services.media_upload_start(school=world.school, by=world.parent, kind="video", filename="a.mp4", size=100)
    services.media_upload_append(media=old, offset=0, stream=io.BytesIO(b"a" * 40), length=40)
    fresh = services.media_upload_start(school=world.school, by=world.parent, kind="video", filename="b.mp4", size=100)
    MediaFile.objects.filter(pk=old.pk).update(last_activity_at=timezone.now() - datetime.timedelta(hours=25))

    result = tasks.media_uploads_sweep.delay().get()

    assert result["abandoned"] == 1
    old.refresh_from_db()
    assert old.state == State.FAILED and "chưa được tải lên xong" in old.failure_reason
    assert not partial_path(old.pk).exists()
    assert MediaFile.objects.get(pk=fresh.pk).state == State.UPLOADING
    assert partial_path(fresh.pk).exists()


def test_stray_unfinished_files_are_removed(world):
    stray = upload_dir() / "00000000-0000-0000-0000-000000000000.part"
    stray.write_bytes(b"left behind")
    day_ago = (timezone.now() - datetime.timedelta(hours=30)).timestamp()
    os.utime(stray, (day_ago, day_ago))
    recent = upload_dir() / "11111111-1111-1111-1111-111111111111.part"
    recent.write_bytes(b"just started")  # its row may be in a transaction not yet committed

    scratch = work_dir() / "tmpabc123"
    scratch.mkdir()
    (scratch / "video.mp4").write_bytes(b"half a rendition of a killed worker")
    os.utime(scratch, (day_ago, day_ago))

    assert services.media_uploads_sweep()["strays"] == 2
    assert not stray.exists() and recent.exists() and not scratch.exists()


def test_files_whose_processing_message_was_lost_are_queued_again(world, photo, settings, monkeypatch):
    media = services.media_ingest(school=world.school, by=world.teacher, kind="image", path=photo)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    MediaFile.objects.filter(pk=media.pk).update(
        state=State.PROCESSING, last_activity_at=timezone.now() - datetime.timedelta(hours=3)
    )
    queued = []
    monkeypatch.setattr(services, "_queue_processing", queued.append)
    assert services.media_uploads_sweep()["requeued"] == 1
    assert queued == [media.pk]


def test_the_sweep_runs_hourly_from_beat():
    entry = app.conf.beat_schedule["media-uploads-sweep"]
    assert entry["task"] == tasks.media_uploads_sweep.name
