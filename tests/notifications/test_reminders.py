"""Reminder jobs run from beat, send what the apps' sources yield, once, and follow up within the rule.

The apps that will own loans, events, pledges and check-ups do not exist yet:
these sources are the tests' own.
"""

from __future__ import annotations

import datetime
import logging
import threading

import pytest
from celery.schedules import crontab
from django.db import connection
from django.utils.translation import gettext_lazy

from coordination.celery import app
from notifications import reminders, tasks
from notifications.models import Notice
from notifications.reminders import FollowUps, Job, Reminder, reminder_job_run, reminder_source_register
from tests import factories as f
from tests.conftest import requires_postgres
from tests.notifications.conftest import at, prefer

QUIET_START, QUIET_END = datetime.time(21, 0), datetime.time(6, 30)  # the default quiet hours
WEEK = datetime.timedelta(days=7)


@pytest.fixture(autouse=True)
def registry():
    """Each test registers its own sources; the registry is as it was afterwards."""
    saved = {job: dict(sources) for job, sources in reminders._registry.items()}
    for sources in reminders._registry.values():
        sources.clear()
    yield reminders._registry
    reminders._registry.clear()
    reminders._registry.update(saved)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a job now (or at `now`) with what it queues on commit, as a worker would."""

    def run_job(job, now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_job_run(job=job, now=now)

    return run_job


def families(n: int, **preference) -> list:
    people = [f.UserFactory(email=f"family{i}@example.test") for i in range(n)]
    for person in people:
        prefer(person, frequency="immediate", **preference)
    return people


def personal(person, key: str, **extra) -> Reminder:
    return Reminder(
        recipients=(person.pk,),
        category=extra.pop("category", "loans"),
        title=extra.pop("title", gettext_lazy("%(item)s is due back tomorrow")),
        body=extra.pop("body", ""),
        context=extra.pop("context", {"item": "Bộ đồ chú bộ đội"}),
        url=extra.pop("url", "/family/"),
        key=key,
        **extra,
    )


# --- The schedule -------------------------------------------------------------------------------------------


def test_every_job_has_a_beat_entry_at_a_sane_time_on_the_notifications_queue():
    schedule = app.conf.beat_schedule
    for job in Job:
        name = f"notify_reminders_{job.value.replace('-', '_')}"
        [entry] = [entry for entry in schedule.values() if entry["task"] == f"notifications.tasks.{name}"]
        when = entry["schedule"]
        assert isinstance(when, crontab), job
        # Once a day (or week, or month) at one set time, outside the default quiet hours.
        assert len(when.hour) == 1 and len(when.minute) == 1, job
        at_time = datetime.time(min(when.hour), min(when.minute))
        assert QUIET_END <= at_time < QUIET_START, job
        assert 0 < entry["options"]["expires"] < 24 * 3600, job
        assert app.amqp.router.route({}, entry["task"])["queue"].name == "notifications", job
        assert getattr(tasks, name).name == entry["task"]


def test_the_honour_roll_goes_monthly_and_pledges_on_weekdays():
    schedule = {entry["task"].rsplit(".", 1)[1]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["notify_reminders_honour_roll"].day_of_month == {1}
    assert schedule["notify_reminders_pledge_follow_ups"].day_of_week == {1, 2, 3, 4, 5}
    assert schedule["notify_reminders_loans_due_tomorrow"].day_of_week == set(range(7))


# --- Running jobs ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_without_a_source_does_nothing_and_says_so_at_debug(run, caplog):
    with caplog.at_level(logging.DEBUG, logger="notifications.reminders"):
        outcome = run(Job.EVENTS_TOMORROW)
    assert (outcome.sent, outcome.skipped, outcome.failed) == (0, 0, 0)
    assert not Notice.objects.exists()
    [record] = [r for r in caplog.records if r.name == "notifications.reminders"]
    assert record.levelno == logging.DEBUG and "no source" in record.getMessage()


@pytest.mark.django_db
def test_a_job_sends_each_reminder_once_in_each_person_s_language(run, clock, mailoutbox):
    clock.to(at(2026, 3, 2, 16, 30))
    hoa, lan, mai = families(3)
    lan.language = "en"
    lan.save()
    seen = []

    def loans_due_tomorrow(run):
        seen.append(run.today)
        yield personal(hoa, f"loan:1:due:{run.today + datetime.timedelta(days=1)}")
        yield personal(lan, f"loan:2:due:{run.today + datetime.timedelta(days=1)}", context={"item": "Sunday"})
        # The same words for two people: one reminder, fanned out.
        yield Reminder(
            recipients=(hoa.pk, mai.pk),
            category="events",
            title=gettext_lazy("Sunday"),
            key="event:9:eve",
            url="/family/",
        )

    reminder_source_register(job=Job.LOANS_DUE_TOMORROW, produce=loans_due_tomorrow)
    first = run(Job.LOANS_DUE_TOMORROW)
    again = run(Job.LOANS_DUE_TOMORROW)
    clock.shift(hours=3)  # a late run the same evening
    late = run(Job.LOANS_DUE_TOMORROW)

    assert seen == [datetime.date(2026, 3, 2)] * 3
    assert (first.sent, first.failed) == (4, 0)
    assert (again.sent, again.skipped) == (late.sent, late.skipped) == (0, 4)
    assert Notice.objects.count() == 4 and len(mailoutbox) == 4
    titles = dict(Notice.objects.filter(dedupe_key__contains=":loan:").values_list("recipient", "title"))
    assert titles == {hoa.pk: "Ngày mai đến hạn trả Bộ đồ chú bộ đội", lan.pk: "Sunday is due back tomorrow"}
    assert set(Notice.objects.filter(dedupe_key="reminder:loans-due-tomorrow:event:9:eve").values_list("title")) == {
        ("Chủ nhật",)
    }


@pytest.mark.django_db
def test_one_failing_item_or_source_leaves_the_others_alone(run, clock, caplog):
    clock.to(at(2026, 3, 2, 7, 0))
    hoa, lan, mai = families(3)

    def overdue(run):
        yield personal(hoa, "loan:1:overdue")
        yield personal(lan, "loan:2:overdue", url="https://elsewhere.example/")  # not a link inside the portal
        yield personal(lan, "x" * 300)  # too long a key
        yield Reminder(recipients=(10**9,), category="loans", title="t", key="loan:3:overdue")  # nobody
        yield personal(mai, "loan:4:overdue")

    def broken(run):
        yield personal(lan, "loan:5:overdue")
        raise RuntimeError("the library's database is being migrated")

    reminder_source_register(job=Job.LOANS_OVERDUE, produce=overdue)
    reminder_source_register(job=Job.LOANS_OVERDUE, produce=broken)
    outcome = run(Job.LOANS_OVERDUE)

    assert (outcome.sent, outcome.failed) == (3, 4)
    assert sorted(Notice.objects.values_list("recipient__email", "dedupe_key")) == [
        ("family0@example.test", "reminder:loans-overdue:loan:1:overdue"),
        ("family1@example.test", "reminder:loans-overdue:loan:5:overdue"),
        ("family2@example.test", "reminder:loans-overdue:loan:4:overdue"),
    ]
    assert "the library's database is being migrated" in caplog.text


@pytest.mark.django_db
def test_pledge_follow_ups_at_most_two_a_week_apart_and_only_to_those_who_pledged(run, clock):
    clock.to(at(2026, 3, 2, 10, 0))
    pledger, late_pledger, bystander = families(3)
    pledged_on = {pledger.pk: at(2026, 3, 2, 9, 0), late_pledger.pk: at(2026, 3, 5, 9, 0)}

    def open_pledges(run):
        for person, since in pledged_on.items():
            if since <= run.now:
                yield Reminder(
                    recipients=(person,),
                    category="pledges",
                    title="Cảm ơn quý phụ huynh đã đăng ký ủng hộ",
                    key=f"pledge:{person}",
                    since=since,
                    url="/family/",
                )

    reminder_source_register(
        job=Job.PLEDGE_FOLLOW_UPS, produce=open_pledges, follow_ups=FollowUps(limit=2, spacing=WEEK)
    )
    for _day in range(40):  # daily, twice a day: the rule decides
        run(Job.PLEDGE_FOLLOW_UPS)
        run(Job.PLEDGE_FOLLOW_UPS)
        clock.shift(days=1)

    sent = {}
    for recipient, key, created in Notice.objects.order_by("created_at").values_list(
        "recipient", "dedupe_key", "created_at"
    ):
        sent.setdefault(recipient, []).append((key.rsplit("#", 1)[1], created))
    assert set(sent) == {pledger.pk, late_pledger.pk}  # never the bystander
    for person, follow_ups in sent.items():
        assert [number for number, _created in follow_ups] == ["1", "2"]
        first, second = (created for _number, created in follow_ups)
        assert first - pledged_on[person] >= WEEK and second - first >= WEEK
    assert sent[pledger.pk][0][1] == at(2026, 3, 9, 10, 0)


@pytest.mark.django_db
def test_without_a_start_the_first_follow_up_goes_at_once(run, clock):
    clock.to(at(2026, 3, 2, 10, 0))
    [person] = families(1)
    reminder_source_register(
        job=Job.PLEDGE_FOLLOW_UPS,
        produce=lambda run: [personal(person, "pledge:7", category="pledges")],
        follow_ups=FollowUps(limit=2, spacing=WEEK),
    )
    days = []
    for day in range(20):
        if run(Job.PLEDGE_FOLLOW_UPS).sent:
            days.append(day)
        clock.shift(days=1)
    assert days == [0, 7]


def test_a_follow_up_rule_needs_a_limit_and_a_spacing():
    with pytest.raises(ValueError):
        FollowUps(limit=0, spacing=WEEK)
    with pytest.raises(ValueError):
        FollowUps(limit=2, spacing=datetime.timedelta(0))


@pytest.mark.django_db
def test_the_beat_task_runs_its_job(clock, django_capture_on_commit_callbacks):
    clock.to(at(2026, 3, 2, 16, 15))
    [person] = families(1)
    reminder_source_register(
        job=Job.HEALTH_CHECKUP_DAY,
        produce=lambda run: [personal(person, f"checkup:{run.today}", category="health", title="Khám sức khỏe")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.notify_reminders_health_checkup_day.apply().get()
    assert result == {"sent": 1, "skipped": 0, "failed": 0}
    assert Notice.objects.get().dedupe_key == "reminder:health-checkup-day:checkup:2026-03-02"


def test_concurrent_runs_on_postgres_tell_nobody_twice(transactional_db, monkeypatch):
    """Four runs of the same job at the same moment, each with its own connection."""
    requires_postgres()
    # The fan-out's batch runs right here, as in eager mode, but without
    # Celery's producer pool, which eager mode borrows in Celery 5.7: shared by
    # the threads, it may be left closed by a test that reset it before.
    batch = tasks.notify_fan_out_batch
    monkeypatch.setattr(batch, "delay", lambda **kwargs: batch.apply(kwargs=kwargs).get())
    people = [f.UserFactory(email=f"family{i}@example.test") for i in range(20)]
    for person in people:
        prefer(person, frequency="daily")  # the e-mails wait for the digest: no sending here
    now = at(2026, 3, 2, 10, 0)

    def pledges(run):
        for person in people:
            yield Reminder(
                recipients=(person.pk,), category="pledges", title="Cảm ơn", key=f"pledge:{person.pk}", since=None
            )
        yield Reminder(recipients=[p.pk for p in people], category="honour_roll", title="Bảng vàng", key="roll:3")

    reminder_source_register(job=Job.PLEDGE_FOLLOW_UPS, produce=pledges, follow_ups=FollowUps(2, WEEK))
    start = threading.Barrier(4)
    errors = []

    def worker():
        try:
            start.wait()
            reminder_job_run(job=Job.PLEDGE_FOLLOW_UPS, now=now)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    for person in people:
        keys = sorted(Notice.objects.filter(recipient=person).values_list("dedupe_key", flat=True))
        assert keys == [
            f"reminder:pledge-follow-ups:pledge:{person.pk}#1",
            "reminder:pledge-follow-ups:roll:3#1",
        ]
