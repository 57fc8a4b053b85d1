"""Background jobs of notifications. Every name starts with notify_ so that
coordination.celery routes them to the "notifications" queue.

Tasks take ids and plain values, call a service, and own their retries. They
are acknowledged late and rejected when a worker dies, so a job is never lost;
the services' conditional updates make a job run twice harmless.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from notifications import services

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


# The lease (NOTIFY_LEASE_SECONDS) must outlast time_limit, or a slow but
# living worker would see its delivery taken over.
@shared_task(**COMMON, max_retries=settings.NOTIFY_MAX_ATTEMPTS, soft_time_limit=60, time_limit=90)
def notify_deliver(self, delivery_id: int) -> str:
    """Send one delivery by e-mail or SMS; try again later with backoff if it fails."""
    outcome = services.delivery_send(delivery_id=delivery_id)
    # The delivery also records when it is due again, so the sweeper resends
    # it even if this retry message is lost. Run in-process (eager), a retry
    # would be raised into the web request that queued it: the sweeper does it.
    if outcome.retry_in is not None and not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.state


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


@shared_task(**COMMON, max_retries=0, soft_time_limit=600, time_limit=660)
def notify_digests_send(self) -> int:
    """Send the daily and weekly digests that are due (run every 15 minutes by beat)."""
    return services.digests_send()
