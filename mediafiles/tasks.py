"""Background jobs of mediafiles. Every name starts with media_ so that
coordination.celery routes them to the "media" queue, which scales apart from
the others (a long video must not hold up notifications).

Tasks take ids, call a service and own their retries. They are acknowledged
late and rejected when a worker dies, so a file is never forgotten; the
services' conditional updates make a second run harmless, and the attempt
count stops a file that kills its worker from being retried forever.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from mediafiles import services

logger = logging.getLogger(__name__)

# Lost connections to the database or the object storage are worth another try;
# a file that ffmpeg cannot convert is not (the service records why).
TRANSIENT: tuple[type[BaseException], ...] = (DatabaseError, ConnectionError, TimeoutError)
try:
    from botocore.exceptions import BotoCoreError, ClientError

    TRANSIENT += (BotoCoreError, ClientError)
except ImportError:  # pragma: no cover (boto3 comes with django-storages[s3])
    pass


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    soft_time_limit=settings.MEDIA_PROCESS_TIME_LIMIT,
    time_limit=settings.MEDIA_PROCESS_TIME_LIMIT + 60,
)
def media_process(self, media_id: str) -> str:
    """Check, hash and store one finished upload, then convert and thumbnail it; READY or FAILED with a reason."""
    try:
        return services.media_process(media_id=media_id)
    except TRANSIENT as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.exception("media %s: giving up after %s tries", media_id, self.request.retries + 1)
            services.media_fail(media_id=media_id)
            return "failed"
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(bind=True, acks_late=True, max_retries=0, soft_time_limit=600, time_limit=660)
def media_uploads_sweep(self) -> dict:
    """Clean up abandoned uploads and stray files (run hourly by beat)."""
    return services.media_uploads_sweep()


@shared_task(bind=True, acks_late=True, max_retries=0, soft_time_limit=1800, time_limit=1860)
def media_unused_cleanup(self) -> dict:
    """Delete files that nothing uses, rows and stored files together (run daily by beat)."""
    return services.media_unused_delete()
