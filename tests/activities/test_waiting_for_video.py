"""Published while its video is still being prepared, an activity waits, then publishes itself;
when the video fails it stays a draft with the reason, and no family ever sees a broken player."""

from __future__ import annotations

import pytest
from django.utils import translation

from activities.models import Activity
from mediafiles import services as media_services
from mediafiles.models import MediaFile
from notifications.models import Notice
from tests.mediafiles.conftest import make_clip, upload_file

pytestmark = pytest.mark.django_db


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


@pytest.fixture
def processing_video(client, world, tmp_path) -> MediaFile:
    """Uploaded by the teacher through the upload protocol; its processing task has not run yet."""
    clip = make_clip(tmp_path / "bai-hoc.mp4", seconds=1, size="160x120")
    client.force_login(world.teacher)
    media_id, response = upload_file(client, school=world.school, path=clip)
    assert response.status_code == 202
    media = MediaFile.objects.get(pk=media_id)
    assert media.state == "processing"
    return media


def publish_with(client, world, video) -> Activity:
    client.force_login(world.teacher)
    page = client.post(
        f"/schools/{world.school.slug}/activities/new/",
        {
            "title": "Làm đàn bằng dây thun",
            "domain": "aesthetic",
            "age_group": "la",
            "classrooms": [world.classroom.pk],
            "instructions": "Căng dây thun qua hộp giấy rồi gảy thử.",
            "video": str(video.pk),
            "publish": "1",
        },
        follow=True,
    ).content.decode()
    assert (
        vi("The activity will publish when the video is ready. The families are told then; you need do nothing.")
        in page
    )
    return Activity.objects.get()


def test_the_activity_waits_for_its_video_then_publishes_and_tells_the_families(
    client, world, processing_video, django_capture_on_commit_callbacks
):
    activity = publish_with(client, world, processing_video)
    assert activity.state == "waiting" and activity.published_at is None
    client.force_login(world.parent)
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
    assert not Notice.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        media_services.media_process(media_id=processing_video.pk)

    activity.refresh_from_db()
    assert activity.state == "published" and activity.published_at
    assert list(Notice.objects.values_list("recipient_id", flat=True)) == [world.parent.pk]
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert f'src="/media/{processing_video.pk}/video"' in page
    assert client.get(f"/media/{processing_video.pk}/video").status_code == 200


def test_a_failed_video_keeps_the_activity_in_draft_with_the_reason_for_the_teacher(
    client, world, processing_video, django_capture_on_commit_callbacks
):
    activity = publish_with(client, world, processing_video)
    with django_capture_on_commit_callbacks(execute=True):
        media_services.media_fail(media_id=processing_video.pk)
    processing_video.refresh_from_db()
    assert processing_video.state == "failed"

    activity.refresh_from_db()
    assert activity.state == "draft" and activity.held_reason == processing_video.failure_reason
    client.force_login(world.teacher)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert processing_video.failure_reason in page and vi("Not published.") in page
    # The teacher is told; no family is, and no family sees it.
    held = Notice.objects.get()
    assert held.recipient == world.teacher and held.url == f"/activities/{activity.pk}/"
    client.force_login(world.parent)
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
    assert "<video" not in client.get(f"/children/{world.child.pk}/activities/").content.decode()


def test_publishing_again_with_the_failed_video_is_refused_with_the_reason(
    client, world, processing_video, django_capture_on_commit_callbacks
):
    activity = publish_with(client, world, processing_video)
    with django_capture_on_commit_callbacks(execute=True):
        media_services.media_fail(media_id=processing_video.pk)
    processing_video.refresh_from_db()
    client.force_login(world.teacher)
    page = client.post(f"/activities/{activity.pk}/publish/", follow=True).content.decode()
    assert processing_video.failure_reason in page
    activity.refresh_from_db()
    assert activity.state == "draft"


def test_the_video_ready_signal_and_a_click_on_publish_publish_once(
    client, world, processing_video, django_capture_on_commit_callbacks
):
    activity = publish_with(client, world, processing_video)
    with django_capture_on_commit_callbacks(execute=True):
        media_services.media_process(media_id=processing_video.pk)
        client.force_login(world.teacher)
        client.post(f"/activities/{activity.pk}/publish/")
        # The signal again (a redelivered task): nothing more happens.
        from activities.services import activity_media_settle

        activity_media_settle(media=MediaFile.objects.get(pk=processing_video.pk))
    assert Notice.objects.count() == 1
