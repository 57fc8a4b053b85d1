"""The daily cleanup deletes files that nothing uses, once they have not changed for a day: rows and
stored files together, on disk and in object storage alike. Files in use are kept."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.utils import timezone

from coordination.celery import app
from mediafiles import services, tasks, usage
from mediafiles.files import partial_path
from mediafiles.models import MediaFile, State

pytestmark = pytest.mark.django_db


def age(media: MediaFile, *, hours: float) -> None:
    """As if the file last changed `hours` ago."""
    MediaFile.objects.filter(pk=media.pk).update(last_activity_at=timezone.now() - datetime.timedelta(hours=hours))


def on_disk(media: MediaFile) -> list[Path]:
    folder = Path(django_settings.MEDIA_ROOT) / f"schools/{media.school_id}/media/{media.pk}"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def in_use():
    """A feature's registered use, holding the files put in it."""
    held: set = set()

    def query(ids):
        return [pk for pk in ids if pk in held]

    usage.register_query(query)
    yield held
    usage.unregister_query(query)


def test_a_file_never_attached_is_deleted_after_a_day_with_its_renditions(
    world, clip, django_capture_on_commit_callbacks
):
    video = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    assert len(on_disk(video)) == 7  # the original, the rendition, the poster, two sizes in JPEG and WebP
    age(video, hours=25)

    with django_capture_on_commit_callbacks(execute=True):  # the stored files go once the rows are gone
        assert tasks.media_unused_cleanup.delay().get() == {"deleted": 1, "kept": 0}
    assert not MediaFile.objects.filter(pk=video.pk).exists()
    assert on_disk(video) == []
    assert not (Path(django_settings.MEDIA_ROOT) / f"schools/{video.school_id}/media/{video.pk}").exists()


def test_a_file_younger_than_a_day_is_kept_for_the_form_that_will_attach_it(world, photo):
    fresh = services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo)
    age(fresh, hours=23)
    assert services.media_unused_delete() == {"deleted": 0, "kept": 0}
    assert on_disk(fresh)


def test_a_file_in_use_is_kept_however_old(world, photo, in_use):
    used = services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo)
    loose = services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo)
    in_use.add(used.pk)
    age(used, hours=24 * 400)
    age(loose, hours=24 * 400)
    assert services.media_unused_delete() == {"deleted": 1, "kept": 1}
    assert MediaFile.objects.get().pk == used.pk and on_disk(used)


def test_refused_files_leave_their_rows_to_the_cleanup_too(world, tmp_path):
    fake = tmp_path / "a.mp4"
    fake.write_bytes(b"not a video" * 50)
    failed = services.media_ingest(school=world.school, by=world.parent, kind="video", path=fake)
    assert failed.state == State.FAILED
    age(failed, hours=30)
    assert services.media_unused_delete()["deleted"] == 1
    assert not MediaFile.objects.exists()


def test_uploads_still_on_their_way_are_left_to_the_sweep_and_the_worker(world, photo):
    unfinished = services.media_upload_start(school=world.school, by=world.parent, kind="image", filename="a", size=5)
    processing = services.media_upload_start(school=world.school, by=world.parent, kind="image", filename="b", size=5)
    MediaFile.objects.filter(pk=processing.pk).update(state=State.PROCESSING)
    age(unfinished, hours=30)
    age(processing, hours=30)
    assert services.media_unused_delete()["deleted"] == 0
    assert MediaFile.objects.count() == 2 and partial_path(unfinished.pk).exists()


def test_in_object_storage_the_objects_are_deleted_too(world, photo, settings, django_capture_on_commit_callbacks):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    picture = services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo)
    names = [picture.original.name, picture.rendition.name, picture.thumbnail.name]
    assert all(default_storage.exists(name) for name in names)
    age(picture, hours=48)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.media_unused_delete()["deleted"] == 1
    assert not any(default_storage.exists(name) for name in names)


def test_a_file_attached_after_it_was_listed_is_kept(world, photo, in_use):
    """The order of the checks: the cleanup lists old files without locks, then locks each and asks
    the uses again; a file attached in between is seen then, and kept."""
    picture = services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo)
    age(picture, hours=48)
    cutoff = timezone.now() - datetime.timedelta(hours=24)
    assert usage.in_use([picture.pk]) == set()  # listed as unused
    in_use.add(picture.pk)  # ... and attached right after
    assert services.media_delete_if_unused(media_id=picture.pk, cutoff=cutoff) is False
    assert on_disk(picture)


def test_a_file_touched_after_it_was_listed_is_kept(world, photo):
    picture = services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo)
    cutoff = timezone.now() - datetime.timedelta(hours=24)
    assert services.media_delete_if_unused(media_id=picture.pk, cutoff=cutoff) is False


def test_the_cleanup_runs_daily_from_beat_on_the_media_queue():
    entry = app.conf.beat_schedule["media-unused-cleanup"]
    assert entry["task"] == tasks.media_unused_cleanup.name
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {40}
    assert app.amqp.router.route({}, tasks.media_unused_cleanup.name)["queue"].name == "media"
