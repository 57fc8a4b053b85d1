"""Background jobs of privacy: they take ids, are queued on commit and are safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=0, soft_time_limit=1800, time_limit=1860
)
def privacy_export_build(self, export_id: int) -> str:
    """Build one family's copy of its data and tell the person it is ready."""
    from privacy.exporting import export_build

    return export_build(export_id=export_id)


@shared_task(acks_late=True, max_retries=0)
def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the copies past their date (run daily by beat)."""
    from privacy import services_export

    return services_export.exports_expire(now=now or timezone.now())


@shared_task(ignore_result=True)
def privacy_retention() -> dict:
    """Every school's retention rules; what was removed is recorded per school."""
    from privacy import retention

    return {str(school_id): removed for school_id, removed in retention.retention_run_all().items()}


@shared_task(ignore_result=True)
def privacy_deadline_reminders() -> int:
    """Remind the schools' contacts of the deadlines coming up."""
    from privacy import reminders

    return reminders.deadline_reminders_send()
