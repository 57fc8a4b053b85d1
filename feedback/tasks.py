from __future__ import annotations

from celery import shared_task


# Named notify_*: coordination.celery routes it to the notifications queue (it tells the officers).
@shared_task(bind=True, acks_late=True, max_retries=0, soft_time_limit=600, time_limit=660)
def notify_feedback_escalations(self) -> int:
    """Escalate the items unanswered after their school's working days (run daily by beat)."""
    from feedback.services import feedback_escalate_overdue

    return feedback_escalate_overdue()
