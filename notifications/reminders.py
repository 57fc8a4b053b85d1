"""Periodic reminders: jobs that beat runs, and the sources that other apps register for them.

The jobs are fixed here, with their times in notifications/schedule.py; what
they send comes from the apps that own the data (the lending library, events,
donations, health). A job with no source registered does nothing.

How an app adds its reminders
-----------------------------

Write a source: a function that takes the run (its `now` and local `today`)
and yields Reminder objects, one per person (or one for many people who get
the same words), reading only what it needs from its own models. Register it
when the app starts, in its AppConfig.ready()::

    from datetime import timedelta

    from django.utils.translation import gettext_lazy as _

    from notifications.reminders import FollowUps, Job, Reminder, reminder_source

    @reminder_source(Job.PLEDGE_FOLLOW_UPS, follow_ups=FollowUps(limit=2, spacing=timedelta(days=7)))
    def pledges_to_follow_up(run):
        for pledge in Pledge.objects.open().select_related("campaign"):  # only people who pledged
            yield Reminder(
                recipients=(pledge.donor_id,),
                category="pledges",
                title=_("Your pledge to %(campaign)s"),
                body=_("Thank you for pledging. The school will receive it until %(until)s."),
                context={"campaign": pledge.campaign.name, "until": pledge.campaign.ends_on},
                url=pledge.get_absolute_url(),
                key=f"pledge:{pledge.pk}",
                since=pledge.created_at,
                school_id=pledge.campaign.school_id,
            )

Texts are translatable strings (gettext_lazy) with `%(name)s` placeholders
filled from `context`: each person reads them in their own language. `key`
names what the reminder is about, and with the job it becomes the notice's
dedupe key, so a job run again, late, or twice at once never tells anyone
twice: give recurring reminders a date in the key ("loan:17:due:2026-03-03").

A source registered with FollowUps is a series: its reminders about one key go
to each person at most `limit` times, at least `spacing` apart (and `spacing`
after `since`, when given); the mechanism counts what was sent and numbers the
follow-ups, so the source may simply yield every open case on every run.

One item that fails (a bad link, a deleted account) is logged and skipped;
the other items and sources of the run go on.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.utils import timezone

from notifications import services
from notifications.models import Notice, ReminderTally, local_zone
from schools.models import School

logger = logging.getLogger(__name__)

KEY_MAX = 150  # leaves room in Notice.dedupe_key (200) for the job's name and a follow-up's number


class Job(StrEnum):
    """The reminder jobs; each runs from beat at the time set in notifications/schedule.py."""

    LOANS_DUE_TOMORROW = "loans-due-tomorrow"
    LOANS_OVERDUE = "loans-overdue"
    EVENTS_TOMORROW = "events-tomorrow"
    PLEDGE_FOLLOW_UPS = "pledge-follow-ups"
    HEALTH_CHECKUP_DAY = "health-checkup-day"
    HONOUR_ROLL = "honour-roll"


@dataclass(frozen=True)
class Reminder:
    """One thing to tell one person, or the same words to several people."""

    recipients: Sequence[int]  # user ids
    category: str  # a notifications.models.Category value: the person's choices for it apply
    title: services.Translatable
    key: str  # what it is about, unique for this job: with the job, the notice's dedupe key
    body: services.Translatable = ""
    context: Mapping[str, Any] | None = None
    url: str = ""  # a path inside the portal
    urgent: bool = False
    school_id: int | None = None
    since: datetime.datetime | None = None  # follow-ups: when the matter began (the first comes `spacing` after)


@dataclass(frozen=True)
class FollowUps:
    """At most `limit` reminders about one key per person, at least `spacing` apart."""

    limit: int
    spacing: datetime.timedelta

    def __post_init__(self):
        if self.limit < 1 or self.spacing <= datetime.timedelta(0):
            raise ValueError("follow-ups need a limit of at least 1 and a positive spacing")


@dataclass(frozen=True)
class ReminderRun:
    job: Job
    now: datetime.datetime

    @property
    def today(self) -> datetime.date:
        """The date in the schools' time zone."""
        return timezone.localtime(self.now, local_zone()).date()


Source = Callable[[ReminderRun], Iterable[Reminder]]


@dataclass(frozen=True)
class _Registered:
    name: str
    produce: Source
    follow_ups: FollowUps | None


_registry: dict[Job, dict[str, _Registered]] = {job: {} for job in Job}


def reminder_source_register(
    *, job: Job | str, produce: Source, name: str = "", follow_ups: FollowUps | None = None
) -> None:
    """Register a source for a job (under `name`, by default the function's path; registering it again replaces it)."""
    job = Job(job)
    name = name or f"{produce.__module__}.{produce.__qualname__}"
    _registry[job][name] = _Registered(name=name, produce=produce, follow_ups=follow_ups)


def reminder_source_unregister(*, job: Job | str, name: str) -> None:
    """Forget a source (tests, or an app switched off)."""
    _registry[Job(job)].pop(name, None)


def reminder_source(job: Job | str, *, follow_ups: FollowUps | None = None) -> Callable[[Source], Source]:
    """Decorator form of reminder_source_register."""

    def register(produce: Source) -> Source:
        reminder_source_register(job=job, produce=produce, follow_ups=follow_ups)
        return produce

    return register


def reminder_sources(job: Job | str) -> list[str]:
    """The names of the sources registered for a job."""
    return list(_registry[Job(job)])


@dataclass
class JobOutcome:
    """One run of a job: people told (or handed to the fan-out), skipped (told already, or not due), failed items."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    sources: list[str] = field(default_factory=list)


def reminder_job_run(*, job: Job | str, now: datetime.datetime | None = None) -> JobOutcome:
    """Run every source of a job and send what they yield, each reminder at most once."""
    job = Job(job)
    run = ReminderRun(job=job, now=now or timezone.now())
    outcome = JobOutcome(sources=list(_registry[job]))
    if not outcome.sources:
        logger.debug("reminder job %s: no source registered, nothing to do", job)
        return outcome
    for source in list(_registry[job].values()):
        try:
            items = iter(source.produce(run))
        except Exception:  # one app's bug must not stop the others' reminders
            logger.exception("reminder job %s: source %s failed", job, source.name)
            outcome.failed += 1
            continue
        while True:
            try:
                reminder = next(items)
            except StopIteration:
                break
            except Exception:
                logger.exception("reminder job %s: source %s failed part-way", job, source.name)
                outcome.failed += 1
                break
            try:
                sent, skipped = _reminder_send(reminder, run=run, follow_ups=source.follow_ups)
            except Exception:
                logger.exception("reminder job %s: %s (%s) failed", job, reminder.key, source.name)
                outcome.failed += 1
                continue
            outcome.sent += sent
            outcome.skipped += skipped
    logger.info("reminder job %s: %s sent, %s skipped, %s failed", job, outcome.sent, outcome.skipped, outcome.failed)
    return outcome


def _dedupe_key(job: Job, key: str) -> str:
    if not key or len(key) > KEY_MAX or "#" in key:
        raise ValueError(f"a reminder's key has 1 to {KEY_MAX} characters and no '#': {key!r}")
    return f"reminder:{job}:{key}"


def _reminder_send(reminder: Reminder, *, run: ReminderRun, follow_ups: FollowUps | None) -> tuple[int, int]:
    """Send one reminder to its people (those a follow-up rule allows); returns (sent, skipped)."""
    base = _dedupe_key(run.job, reminder.key)
    recipients = sorted({int(pk) for pk in reminder.recipients})
    if follow_ups is None:
        by_key = {base: recipients}
    else:
        by_key = defaultdict(list)
        for pk, number in _follow_up_numbers(base, recipients, reminder.since, follow_ups, run.now).items():
            by_key[f"{base}#{number}"].append(pk)
    sent = sum(_notices_send(reminder, pks, dedupe_key) for dedupe_key, pks in by_key.items())
    return sent, len(recipients) - sent


def _follow_up_numbers(
    base: str, recipients: list[int], since: datetime.datetime | None, rule: FollowUps, now: datetime.datetime
) -> dict[int, int]:
    """For each person who is due a follow-up now, its number (1, 2, …): under the limit, and spaced."""
    history: dict[int, tuple[int, datetime.datetime | None]] = {
        row["recipient_id"]: (row["count"], row["last"])
        for row in Notice.objects.filter(recipient_id__in=recipients, dedupe_key__startswith=f"{base}#")
        .values("recipient_id")
        .annotate(count=Count("id"), last=Max("created_at"))
    }
    # Read after the notices: a purge committing in between is then counted twice (fewer reminders), never
    # missed.
    for tally in ReminderTally.objects.filter(recipient_id__in=recipients, key=base):
        count, last = history.get(tally.recipient_id, (0, None))
        history[tally.recipient_id] = (count + tally.count, max(filter(None, (last, tally.last_at))))
    due = {}
    for pk in recipients:
        count, last = history.get(pk, (0, None))
        previous = last or since
        if count >= rule.limit or (previous is not None and now - previous < rule.spacing):
            continue
        # Numbered, so that two runs at once both write the same key and one of them loses.
        due[pk] = count + 1
    return due


def _notices_send(reminder: Reminder, recipient_ids: list[int], dedupe_key: str) -> int:
    """One person: notice_send, in their language and now; several: the fan-out, batch by batch."""
    if not recipient_ids:
        return 0
    school = School.objects.get(pk=reminder.school_id) if reminder.school_id else None
    arguments = {
        "category": reminder.category,
        "title": reminder.title,
        "body": reminder.body,
        "url": reminder.url,
        "dedupe_key": dedupe_key,
        "school": school,
        "urgent": reminder.urgent,
        "context": reminder.context,
    }
    if len(recipient_ids) == 1:
        recipient = get_user_model().objects.filter(pk=recipient_ids[0]).first()
        if recipient is None:
            raise ValueError(f"no such person: {recipient_ids[0]}")
        return 1 if services.notice_send(recipient=recipient, **arguments) is not None else 0
    # Those told already are left out here (and a batch skips whoever got it meanwhile).
    told = set(
        Notice.objects.filter(recipient_id__in=recipient_ids, dedupe_key=dedupe_key).values_list(
            "recipient_id", flat=True
        )
    )
    rest = [pk for pk in recipient_ids if pk not in told]
    if rest:
        services.notice_fan_out(recipient_ids=rest, **arguments)
    return len(rest)
