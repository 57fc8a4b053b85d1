"""An organiser changes an event's time or place, or cancels it: the families invited and the volunteers
are told, and a cancelled event takes no more answers nor sign-ups and has no reminder."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Event, EventAnswer, VolunteerSignup
from notifications.models import Notice
from tests.community.factories_events import (
    _in_english,  # noqa: F401  (autouse)
    event_make,
    role_make,
)

pytestmark = pytest.mark.django_db


def _form(event, **changes) -> dict:
    local = timezone.localtime(event.starts_at)
    data = {
        "title": event.title,
        "kind": event.kind,
        "starts_at": f"{local:%Y-%m-%dT%H:%M}",
        "ends_at": f"{timezone.localtime(event.ends_at):%Y-%m-%dT%H:%M}",
        "place": event.place,
        "programme": event.programme,
    }
    data.update(changes)
    return data


def test_moving_the_event_tells_the_families(client, world, django_capture_on_commit_callbacks):
    event = event_make(world.school, classrooms=[world.classroom])
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community:event_edit", args=[event.pk]), _form(event, place="Hội trường"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.place == "Hội trường"
    notices = list(Notice.objects.filter(category="events"))
    assert [n.recipient_id for n in notices] == [world.parent.pk]
    assert "Hội trường" in notices[0].body


def test_a_new_title_alone_tells_nobody(client, world, django_capture_on_commit_callbacks):
    event = event_make(world.school, whole_school=True)
    client.force_login(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:event_edit", args=[event.pk]), _form(event, title="Đêm hội trăng rằm"))
    assert Event.objects.get().title == "Đêm hội trăng rằm"
    assert not Notice.objects.exists()


def test_moving_an_event_into_the_past_is_refused(client, world):
    event = event_make(world.school, whole_school=True)
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    client.force_login(world.principal)
    response = client.post(
        reverse("community:event_edit", args=[event.pk]), _form(event, starts_at=f"{yesterday:%Y-%m-%dT%H:%M}")
    )
    assert response.status_code == 400 and "The event cannot start in the past." in response.content.decode()
    assert Event.objects.get().starts_at == event.starts_at


def test_cancelling_tells_families_and_volunteers_and_closes_answers(client, world, django_capture_on_commit_callbacks):
    event = event_make(world.school, classrooms=[world.classroom])
    role = role_make(event)
    VolunteerSignup.objects.create(school=world.school, role=role, guardian=world.other_parent)  # since moved class
    client.force_login(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:event_cancel", args=[event.pk]), {"reason": "Trời mưa bão"})
    event.refresh_from_db()
    assert event.cancelled_at is not None and event.cancel_reason == "Trời mưa bão"
    told = set(Notice.objects.filter(category="events").values_list("recipient_id", flat=True))
    assert told == {world.parent.pk, world.other_parent.pk}
    assert "Trời mưa bão" in Notice.objects.filter(recipient=world.parent).get().body

    client.force_login(world.parent)
    page = client.get(reverse("community:event_detail", args=[event.pk])).content.decode()
    assert "This event is cancelled." in page
    response = client.post(reverse("community:event_answer", args=[event.pk]), {"coming": "yes", "people": "2"})
    assert response.status_code == 400 and not EventAnswer.objects.exists()
    response = client.post(reverse("community:event_role_signup", args=[role.pk]), follow=True)
    assert "The event is cancelled." in response.content.decode()
    assert VolunteerSignup.objects.count() == 1

    client.force_login(world.principal)
    response = client.post(reverse("community:event_cancel", args=[event.pk]), follow=True)
    assert "The event is already cancelled." in response.content.decode()


def test_a_cancelled_event_has_no_reminder(world, django_capture_on_commit_callbacks):
    from notifications.reminders import Job, reminder_job_run

    event = event_make(world.school, whole_school=True, days=1)
    Event.objects.filter(pk=event.pk).update(cancelled_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        reminder_job_run(job=Job.EVENTS_TOMORROW, now=event.starts_at - datetime.timedelta(days=1))
    assert not Notice.objects.exists()
