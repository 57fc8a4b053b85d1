"""Quotas: uploads per person and day (how many, how many bytes), uploads in progress at once, and the
school's storage. Each is refused with a clear message before a byte is sent, and nothing is made."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation

from mediafiles import quotas, services
from mediafiles.files import upload_dir
from mediafiles.models import MediaFile, State
from tests.conftest import requires_postgres
from tests.mediafiles.conftest import make_photo, upload_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, settings):
    """The person chose English: the refusals are asserted in the words they read."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def start(client, world, size: int = 1000, school=None):
    return upload_start(client, school=school or world.school, size=size)


def assert_nothing_made(before: int) -> None:
    assert MediaFile.objects.count() == before
    unfinished = list(upload_dir().glob("*.part"))
    assert len(unfinished) == MediaFile.objects.filter(state=State.UPLOADING).count(), "no file for the refused one"


def test_uploads_per_day_are_counted_and_the_next_one_is_refused(world, english, settings):
    settings.MEDIA_FAMILY_DAILY_UPLOADS = 2
    english.force_login(world.parent)
    assert start(english, world).status_code == 201
    assert start(english, world).status_code == 201
    refused = start(english, world)
    assert refused.status_code == 429
    assert refused.json()["error"] == (
        "You have started 2 uploads today, the most allowed in one day. Please try again tomorrow."
    )
    assert_nothing_made(2)


def test_yesterdays_uploads_do_not_count_today(world, client, settings):
    settings.MEDIA_FAMILY_DAILY_UPLOADS = 1
    client.force_login(world.parent)
    assert start(client, world).status_code == 201
    MediaFile.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, hours=1))
    assert start(client, world).status_code == 201


def test_staff_have_their_own_daily_count(world, client, settings):
    settings.MEDIA_FAMILY_DAILY_UPLOADS = 1
    client.force_login(world.teacher)
    assert start(client, world).status_code == 201
    assert start(client, world).status_code == 201


def test_bytes_per_day_are_counted_from_the_declared_sizes(world, english, settings):
    settings.MEDIA_FAMILY_DAILY_BYTES = 1500
    english.force_login(world.parent)
    assert start(english, world, size=1000).status_code == 201
    refused = start(english, world, size=600)
    assert refused.status_code == 429
    with translation.override("en"):
        size, left, limit = filesizeformat(600), filesizeformat(500), filesizeformat(1500)
    assert refused.json()["error"] == (
        f"This file ({size}) is more than you may still upload today: {left} of {limit} a day are left. "
        "Please try again tomorrow, or choose a smaller file."
    )
    assert_nothing_made(1)
    assert start(english, world, size=500).status_code == 201


def test_a_refused_file_counts_the_bytes_it_sent_not_the_ones_it_announced(world, client, settings):
    settings.MEDIA_FAMILY_DAILY_BYTES = 1500
    client.force_login(world.parent)
    first = services.media_upload_start(school=world.school, by=world.parent, kind="video", filename="a", size=1000)
    MediaFile.objects.filter(pk=first.pk).update(state=State.FAILED, received=200)
    assert start(client, world, size=1300).status_code == 201


def test_uploads_in_progress_at_once_are_limited(world, english, settings):
    settings.MEDIA_FAMILY_UNFINISHED_UPLOADS = 2
    english.force_login(world.parent)
    assert start(english, world).status_code == 201
    assert start(english, world).status_code == 201
    refused = start(english, world)
    assert refused.status_code == 429
    assert refused.json()["error"] == "You already have 2 uploads in progress. Let them finish, then try again."
    assert_nothing_made(2)


def test_a_teachers_batch_of_40_photos_may_all_be_started_at_once(world, english):
    """The defaults: a teacher photographs the day's works (40 at once); a family keeps a lower limit."""
    english.force_login(world.teacher)
    for number in range(40):
        assert (
            upload_start(english, school=world.school, size=1000, kind="image", filename=f"{number}.jpg").status_code
            == 201
        )
    assert MediaFile.objects.filter(uploaded_by=world.teacher, state=State.UPLOADING).count() == 40

    english.force_login(world.parent)
    for _number in range(10):
        assert start(english, world).status_code == 201
    refused = start(english, world)
    assert refused.status_code == 429
    assert refused.json()["error"] == "You already have 10 uploads in progress. Let them finish, then try again."


def test_the_staff_limit_of_uploads_in_progress_is_its_own(world, english, settings):
    settings.MEDIA_STAFF_UNFINISHED_UPLOADS = 2
    english.force_login(world.teacher)
    assert start(english, world).status_code == 201
    assert start(english, world).status_code == 201
    assert start(english, world).status_code == 429


def test_an_upload_left_for_an_hour_no_longer_holds_a_place(world, client, settings):
    """A closed tab must not block the person for the day it takes the sweep to remove the upload."""
    settings.MEDIA_FAMILY_UNFINISHED_UPLOADS = 1
    client.force_login(world.parent)
    assert start(client, world).status_code == 201
    assert start(client, world).status_code == 429
    MediaFile.objects.update(last_activity_at=timezone.now() - datetime.timedelta(minutes=61))
    assert start(client, world).status_code == 201


def test_a_finished_upload_no_longer_counts_as_in_progress(world, client, settings, photo):
    settings.MEDIA_FAMILY_UNFINISHED_UPLOADS = 1
    client.force_login(world.parent)
    data = photo.read_bytes()
    url = upload_start(client, school=world.school, size=len(data), kind="image").json()["upload_url"]
    from tests.mediafiles.conftest import upload_chunk

    assert upload_chunk(client, url, data, 0).status_code == 202
    assert start(client, world).status_code == 201


def test_the_schools_storage_ceiling_refuses_a_start_that_would_pass_it(world, english, settings, photo):
    kept = services.media_ingest(school=world.school, by=world.teacher, kind="image", path=photo)
    settings.MEDIA_SCHOOL_STORAGE_BYTES = kept.stored_bytes + 1000
    english.force_login(world.parent)
    refused = start(english, world, size=1001)
    assert refused.status_code == 507
    message = refused.json()["error"]
    assert message.startswith("Sao Mai has no room left for this file: ")
    assert message.endswith("for photos and videos are used. Please tell the school's principal.")
    assert_nothing_made(1)
    assert start(english, world, size=1000).status_code == 201


def test_uploads_on_their_way_hold_their_place_in_the_schools_storage(world, client, settings):
    settings.MEDIA_SCHOOL_STORAGE_BYTES = 2000
    client.force_login(world.parent)
    assert start(client, world, size=1500).status_code == 201
    assert start(client, world, size=600).status_code == 507
    client.force_login(world.other_principal)  # another school has its own storage
    assert start(client, world, size=1500, school=world.other_school).status_code == 201


def test_the_schools_storage_is_asked_again_when_the_worker_stores_the_file(
    world, english, settings, photo, django_capture_on_commit_callbacks
):
    """Between the start and the end the school's storage filled up (other files, their renditions)."""
    world.parent.language = "en"  # the worker speaks the uploader's language
    world.parent.save(update_fields=["language"])
    english.force_login(world.parent)
    filler = make_photo(photo.parent / "big.png", size=(300, 300), fmt="PNG")
    with django_capture_on_commit_callbacks(execute=False):
        started = upload_start(english, school=world.school, size=photo.stat().st_size, kind="image")
        media_id = started.json()["id"]
        services.media_ingest(school=world.school, by=world.teacher, kind="image", path=filler)
    # What the school keeps (this upload's place included) is now just over its ceiling.
    settings.MEDIA_SCHOOL_STORAGE_BYTES = quotas.school_storage_used(school=world.school) - 1
    with django_capture_on_commit_callbacks(execute=True):
        from tests.mediafiles.conftest import upload_chunk

        last = upload_chunk(english, f"/media/uploads/{media_id}/", photo.read_bytes(), 0)
    assert last.status_code == 202
    status = english.get(f"/media/uploads/{media_id}/status/").json()
    assert status["state"] == "failed"
    assert status["reason"].startswith("Sao Mai has no room left for this file: ")
    media = MediaFile.objects.get(pk=media_id)
    assert not media.original and media.stored_bytes == 0


def test_files_taken_in_by_the_portal_count_for_the_school_not_for_a_person(world, settings, photo):
    settings.MEDIA_STAFF_DAILY_UPLOADS = 0
    assert services.media_ingest(school=world.school, by=world.teacher, kind="image", path=photo).is_ready
    settings.MEDIA_SCHOOL_STORAGE_BYTES = 10
    with pytest.raises(ValidationError) as refused:
        services.media_ingest(school=world.school, by=world.teacher, kind="image", path=photo)
    assert refused.value.error_list[0].code == "quota_storage"
    assert MediaFile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_starts_at_once_cannot_both_pass_a_quota(world, settings):
    """The school and the person are locked while the quotas are counted: the second start counts the first."""
    requires_postgres()
    settings.MEDIA_FAMILY_DAILY_UPLOADS = 1
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt():
        try:
            barrier.wait(timeout=10)
            services.media_upload_start(school=world.school, by=world.parent, kind="video", filename="a.mp4", size=10)
            outcomes.append("started")
        except ValidationError as exc:
            outcomes.append(exc.error_list[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["quota_count", "started"]
    assert MediaFile.objects.count() == 1
