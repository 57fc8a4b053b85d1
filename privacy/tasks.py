"""The privacy jobs: nightly retention, reminders before a request's deadlines."""

from __future__ import annotations

from celery import shared_task

from privacy import reminders, retention


@shared_task(ignore_result=True)
def privacy_retention() -> dict:
    """Every school's retention rules; what was removed is recorded per school."""
    return {str(school_id): removed for school_id, removed in retention.retention_run_all().items()}


@shared_task(ignore_result=True)
def privacy_deadline_reminders() -> int:
    return reminders.deadline_reminders_send()
