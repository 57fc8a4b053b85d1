"""The day before an event, its invited families and its volunteers are reminded, once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from community.models import VolunteerSignup
from notifications.models import Notice
from notifications.reminders import Job, reminder_job_run, reminder_sources
from tests.community.factories_events import event_make, role_make
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db

THE_DAY_BEFORE = at(2027, 9, 14, 16, 0)
STARTS = timezone.make_aware(datetime.datetime(2027, 9, 15, 17, 30))


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def job(now=THE_DAY_BEFORE):
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_job_run(job=Job.EVENTS_TOMORROW, now=now)

    return job


def _event(world, **kw):
    return event_make(world.school, starts_at=STARTS, ends_at=STARTS + datetime.timedelta(hours=2), **kw)


def test_the_source_is_registered():
    assert "community.events_tomorrow" in reminder_sources(Job.EVENTS_TOMORROW)


def test_invited_families_and_volunteers_are_reminded_once(world, run):
    event = _event(world, classrooms=[world.classroom], title="Tiết dạy mẫu Lá 1")
    role = role_make(event, name="Chụp ảnh", slots=2)
    VolunteerSignup.objects.create(school=world.school, role=role, guardian=world.parent)
    run()
    notices = list(Notice.objects.filter(category="events"))
    assert [n.recipient_id for n in notices] == [world.parent.pk]  # the only family of Lá 1
    assert "Tiết dạy mẫu Lá 1" in notices[0].title
    assert "Chụp ảnh" in notices[0].body and "15/09/2027" in notices[0].body and "17:30" in notices[0].body
    run()
    assert Notice.objects.filter(category="events").count() == 1


def test_a_whole_school_event_reaches_every_family_of_the_school_but_not_others(world, run):
    _event(world, whole_school=True)
    run()
    told = set(Notice.objects.filter(category="events").values_list("recipient_id", flat=True))
    assert told == {world.parent.pk, world.other_parent.pk}


def test_no_reminder_two_days_before(world, run):
    _event(world, whole_school=True)
    run(now=THE_DAY_BEFORE - datetime.timedelta(days=1))
    assert not Notice.objects.filter(category="events").exists()
