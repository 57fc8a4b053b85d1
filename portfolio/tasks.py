"""Background jobs of the portfolio: they take ids, are queued on commit and are safe to run twice.

Named media_* so that coordination.celery routes them to the media queue. Each takes an id and calls
a builder whose conditional updates make a second run (or two at once) harmless.
"""

import logging

from celery import shared_task
from django.db import DatabaseError


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5, soft_time_limit=60, time_limit=90)
def media_work_build(self, work_id: int) -> str:
    """Make a work's QR images (SVG for the screen, PNG for print) for its current code."""
    from portfolio.build import work_qr_build

    try:
        return work_qr_build(work_id=work_id)
    except (DatabaseError, ConnectionError, TimeoutError, OSError) as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            # Left "preparing": the label sheet draws a missing code itself, and the next change retries.
            logging.getLogger("portfolio").exception("QR images of work %s not made", work_id)
            return "failed"
        raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from exc


# --- Printed outputs: label sheets and albums ------------------------------------------------------

_printing_logger = logging.getLogger("portfolio.printing")
_PRINTING_TRANSIENT: tuple[type[BaseException], ...] = (DatabaseError, ConnectionError, TimeoutError, OSError)


def _printing_retry(task, exc, give_up) -> str:
    if task.request.is_eager or task.request.retries >= task.max_retries:
        _printing_logger.exception("%s: giving up after %s tries", task.name, task.request.retries + 1)
        give_up()
        return "failed"
    raise task.retry(exc=exc, countdown=30 * 2**task.request.retries) from exc


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3, soft_time_limit=600, time_limit=660)
def media_label_sheet_build(self, sheet_id: int) -> str:
    """Build one class's QR label sheet (asked for by a teacher)."""
    from portfolio.printing import labels

    try:
        return labels.label_sheet_build(sheet_id=sheet_id)
    except _PRINTING_TRANSIENT as exc:
        return _printing_retry(self, exc, lambda: labels.label_sheet_give_up(sheet_id=sheet_id))
    except Exception:
        # Not worth another try (a bug, a missing font): the teacher is told at once, not left waiting.
        labels.label_sheet_give_up(sheet_id=sheet_id)
        raise


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3, soft_time_limit=1800, time_limit=1860
)
def media_album_build(self, album_id: int) -> str:
    """Build one child's album (PDF and ZIP) and tell the guardian who asked."""
    from portfolio.printing import albums

    try:
        return albums.album_build(album_id=album_id)
    except _PRINTING_TRANSIENT as exc:
        return _printing_retry(self, exc, lambda: albums.album_give_up(album_id=album_id))
    except Exception:
        albums.album_give_up(album_id=album_id)
        raise


@shared_task(bind=True, acks_late=True, max_retries=0, soft_time_limit=1800, time_limit=1860)
def media_printouts_expire(self) -> dict:
    """Delete old label sheets and albums, and those the family may no longer have (run daily by beat)."""
    from portfolio.printing import retention

    return retention.printouts_expire()


# --- The family's time after the child leaves ----------------------------------------------------------
# Named notify_*: coordination.celery routes it to the notifications queue.


@shared_task(bind=True, acks_late=True, max_retries=0, soft_time_limit=600, time_limit=660)
def notify_portfolio_access_ending(self) -> int:
    """Tell the guardians of children who left that the portfolio closes soon (run daily by beat)."""
    from portfolio.after_leaving import access_ending_notify

    return access_ending_notify()
