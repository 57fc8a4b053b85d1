"""The Celery beat schedule of the whole project, in one place.

Times are in CELERY_TIMEZONE (Asia/Ho_Chi_Minh). Each job is safe to run late,
twice or concurrently: what it does is claimed in the database first.
"""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Every minute: sends what quiet hours held back and retries whose message
    # was lost, and takes over deliveries of workers that died. Expires before
    # the next run so that sweeps do not pile up while workers are down.
    "notify-sweep": {
        "task": "notifications.tasks.notify_sweep",
        "schedule": crontab(),
        "options": {"expires": 50},
    },
    # Every 15 minutes: each person's digest goes out in the first run at or
    # after their chosen time (so within 15 minutes of it), outside their
    # quiet hours, once per day or week.
    "notify-digests": {
        "task": "notifications.tasks.notify_digests_send",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # Every hour: uploads left unfinished for a day (MEDIA_ABANDONED_HOURS) are
    # marked failed and their bytes removed, with stray unfinished files; files
    # whose processing message was lost are queued again.
    "media-uploads-sweep": {
        "task": "mediafiles.tasks.media_uploads_sweep",
        "schedule": crontab(minute=17),
        "options": {"expires": 50 * 60},
    },
}


def beat_schedule_install() -> None:
    """Give the Celery app this schedule (called when Django starts, before beat reads it)."""
    from coordination.celery import app

    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
