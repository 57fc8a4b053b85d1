"""The check-up-day reminder: the day before, each active guardian of the child is told, once."""

from __future__ import annotations

import datetime

import pytest

from health.models import CheckUp
from notifications.models import Delivery, Notice
from notifications.reminders import Job, reminder_job_run, reminder_sources
from parents.models import GuardianshipStatus
from tests import factories as f
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db

PROVIDER = "Trạm Y tế phường Bến Nghé"
DAY = datetime.date(2027, 3, 10)
THE_DAY_BEFORE = at(2027, 3, 9, 16, 15)


def checkup(world, child=None, on=DAY, **more):
    return CheckUp.objects.create(school=world.school, child=child or world.child, on=on, provider=PROVIDER, **more)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job at a moment; the fan-out to several guardians is queued on commit, so it runs as a
    committed job's would."""

    def job(now=THE_DAY_BEFORE):
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_job_run(job=Job.HEALTH_CHECKUP_DAY, now=now)

    return job


def test_the_source_is_registered_and_beat_runs_its_task():
    from notifications import tasks
    from notifications.schedule import BEAT_SCHEDULE

    assert "health.checkups_tomorrow" in reminder_sources(Job.HEALTH_CHECKUP_DAY)
    entry = BEAT_SCHEDULE["notify-reminders-health-checkup-day"]
    assert entry["task"] == "notifications.tasks.notify_reminders_health_checkup_day"
    assert callable(tasks.notify_reminders_health_checkup_day)


def test_each_guardian_is_told_the_day_before_with_the_given_name_only_and_only_once(world, run):
    second_guardian = f.UserFactory(email="father@example.test", full_name="Nguyễn Văn Ba")
    f.GuardianshipFactory(child=world.child, guardian=second_guardian)
    suspended = f.UserFactory(email="claim@example.test")
    f.GuardianshipFactory(child=world.child, guardian=suspended, status=GuardianshipStatus.SUSPENDED)
    planned = checkup(world)

    outcome = run()

    assert outcome.sent == 2
    notices = Notice.objects.filter(category="health").order_by("recipient_id")
    assert {n.recipient_id for n in notices} == {world.parent.pk, second_guardian.pk}
    for notice in notices:
        assert notice.url == f"/health/children/{world.child.pk}/"
        assert "Khôi" in notice.title and "Nguyễn" not in notice.title
        assert "Nguyễn" not in notice.body and PROVIDER in notice.body
        assert notice.dedupe_key == f"reminder:{Job.HEALTH_CHECKUP_DAY}:checkup:{planned.pk}:2027-03-10"
        assert notice.school_id == world.school.pk
    assert Delivery.objects.filter(notice__in=notices, channel="email").count() == 2

    # Run again (late, or twice at once): nobody is told twice.
    again = run(at(2027, 3, 9, 20, 0))
    assert again.sent == 0
    assert Notice.objects.filter(category="health").count() == 2


def test_nobody_is_told_of_other_days_recorded_check_ups_or_children_who_left(world, run):
    checkup(world, on=DAY + datetime.timedelta(days=1))  # the day after tomorrow
    checkup(world, on=DAY - datetime.timedelta(days=1))  # today
    checkup(world, child=world.sibling, done=True, findings="Sâu răng")  # recorded already
    checkup(world, child=world.left_child)  # left the school
    orphan = f.ChildFactory(classroom=world.classroom, full_name="Không Có Phụ Huynh")
    checkup(world, child=orphan)  # no guardian with an account

    assert run().sent == 0
    assert not Notice.objects.exists()


def test_the_findings_of_a_recorded_check_up_never_reach_a_notice(world, run):
    checkup(world, findings="Răng sâu, cần điều trị")
    checkup(world, child=world.other_class_child)
    run()
    texts = " ".join(Notice.objects.values_list("title", flat=True)) + " ".join(
        Notice.objects.values_list("body", flat=True)
    )
    assert "Răng sâu" not in texts
    assert "Linh" in texts and "Phạm Khánh" not in texts
