from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=0, soft_time_limit=3 * 3600, time_limit=3 * 3600 + 300)
def reports_nightly(self) -> tuple[int, int]:
    """The apps' figures of the months still moving, then the authorities' published tables (beat, at night).

    Every step replaces whole rows in a transaction, so a run that dies leaves yesterday's figures and the
    next night's run rebuilds them: no retry here."""
    from django.utils import timezone

    from reports.area import nightly_build

    return nightly_build(today=timezone.localdate())
