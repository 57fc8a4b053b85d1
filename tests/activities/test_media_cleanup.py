"""The daily cleanup and home activities: the files of deleted answers and activities, and a video
replaced by another, are deleted with their stored files; the files activities use are kept, also
when an answer attaches a file while the cleanup runs."""

from __future__ import annotations

import datetime
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from activities import services as activity_services
from activities.models import Activity, ActivityPhoto, Answer
from mediafiles import services, usage
from mediafiles.models import MediaFile
from tests.activities.makers import activity_make, answer_make, clip_make, photo_make
from tests.conftest import requires_postgres

pytestmark = pytest.mark.django_db


def age_all(hours: float = 48) -> None:
    MediaFile.objects.update(last_activity_at=timezone.now() - datetime.timedelta(hours=hours))


def folder(media: MediaFile) -> Path:
    return Path(django_settings.MEDIA_ROOT) / f"schools/{media.school_id}/media/{media.pk}"


@pytest.fixture
def cleanup(django_capture_on_commit_callbacks):
    def run() -> dict:
        age_all()
        with django_capture_on_commit_callbacks(execute=True):
            return services.media_unused_delete()

    return run


def test_the_files_of_a_deleted_answer_go_and_the_others_stay(world, cleanup, classmate, classmate_parent):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    removed = answer_make(activity=activity, child=world.child, by=world.parent)
    kept = answer_make(activity=activity, child=classmate, by=classmate_parent)
    removed_media = removed.media
    removed.delete()  # a principal removed it in the admin

    assert cleanup() == {"deleted": 1, "kept": 1}
    assert not MediaFile.objects.filter(pk=removed_media.pk).exists() and not folder(removed_media).exists()
    assert folder(kept.media).exists() and Answer.objects.get().media_id == kept.media_id


def test_the_video_and_photos_of_a_deleted_activity_go(world, cleanup):
    video = clip_make(school=world.school, by=world.teacher)
    photo = photo_make(school=world.school, by=world.teacher)
    activity = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], video=video, photos=[photo]
    )
    other = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        photos=[photo_make(school=world.school, by=world.teacher)],
    )
    activity.delete()

    assert cleanup() == {"deleted": 2, "kept": 1}
    assert not folder(video).exists() and not folder(photo).exists()
    assert MediaFile.objects.get().pk == ActivityPhoto.objects.get(activity=other).media_id


def test_a_replaced_video_goes_and_its_replacement_stays(world, cleanup):
    old = clip_make(school=world.school, by=world.teacher)
    draft = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], video=old, published=False
    )
    new = clip_make(school=world.school, by=world.teacher)
    activity_services.activity_update(
        activity=draft,
        by=world.teacher,
        title=draft.title,
        instructions=draft.instructions,
        domain=draft.domain,
        age_group=draft.age_group,
        classrooms=[world.classroom],
        video=new.pk,
    )
    assert Activity.objects.get().video_id == new.pk

    assert cleanup() == {"deleted": 1, "kept": 1}
    assert not folder(old).exists() and folder(new).exists()


def test_files_used_by_activities_are_kept(world, cleanup):
    video = clip_make(school=world.school, by=world.teacher)
    photo = photo_make(school=world.school, by=world.teacher)
    activity = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], video=video, photos=[photo]
    )
    answer = answer_make(activity=activity, child=world.child, by=world.parent)
    assert cleanup() == {"deleted": 0, "kept": 3}
    assert all(folder(media).exists() for media in (video, photo, answer.media))


def test_activities_register_where_they_keep_files():
    registered = {(use.model._meta.label, use.field) for use in usage._uses if isinstance(use, usage.FieldUse)}
    assert {
        ("activities.Activity", "video"),
        ("activities.ActivityPhoto", "media"),
        ("activities.Answer", "media"),
    } <= (registered)
    assert usage.unregistered_foreign_keys() == []
    assert "mediafiles.W002" not in [message.id for message in checks.run_checks()]


def test_a_foreign_key_nobody_registered_still_keeps_its_file(world, cleanup, monkeypatch):
    """A new app that forgets to register loses no file; the system check names the field."""
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer = answer_make(activity=activity, child=world.child, by=world.parent)
    monkeypatch.setattr(usage, "_uses", [u for u in usage._uses if u != usage.FieldUse(Answer, "media")])
    warnings = [message for message in checks.run_checks() if message.id == "mediafiles.W002"]
    assert len(warnings) == 1 and "activities.Answer.media" in warnings[0].msg
    assert cleanup() == {"deleted": 0, "kept": 1}
    assert folder(answer.media).exists()


# --- Attaching while the cleanup runs (two connections, on PostgreSQL) -----------------------------------


def _in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_file_being_attached_is_skipped_by_the_cleanup_and_kept(world):
    requires_postgres()
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    photo = photo_make(school=world.school, by=world.parent)
    age_all()
    locked, go_on = threading.Event(), threading.Event()

    def attach():
        # What answer_create does: lock the file, then write the answer, in one transaction.
        with transaction.atomic():
            assert services.media_lock_for_attaching(media_id=photo.pk) is not None
            locked.set()
            go_on.wait(timeout=10)
            Answer.objects.create(
                school=world.school,
                activity=activity,
                child=world.child,
                classroom=world.classroom,
                guardian=world.parent,
                media_id=photo.pk,
            )

    thread = _in_thread(attach)
    assert locked.wait(timeout=10)
    assert services.media_unused_delete() == {"deleted": 0, "kept": 1}  # it does not wait, and keeps it
    go_on.set()
    thread.join(timeout=10)

    assert services.media_unused_delete() == {"deleted": 0, "kept": 1}  # now attached: in use
    assert Answer.objects.get().media_id == photo.pk and folder(photo).exists()


@pytest.mark.django_db(transaction=True)
def test_an_answer_sent_while_its_file_is_being_deleted_is_refused_cleanly(world):
    requires_postgres()
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    photo = photo_make(school=world.school, by=world.parent)
    age_all()
    outcome: list[str] = []
    cutoff = timezone.now() - datetime.timedelta(hours=24)

    def answer():
        try:
            activity_services.answer_create(activity=activity, child=world.child, by=world.parent, media=photo.pk)
            outcome.append("answered")
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))

    with transaction.atomic():
        assert services.media_delete_if_unused(media_id=photo.pk, cutoff=cutoff)
        thread = _in_thread(answer)  # waits for the cleanup's lock...
        thread.join(timeout=1)
        assert thread.is_alive() and outcome == []
    thread.join(timeout=10)  # ... and, the file gone, is told to upload it again

    assert len(outcome) == 1 and outcome[0] != "answered"
    assert not Answer.objects.exists() and not MediaFile.objects.exists()
