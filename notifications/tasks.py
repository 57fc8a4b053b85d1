"""Background jobs of notifications. Every name starts with notify_ so that
coordination.celery routes them to the "notifications" queue.

Tasks take ids and plain values, call a service, and own their retries. They
are acknowledged late and rejected when a worker dies, so a job is never lost;
the services' conditional updates make a job run twice harmless.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from kombu.exceptions import OperationalError as BrokerError

from notifications import services

logger = logging.getLogger(__name__)

# Shared by the jobs: a lost database connection is retried by Celery with
# backoff; send failures are recorded on the delivery by the service instead.
COMMON = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": settings.NOTIFY_RETRY_BASE_SECONDS,
    "retry_backoff_max": settings.NOTIFY_RETRY_MAX_SECONDS,
    "retry_jitter": True,
}


def _send_and_schedule_retries(request, delivery_ids: list[int]) -> dict[str, int]:
    outcome = services.deliveries_send(delivery_ids=delivery_ids)
    # Each failed delivery also records when it is due again, so the sweeper
    # resends it even if this message is lost. Run in-process (eagerly), a
    # retry would run inside the web request that queued it: the sweeper does it.
    if not request.is_eager:
        for delay, ids in outcome.retries().items():
            try:
                notify_deliver_batch.apply_async((ids,), countdown=delay)
            except BrokerError:
                logger.exception("could not queue the retry of %s deliveries; the sweeper will", len(ids))
    return outcome.counts()


# The lease (NOTIFY_LEASE_SECONDS) should outlast time_limit, or the
# deliveries of a slow but living worker are taken over. That is still safe
# for e-mail through the two-phase backend (the slow worker finds that the
# delivery is no longer its own before it ends the message, and drops it).
@shared_task(**COMMON, max_retries=5, soft_time_limit=120, time_limit=150)
def notify_deliver_batch(self, delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of deliveries (e-mails a few at once, see EMAIL_PARALLEL_CONNECTIONS); failures go again later."""
    return _send_and_schedule_retries(self.request, delivery_ids)


@shared_task(**COMMON, max_retries=5, soft_time_limit=60, time_limit=90)
def notify_deliver(self, delivery_id: int) -> dict[str, int]:
    """Send one delivery (queued one by one before batches; kept for tasks still in the broker)."""
    return _send_and_schedule_retries(self.request, [delivery_id])


@shared_task(**COMMON, max_retries=5, soft_time_limit=240, time_limit=300)
def notify_fan_out_batch(
    self,
    *,
    recipient_ids: list[int],
    category: str,
    titles: dict[str, str],
    bodies: dict[str, str],
    url: str,
    dedupe_key: str,
    school_id: int | None,
    urgent: bool,
) -> int:
    """Create the notices of one batch of a fan-out and queue their deliveries."""
    return services.notices_send_batch(
        recipient_ids=recipient_ids,
        category=category,
        titles=titles,
        bodies=bodies,
        url=url,
        dedupe_key=dedupe_key,
        school_id=school_id,
        urgent=urgent,
    )


@shared_task(**COMMON, max_retries=0, soft_time_limit=50, time_limit=60)
def notify_sweep(self) -> int:
    """Queue deliveries that are due and not on their way (run every minute by beat)."""
    return services.deliveries_sweep()


@shared_task(**COMMON, max_retries=0, soft_time_limit=300, time_limit=360)
def notify_sms_counts_purge(self) -> int:
    """Delete text-message counts older than SMS_COUNTS_KEEP_DAYS (run daily by beat)."""
    from notifications.budgets import sms_counts_purge

    return sms_counts_purge()


@shared_task(**COMMON, max_retries=0, soft_time_limit=600, time_limit=660)
def notify_digests_send(self) -> int:
    """Send the daily and weekly digests that are due (run every 15 minutes by beat)."""
    return services.digests_send()


# --- Reminders: one job each, run by beat (notifications/schedule.py); what they send comes from the
# sources other apps register (notifications/reminders.py). Safe to run again: each reminder has a dedupe key.


def _reminder_job(job: str) -> dict[str, int]:
    from notifications.reminders import reminder_job_run

    outcome = reminder_job_run(job=job)
    return {"sent": outcome.sent, "skipped": outcome.skipped, "failed": outcome.failed}


REMINDER_JOB = {**COMMON, "max_retries": 3, "soft_time_limit": 600, "time_limit": 660}


@shared_task(**REMINDER_JOB)
def notify_reminders_loans_due_tomorrow(self) -> dict[str, int]:
    """Lending library: toys and costumes to bring back tomorrow."""
    return _reminder_job("loans-due-tomorrow")


@shared_task(**REMINDER_JOB)
def notify_reminders_loans_overdue(self) -> dict[str, int]:
    """Lending library: loans past their date."""
    return _reminder_job("loans-overdue")


@shared_task(**REMINDER_JOB)
def notify_reminders_events_tomorrow(self) -> dict[str, int]:
    """Events tomorrow, to the families and volunteers signed up."""
    return _reminder_job("events-tomorrow")


@shared_task(**REMINDER_JOB)
def notify_reminders_pledge_follow_ups(self) -> dict[str, int]:
    """Follow-ups of open pledges, to the people who pledged (at most two, a week apart)."""
    return _reminder_job("pledge-follow-ups")


@shared_task(**REMINDER_JOB)
def notify_reminders_health_checkup_day(self) -> dict[str, int]:
    """A health check-up with the health station tomorrow, to the children's families."""
    return _reminder_job("health-checkup-day")


@shared_task(**REMINDER_JOB)
def notify_reminders_honour_roll(self) -> dict[str, int]:
    """The month's honour roll is published."""
    return _reminder_job("honour-roll")
