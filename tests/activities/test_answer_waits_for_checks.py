"""An answer takes its photo or clip only once the worker has checked it: a family cannot send a second
answer, so it must never be left with a file that turns out to be refused."""

from __future__ import annotations

import pytest

from activities.models import Answer
from tests.activities.makers import activity_make
from tests.mediafiles.conftest import make_photo, upload_file

pytestmark = pytest.mark.django_db


def test_an_answer_waits_until_its_photo_is_checked(
    client, world, tmp_path, settings, django_capture_on_commit_callbacks
):
    photo = make_photo(tmp_path / "tranh.jpg")
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    client.force_login(world.parent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        media_id, last = upload_file(client, school=world.school, path=photo, kind="image")
    assert last.status_code == 202
    url = f"/activities/{activity.pk}/children/{world.child.pk}/answer/"

    page = client.post(url, {"photo": media_id, "note": "Bé làm rất vui"}).content.decode()
    assert "This file is still being checked. Wait a moment, then send the form again." in page
    assert not Answer.objects.exists()

    # The worker checks it (the other callbacks renew the school's kept pages).
    next(callback for callback in queued if "_queue_processing" in callback.__qualname__)()
    sent = client.post(url, {"photo": media_id, "note": "Bé làm rất vui"})
    assert sent.status_code == 302
    assert Answer.objects.get().media_id is not None and str(Answer.objects.get().media_id) == media_id
