"""The feedback box as families, leaders and officers see it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from feedback import services
from feedback.models import FeedbackItem, FeedbackSettings
from notifications.models import Notice
from tests.feedback.factories import MESSAGE, answered, item_make

pytestmark = pytest.mark.django_db

PARENT_NAME = "Trần Thị Hoa"


def _send(client, world, **data):
    client.force_login(world.parent)
    post = {"route": "school", "kind": "concern", "topic": "facilities", "message": MESSAGE, **data}
    return client.post("/feedback/schools/sao-mai/new/", post)


# --- Anonymity


def test_an_anonymous_sender_is_stored_but_never_shown_to_the_school(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # notices are fanned out on commit
        response = _send(client, world, anonymous="on")
    assert response.status_code == 302
    item = FeedbackItem.objects.get()
    assert item.sender == world.parent and item.anonymous  # the portal knows

    client.force_login(world.principal)
    inbox = client.get("/feedback/schools/sao-mai/inbox/").content.decode()
    page = client.get(f"/feedback/{item.pk}/").content.decode()
    changelist = client.get("/admin/feedback/feedbackitem/").content.decode()
    change = client.get(f"/admin/feedback/feedbackitem/{item.pk}/change/").content.decode()
    assert "Anonymous" in inbox and MESSAGE in page and "Anonymous" in changelist
    for shown in (inbox, page, changelist, change):
        assert PARENT_NAME not in shown
        assert "parent@example.test" not in shown
    notice = Notice.objects.get(recipient=world.principal)
    assert PARENT_NAME not in notice.title + notice.body and MESSAGE not in notice.body


def test_a_named_sender_is_shown_to_the_leaders(client, world):
    _send(client, world)
    client.force_login(world.principal)
    assert PARENT_NAME in client.get("/feedback/schools/sao-mai/inbox/").content.decode()


def test_an_anonymous_senders_photo_is_seen_by_the_leaders_but_not_listed_in_the_media_admin(client, world):
    from tests.activities.makers import photo_make

    media = photo_make(school=world.school, by=world.parent)
    assert _send(client, world, anonymous="on", photo=str(media.pk)).status_code == 302
    item = FeedbackItem.objects.get()
    assert item.photo_id == media.pk
    client.force_login(world.principal)
    assert client.get(media.photo_url).status_code == 200
    assert str(media.pk) not in client.get("/admin/mediafiles/mediafile/").content.decode()
    client.force_login(world.teacher)
    assert client.get(media.photo_url).status_code == 404


# --- The answer


def test_the_sender_sees_the_answer_and_is_told(client, world):
    item = item_make(world)
    client.force_login(world.principal)
    response = client.post(f"/feedback/{item.pk}/answer/", {"answer": "We repaired the gate this morning."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answered_by == world.principal and item.response_working_days is not None
    client.force_login(world.parent)
    assert "We repaired the gate this morning." in client.get(f"/feedback/{item.pk}/").content.decode()
    assert Notice.objects.filter(recipient=world.parent, url=f"/feedback/{item.pk}/").exists()


def test_the_other_parent_sees_nothing_of_it(client, world):
    item = item_make(world)
    client.force_login(world.other_parent)
    assert client.get(f"/feedback/{item.pk}/").status_code == 404
    assert MESSAGE not in client.get("/feedback/").content.decode()


def test_an_assigned_teacher_reads_the_item_without_an_anonymous_senders_name(client, world):
    item = item_make(world, anonymous=True)
    client.force_login(world.principal)
    client.post(f"/feedback/{item.pk}/assign/", {"assigned_to": str(world.teacher.pk)})
    client.force_login(world.teacher)
    page = client.get(f"/feedback/{item.pk}/").content.decode()
    assert MESSAGE in page and PARENT_NAME not in page
    assert f'data-item="{item.pk}"' in client.get("/feedback/").content.decode()


def test_the_principal_sees_response_times_in_working_days(client, world):
    # Sent on Friday 6 March 2026, answered on Tuesday 10 March: Monday and Tuesday are 2 working days.
    sent = timezone.make_aware(datetime.datetime(2026, 3, 6, 9, 0))
    item = item_make(world, created_at=sent)
    services.feedback_answer(by=world.principal, item=item, answer="Done.", now=sent + datetime.timedelta(days=4))
    item.refresh_from_db()
    assert item.response_working_days == 2
    client.force_login(world.principal)
    page = client.get("/feedback/schools/sao-mai/inbox/").content.decode()
    print(page[page.find("<main") :])
    assert "answered in 2 days" in page and "Average response time: 2,0 working days" in page


# --- Publishing


def test_publishing_needs_the_senders_agreement(client, world):
    item = answered(item_make(world, kind="question", topic="meals"), by=world.principal)
    client.force_login(world.principal)
    response = client.post(f"/feedback/{item.pk}/publish/", {"action": "publish"}, follow=True)
    assert "The sender did not agree to publish this item." in response.content.decode()
    item.refresh_from_db()
    assert item.published_at is None
    assert MESSAGE not in client.get("/feedback/schools/sao-mai/answered/").content.decode()


def test_an_agreed_and_answered_item_is_published_without_a_name(client, world):
    item = answered(item_make(world, kind="question", topic="meals", publish_agreed=True), by=world.principal)
    client.force_login(world.principal)
    client.post(f"/feedback/{item.pk}/publish/", {"action": "publish"})
    client.logout()
    page = client.get("/feedback/schools/sao-mai/answered/").content.decode()
    assert MESSAGE in page and item.answer in page and PARENT_NAME not in page


def test_the_public_page_links_to_the_answers(client, world):
    from coordination.lib.links import links_for

    urls = [link["url"] for link in links_for("school_public", None, world.school)]
    assert "/feedback/schools/sao-mai/answered/" in urls


# --- Escalation


def _old_item(world, **fields):
    return item_make(world, created_at=timezone.now() - datetime.timedelta(days=21), **fields)


def test_an_overdue_item_is_escalated_without_its_text(client, world, django_capture_on_commit_callbacks):
    item = _old_item(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.feedback_escalate_overdue() == 1
    assert services.feedback_escalate_overdue() == 0  # once
    item.refresh_from_db()
    assert item.escalated_at is not None
    client.force_login(world.officer)
    listing = client.get("/feedback/authority/").content.decode()
    page = client.get(f"/feedback/{item.pk}/").content.decode()
    assert "Buildings and equipment" in listing and "Sao Mai" in listing
    assert "Buildings and equipment" in page and "data-text-withheld" in page
    assert MESSAGE not in page and PARENT_NAME not in page
    notice = Notice.objects.get(recipient=world.officer)
    assert "Sao Mai" in notice.title and MESSAGE not in notice.body
    for officer in (world.province_officer, world.foreign_officer):
        client.force_login(officer)
        assert client.get(f"/feedback/{item.pk}/").status_code == 404


def test_the_text_is_shown_when_the_sender_shared_it(client, world):
    item = _old_item(world, share_with_authority=True)
    services.feedback_escalate_overdue()
    client.force_login(world.officer)
    page = client.get(f"/feedback/{item.pk}/").content.decode()
    assert MESSAGE in page and PARENT_NAME in page


def test_each_school_sets_its_working_days(world):
    FeedbackSettings.objects.create(school=world.school, escalation_working_days=30)
    _old_item(world)
    assert services.feedback_escalate_overdue() == 0


def test_an_answered_or_recent_item_is_not_escalated(world):
    answered(_old_item(world), by=world.principal)
    item_make(world)
    assert services.feedback_escalate_overdue() == 0


def test_the_escalation_runs_daily_from_beat():
    from coordination.celery import app

    assert app.conf.beat_schedule["feedback-escalations"]["task"] == "feedback.tasks.notify_feedback_escalations"


# --- Straight to the authority


def test_a_concern_sent_to_the_authority_is_never_the_schools(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, world, route="authority")
    assert response.status_code == 302
    item = FeedbackItem.objects.get()
    client.force_login(world.principal)
    assert client.get(f"/feedback/{item.pk}/").status_code == 404
    assert f'data-item="{item.pk}"' not in client.get("/feedback/schools/sao-mai/inbox/").content.decode()
    assert client.get(f"/admin/feedback/feedbackitem/{item.pk}/change/").status_code == 302
    assert MESSAGE not in client.get("/admin/feedback/feedbackitem/").content.decode()
    assert client.post(f"/feedback/{item.pk}/answer/", {"answer": "No."}).status_code == 404
    assert not Notice.objects.filter(recipient__in=[world.principal, world.vice_principal]).exists()

    client.force_login(world.officer)
    assert MESSAGE in client.get(f"/feedback/{item.pk}/").content.decode()
    assert Notice.objects.filter(recipient=world.officer).exists()
    assert client.post(f"/feedback/{item.pk}/answer/", {"answer": "We will look into it."}).status_code == 302
    client.force_login(world.parent)
    assert "We will look into it." in client.get(f"/feedback/{item.pk}/").content.decode()


def test_a_direct_item_is_never_escalated_nor_published(world):
    _old_item(world, route="authority")
    assert services.feedback_escalate_overdue() == 0


# --- Bad input


@pytest.mark.parametrize(
    ("message", "said"),
    [("   ", "Please write your message."), ("x" * 2001, "Please keep it under 2000 characters (it has 2001).")],
)
def test_an_empty_or_oversized_message_is_refused_and_nothing_is_saved(client, world, message, said):
    response = _send(client, world, message=message)
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not FeedbackItem.objects.exists() and not Notice.objects.exists()


def test_an_empty_message_is_refused_in_vietnamese(client, world, settings):
    from django.utils import translation

    world.parent.language = "vi"
    world.parent.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    with translation.override("vi"):
        response = _send(client, world, message="")
    assert response.status_code == 400
    assert not FeedbackItem.objects.exists()


def test_an_empty_answer_is_refused_and_changes_nothing(client, world):
    item = item_make(world)
    client.force_login(world.principal)
    response = client.post(f"/feedback/{item.pk}/answer/", {"answer": ""})
    assert response.status_code == 400 and "Please write the answer." in response.content.decode()
    item.refresh_from_db()
    assert item.answered_at is None


def test_only_a_concern_goes_straight_to_the_authority(client, world):
    response = _send(client, world, route="authority", kind="suggestion")
    assert response.status_code == 400
    assert "Only a concern can be sent straight to the authority." in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_a_family_of_another_school_cannot_write_to_this_one(client, world):
    client.force_login(world.foreign_parent)
    assert client.get("/feedback/schools/sao-mai/new/").status_code == 404


# --- Queries


def test_the_familys_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answered(item_make(world), by=world.principal)
    client.force_login(world.parent)
    client.get("/feedback/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/feedback/").status_code == 200
    for n in range(8):
        item_make(world, message=f"Message {n}", route="authority" if n % 2 else "school")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/feedback/")


def test_the_item_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = answered(item_make(world), by=world.principal)
    client.force_login(world.parent)
    client.get(f"/feedback/{item.pk}/")  # the person's cached values in place
    with CaptureQueriesContext(connection) as few:
        client.get(f"/feedback/{item.pk}/")
    few_count = len(few.captured_queries)  # now: the next request empties the connection's log
    other = answered(item_make(world, message="Another one, longer " * 20), by=world.principal)
    client.get(f"/feedback/{other.pk}/")
    with django_assert_num_queries(few_count):
        client.get(f"/feedback/{other.pk}/")
